"""Login with two-factor codes, and the user's two-factor settings, under /accounts/.

Included before django.contrib.auth.urls, so `login` here replaces Django's."""

from django.urls import path

from portal.views import account

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("login/code/", account.login_code, name="login_code"),
    path("two-factor/", account.two_factor_settings, name="two_factor"),
    path("two-factor/enable/", account.two_factor_enable, name="two_factor_enable"),
    path("two-factor/verify/", account.two_factor_verify, name="two_factor_verify"),
    path("two-factor/disable/", account.two_factor_disable, name="two_factor_disable"),
]
