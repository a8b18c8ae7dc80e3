from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archive and disposal")

    def ready(self) -> None:
        from archives import documents

        documents.register()
