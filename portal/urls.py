"""The root URLconf. Programme URLs are prefixed with the programme's slug."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from portal import health
from portal.dashboards import views as dashboards
from portal.documents import views as documents
from portal.views import account, public, statements

portal_patterns: list[URLPattern | URLResolver] = [
    path("", public.picker, name="picker"),
    path("om/tillganglighet/", public.accessibility_statement, name="accessibility"),
    path("om/integritet/", public.privacy_notice, name="privacy"),
    # Each programme's statements, for anyone, whether or not its public site is on.
    path(
        "om/tillganglighet/<slug:programme_slug>/",
        statements.public_accessibility,
        name="programme_accessibility",
    ),
    path(
        "om/integritet/<slug:programme_slug>/",
        statements.public_privacy,
        name="programme_privacy",
    ),
    path("<slug:tenant_slug>/", dashboards.home, name="home"),
    path(
        "<slug:tenant_slug>/dashboard/panels/<str:key>/", dashboards.panel, name="dashboard_panel"
    ),
    path(
        "<slug:tenant_slug>/dashboard/principals/<int:pk>/",
        dashboards.principal_dashboard,
        name="principal_dashboard",
    ),
    path(
        "<slug:tenant_slug>/dashboard/principals/<int:pk>/panels/<str:key>/",
        dashboards.principal_panel,
        name="principal_dashboard_panel",
    ),
    path("<slug:tenant_slug>/admin/logg/", include("portal.audit_urls")),
    path("<slug:tenant_slug>/admin/redogorelser/", include("portal.statement_urls")),
    path("<slug:tenant_slug>/admin/", include("portal.tenant_admin_urls")),
    path("<slug:tenant_slug>/documents/", include("portal.documents.urls")),
    path(
        "<slug:tenant_slug>/dokument/kontrollera/",
        documents.document_check,
        name="document_check",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("portal.account_urls")),
    # Single sign-on, and the logout that ends an SSO session at its provider too.
    path("accounts/", include("sso.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The Django admin's own login would skip the two-factor code step.
    path("django-admin/login/", account.admin_login),
    path("django-admin/", admin.site.urls),
    path("api/research/v1/", include("research.api_urls")),
    # The programmes' public sites: no login (public/site.py).
    path("p/<slug:site_slug>/", include("public.urls")),
    path("", include((portal_patterns, "portal"))),
    path("<slug:tenant_slug>/", include("governance.urls")),
    path("<slug:tenant_slug>/", include("implementation.urls")),
    path("<slug:tenant_slug>/forskning/", include("research.urls")),
    path("<slug:tenant_slug>/offentlig/", include("public.admin_urls")),
    path("<slug:tenant_slug>/nyhetsbrev/", include("public.newsletter_urls")),
    path("<slug:tenant_slug>/admin/inloggning/", include("sso.tenant_urls")),
    path("<slug:tenant_slug>/admin/arkiv/", include("archives.urls")),
]
