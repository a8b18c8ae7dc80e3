from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from governance import dashboard, drafts, permissions
        from governance.documents import register_documents

        permissions.register()
        register_documents()
        dashboard.register()
        drafts.register()
