"""Documents, under /<tenant_slug>/documents/ in the `portal` namespace:
ask for a PDF of an object (POST), follow the job (GET; htmx polls it), try a
failed job again (POST) and download the file (GET, permission-checked)."""

from django.urls import path

from portal.documents import views as documents

urlpatterns = [
    path("new/<slug:kind>/<int:object_id>/", documents.document_request, name="document_request"),
    path("<int:pk>/", documents.document_status, name="document_status"),
    path("<int:pk>/retry/", documents.document_retry, name="document_retry"),
    path("<int:pk>/download/", documents.document_download, name="document_download"),
]
