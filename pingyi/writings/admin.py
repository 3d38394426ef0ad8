from django.contrib import admin

from .models import Writing


@admin.register(Writing)
class WritingAdmin(admin.ModelAdmin):
    """Read-only: writings change only through the services, which keep the audit log and every version."""

    list_display = ["title", "author", "kind", "status", "submitted_at", "accepted_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["author"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
