"""Staff only: the activity kinds and a branch's 三会一课 cadence are data, edited here."""

from django.contrib import admin

from .models import ActivityKind, RoutineRequirement, StudySettings


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "counts_study_hours", "routine_slot", "needs_lecturer", "rules"]


@admin.register(RoutineRequirement)
class RoutineRequirementAdmin(admin.ModelAdmin):
    list_display = ["org", "slot", "period"]


@admin.register(StudySettings)
class StudySettingsAdmin(admin.ModelAdmin):
    list_display = ["org", "self_checkin", "photos", "hours_required"]
