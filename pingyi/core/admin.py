from django.contrib import admin

from .models import AuditEntry, Job, PrivateDataView


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is only ever appended to by services."""

    list_display = ["id", "at", "actor_name", "actor_label", "action", "org", "target"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "done", "total", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "name"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(PrivateDataView)
class PrivateDataViewAdmin(admin.ModelAdmin):
    """Read-only: who was shown unmasked ID numbers or phones, and where."""

    list_display = ["at", "username", "what", "org", "subject", "count"]
    list_filter = ["what"]
    search_fields = ["username", "subject"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
