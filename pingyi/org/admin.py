"""Staff-only admin. Writes that users make go through the pages (and services);
the admin is for the system administrator's repairs."""

from django.contrib import admin

from .models import OrgUnit, OrgUnitChange, Person, Post, RoleGrant


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["org"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "code", "depth", "is_demo"]
    list_filter = ["type", "is_demo"]
    search_fields = ["name", "code"]
    readonly_fields = ["parent", "path", "depth"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # new nodes need a path: create them on the tree pages (org.services)


@admin.register(OrgUnitChange)
class OrgUnitChangeAdmin(admin.ModelAdmin):
    list_display = ["org", "kind", "at", "by", "old_name", "new_name", "old_parent", "new_parent"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org", "category", "status", "is_demo"]
    list_filter = ["kind", "category", "status", "is_demo"]
    search_fields = ["name", "id_number"]
    autocomplete_fields = ["org", "group", "user"]
    inlines = [PostInline]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "org"]
