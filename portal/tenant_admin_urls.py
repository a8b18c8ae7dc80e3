"""The programme's directory and its administration, under /<tenant_slug>/admin/.

Included in the `portal` namespace."""

from django.urls import path

from portal.views import directory

urlpatterns = [
    path("principals/", directory.principal_list, name="principals"),
    path("people/", directory.person_list, name="people"),
    path("members/", directory.member_list, name="members"),
]
