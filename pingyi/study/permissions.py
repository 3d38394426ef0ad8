"""Who may see and run study activities: the branch's members read; MANAGE_STUDY schedules and keeps registers."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pingyi.org.models import Person
from pingyi.org.permissions import Cap, can, require

from .models import Activity, Attendance


def get_activity_for_user(user: Any, activity_id: int, cap: Cap = Cap.VIEW_CAMPAIGN) -> Activity:
    """404 outside the user's subtree; 403 without `cap` (members of the branch may view)."""
    activity = get_object_or_404(
        Activity.objects.select_related("org", "kind", "stage__campaign", "lecturer", "organiser", "group"),
        pk=activity_id,
    )
    require(user, cap, activity.org)
    return activity


def get_register_person(user: Any, activity: Activity, person_id: int) -> Person:
    """A person on the register of an activity the user keeps: someone of the activity's branch."""
    require(user, Cap.MANAGE_STUDY, activity.org)
    return get_object_or_404(Person.objects.select_related("org").in_subtree(activity.org), pk=person_id)


def get_attendance_for_user(user: Any, attendance_id: int) -> Attendance:
    attendance = get_object_or_404(
        Attendance.objects.select_related("activity__org", "activity__kind", "person"), pk=attendance_id
    )
    require(user, Cap.MANAGE_STUDY, attendance.activity.org)
    return attendance


def may_manage(user: Any, activity: Activity) -> bool:
    return can(user, Cap.MANAGE_STUDY, activity.org)
