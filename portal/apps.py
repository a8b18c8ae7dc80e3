from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models import fields

        from portal import (
            dates,
            permissions,  # noqa: F401  (registers the role matrix)
            personal_numbers,
        )
        from portal.dashboards.cache import connect_invalidation
        from portal.dashboards.registry import register_portal_panels
        from portal.documents.registry import register_portal_documents
        from portal.sessions import on_user_logged_in

        # Django 6.1's label for "nothing chosen" in model choice fields; its
        # own Swedish catalogue lacks it, so ours carries it (this makes
        # makemessages find it). Django lets an app's ready() set it.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")

        # PostgreSQL: a stored date psycopg cannot represent (BC, after 9999)
        # is read as the earliest or latest one, instead of failing the page.
        connection_created.connect(dates.on_connection_created, dispatch_uid="portal.dates")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="portal.sessions.authenticated")
        # Every form of the project refuses a personal identity number in its
        # free text: the portal holds no data about children.
        personal_numbers.install()
        register_portal_documents()
        register_portal_panels()
        connect_invalidation()
