from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from portal.models import (
    AuditEvent,
    GeneratedFile,
    Membership,
    Operation,
    Person,
    Principal,
    Tenant,
    User,
)

admin.site.register(User, UserAdmin)


class PrincipalInline(admin.TabularInline):
    model = Principal
    extra = 0
    fields = ["name", "kind", "municipality_code", "archived_at"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "require_admin_two_factor", "is_active"]
    list_filter = ["require_admin_two_factor", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "region"]


@admin.register(Principal)
class PrincipalAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality_code", "tenant"]
    list_filter = ["tenant", "kind"]
    search_fields = ["name"]


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "principal", "tenant"]
    list_filter = ["tenant", "sector"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "principal", "organisation", "tenant"]
    list_filter = ["tenant"]
    search_fields = ["name", "email"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "principal", "is_active"]
    list_filter = ["tenant", "role", "is_active"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "actor", "action", "object_type", "object_id"]
    list_filter = ["tenant", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GeneratedFile)
class GeneratedFileAdmin(admin.ModelAdmin):
    """Generated documents, for looking into a failed job. Read-only: users
    retry from the page, and files are downloaded through the portal."""

    list_display = ["created_at", "tenant", "kind", "object_id", "status", "attempts"]
    list_filter = ["tenant", "kind", "status"]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
