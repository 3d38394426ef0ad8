"""Who may see and run study activities: the branch's members read; MANAGE_STUDY schedules and keeps registers."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pingyi.org.models import Person
from pingyi.org.permissions import Cap, can, require

from .models import Activity, ActivityAttachment, ActivityPhoto, Attendance


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


def get_photo_for_user(user: Any, photo_id: int, cap: Cap = Cap.VIEW_CAMPAIGN) -> ActivityPhoto:
    """An activity's photo: those who see the activity see it; `cap` MANAGE_STUDY to remove it."""
    return _activity_file(ActivityPhoto, user, photo_id, cap)


def get_attachment_for_user(user: Any, attachment_id: int, cap: Cap = Cap.VIEW_CAMPAIGN) -> ActivityAttachment:
    """A file of an activity's materials: the branch's members and the staff above download it."""
    return _activity_file(ActivityAttachment, user, attachment_id, cap)


def _activity_file(model: Any, user: Any, pk: int, cap: Cap) -> Any:
    """A photo or file under the activity's rule (get_activity_for_user); its content is read only to show it."""
    found = model.objects.select_related("activity__org")
    stored = get_object_or_404(found if cap == Cap.VIEW_CAMPAIGN else found.defer("content"), pk=pk)
    require(user, cap, stored.activity.org)
    return stored
