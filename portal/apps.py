from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import (
            dashboards,
            permissions,  # noqa: F401  (registers the role matrix)
        )
        from portal.dashboard_panels import register_portal_panels
        from portal.documents import register_portal_documents

        register_portal_documents()
        register_portal_panels()
        dashboards.connect_invalidation()
