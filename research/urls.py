"""Research URLs, under /<tenant_slug>/forskning/ in the `research` namespace."""

from django.urls import path

from research import views

app_name = "research"

urlpatterns = [
    path("", views.export_page, name="export"),
    path("export/", views.export_create, name="export_create"),
    path("csv/", views.export_stream, name="export_stream"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/ny/", views.report_add, name="report_add"),
    path("rapporter/<int:pk>/arkivera/", views.report_archive, name="report_archive"),
]
