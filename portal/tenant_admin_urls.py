"""The programme's directory and its administration, under /<tenant_slug>/admin/.

Included in the `portal` namespace. Archive and deactivate answer GET with a
confirmation (page, or row for htmx) and act on POST; restore and reactivate
are POST only. Nothing here deletes."""

from django.urls import path

from portal.views import directory

urlpatterns = [
    # Principals (read: every member; write: programme administrators)
    path("principals/", directory.principal_list, name="principals"),
    path("principals/new/", directory.principal_create, name="principal_create"),
    path("principals/<int:pk>/", directory.principal_detail, name="principal_detail"),
    path("principals/<int:pk>/edit/", directory.principal_edit, name="principal_edit"),
    path("principals/<int:pk>/archive/", directory.principal_archive, name="principal_archive"),
    path("principals/<int:pk>/restore/", directory.principal_restore, name="principal_restore"),
    # Operations, listed on their principal's page
    path("operations/new/", directory.operation_create, name="operation_create"),
    path("operations/<int:pk>/edit/", directory.operation_edit, name="operation_edit"),
    path("operations/<int:pk>/archive/", directory.operation_archive, name="operation_archive"),
    path("operations/<int:pk>/restore/", directory.operation_restore, name="operation_restore"),
    # People (read: every member; write: administrators and process leaders)
    path("people/", directory.person_list, name="people"),
    path("people/new/", directory.person_create, name="person_create"),
    path("people/<int:pk>/edit/", directory.person_edit, name="person_edit"),
    path("people/<int:pk>/archive/", directory.person_archive, name="person_archive"),
    path("people/<int:pk>/restore/", directory.person_restore, name="person_restore"),
    # Members and roles (programme administrators)
    path("members/", directory.member_list, name="members"),
    path("members/new/", directory.member_add, name="member_add"),
    path("members/<int:pk>/edit/", directory.member_edit, name="member_edit"),
    path("members/<int:pk>/person/", directory.member_person, name="member_person"),
    path("members/<int:pk>/deactivate/", directory.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/reactivate/", directory.member_reactivate, name="member_reactivate"),
]
