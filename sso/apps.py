from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from sso import sessions

        user_logged_in.connect(sessions.record_login_method, dispatch_uid="sso-login-method")

        from django.db.models.signals import post_delete, post_save

        from sso.models import ProgrammeSsoPolicy
        from sso.services import mirror_requirement

        def saved(sender: object, instance: ProgrammeSsoPolicy, **kwargs: object) -> None:
            mirror_requirement(instance.tenant_id, instance.require_sso)

        def deleted(sender: object, instance: ProgrammeSsoPolicy, **kwargs: object) -> None:
            mirror_requirement(instance.tenant_id, False)

        post_save.connect(saved, sender=ProgrammeSsoPolicy, weak=False, dispatch_uid="sso-saved")
        post_delete.connect(
            deleted, sender=ProgrammeSsoPolicy, weak=False, dispatch_uid="sso-deleted"
        )
