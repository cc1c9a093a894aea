from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from complaintdesk.org.models import ApiToken, DealerGroup, Department, RoleGrant, Store, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["store", "department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "is_absent", "is_active", "is_staff"]
    list_filter = ["is_absent", "is_active", "is_staff", "grants__role"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("complaintdesk"), {"fields": ("display_name", "is_absent")}))
    inlines = [RoleGrantInline]


@admin.register(DealerGroup)
class DealerGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    autocomplete_fields = ["primary", "secondary"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "timezone", "form_prefix"]
    list_filter = ["group"]
    search_fields = ["code", "name"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["store", "kind", "name", "primary", "secondary"]
    list_filter = ["store", "kind"]
    search_fields = ["name", "store__name"]
    autocomplete_fields = ["primary", "secondary"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "group", "store", "department"]
    list_filter = ["role", "group", "store"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user", "store", "department"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `complaintdesk apitoken create` (the raw key is shown once)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
