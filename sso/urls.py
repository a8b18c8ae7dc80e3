"""Single sign-on under /accounts/ (namespace `sso`): included before
django.contrib.auth's URLs, so `logout` here is the portal's logout."""

from django.urls import path

from sso import views

app_name = "sso"

urlpatterns = [
    path("logout/", views.logout, name="logout"),
    path("sso/", views.choose, name="choose"),
    path("sso/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("sso/<slug:provider>/oidc/", views.oidc_login, name="oidc_login"),
    path("sso/<slug:provider>/saml/", views.saml_login, name="saml_login"),
    path("sso/<slug:provider>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("sso/<slug:provider>/saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("sso/<slug:provider>/saml/sls/", views.saml_sls, name="saml_sls"),
]
