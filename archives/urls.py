"""Archive and disposal (Arkiv och gallring), under /<tenant_slug>/admin/arkiv/
in the `archives` namespace: programme administrators only."""

from django.urls import path

from archives import views

app_name = "archives"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("paket/", views.package_create, name="package_create"),
    path("regler/<slug:kind>/", views.rule_edit, name="rule_edit"),
    path("sparrar/", views.hold_add, name="hold_add"),
    path("sparrar/<int:pk>/slapp/", views.hold_release, name="hold_release"),
    path("gallring/", views.disposal_preview, name="disposal_preview"),
    path("gallring/ny/", views.disposal_create, name="disposal_create"),
    path("gallring/<int:pk>/", views.run_detail, name="run_detail"),
    path("gallring/<int:pk>/godkann/", views.run_approve, name="run_approve"),
    path("gallring/<int:pk>/avbryt/", views.run_cancel, name="run_cancel"),
    path("gallring/<int:pk>/protokoll.csv", views.run_protocol, name="run_protocol"),
]
