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
        from sso.services import forget_requirement

        def forget(sender: object, instance: ProgrammeSsoPolicy, **kwargs: object) -> None:
            # Any write, the services' or the Django admin's: the middleware's
            # cached answer goes with it.
            forget_requirement(instance.tenant)

        post_save.connect(
            forget, sender=ProgrammeSsoPolicy, weak=False, dispatch_uid="sso-policy-saved"
        )
        post_delete.connect(
            forget, sender=ProgrammeSsoPolicy, weak=False, dispatch_uid="sso-policy-deleted"
        )
