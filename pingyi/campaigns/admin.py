from django.contrib import admin

from .forms import CampaignTemplateAdminForm
from .models import Campaign, CampaignTemplate


@admin.register(CampaignTemplate)
class CampaignTemplateAdmin(admin.ModelAdmin):
    form = CampaignTemplateAdminForm
    list_display = ["name", "code", "is_active"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Read-only: campaigns change only through the services, which keep the audit log."""

    list_display = ["title", "org", "starts_on", "status"]
    list_filter = ["status"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
