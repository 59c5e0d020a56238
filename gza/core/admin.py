from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gza.core.models import AccessLogEntry, AuditEvent, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_ka", "name_en", "kind", "country", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_ka", "name_en", "short_name"]
    autocomplete_fields = ["country", "parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (None, {"fields": ["full_name", "role", "organisation", "preferred_language"]}),
        (None, {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "organisation", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows can be read, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "verb", "target_type", "target_id", "ip_address"]
    list_filter = ["verb"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "subject_type", "subject_id"]
    list_filter = ["action"]
