"""The programme's SSO requirement, under /<tenant_slug>/admin/inloggning/
(namespace `sso_admin`): programme administrators."""

from django.urls import path

from sso import views

app_name = "sso_admin"

urlpatterns = [
    path("", views.policy_edit, name="policy"),
]
