"""Who may see and record life meetings (rules: org.permissions).

Planning and recording: Cap.MANAGE_MEETINGS. Reading a meeting's record and its minutes: those who view
the organisation (Cap.VIEW_ORG). A member invited to a meeting sees its plan and their own preparation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pingyi.org.permissions import Cap, can, require

from .models import Attendee, Commitment, Criticism, LifeMeeting


def get_meeting_for_user(user: Any, meeting_id: int, cap: Cap) -> LifeMeeting:
    meeting = get_object_or_404(
        LifeMeeting.objects.select_related("org", "campaign", "chair", "recorder", "opinion_round"), pk=meeting_id
    )
    require(user, cap, meeting.org)
    return meeting


def get_meeting_to_view(user: Any, meeting_id: int) -> tuple[LifeMeeting, Attendee | None]:
    """The meeting, and the viewer's own attendance when they may see only that."""
    meeting = get_object_or_404(
        LifeMeeting.objects.select_related("org", "campaign", "chair", "recorder", "opinion_round"), pk=meeting_id
    )
    require(user, Cap.VIEW_CAMPAIGN, meeting.org)
    if can(user, Cap.VIEW_ORG, meeting.org):
        return meeting, None
    mine = meeting.attendees.select_related("person").filter(person__user=user).first()
    if mine is None:
        raise PermissionDenied
    return meeting, mine


def get_attendee_for_user(user: Any, attendee_id: int) -> Attendee:
    attendee = get_object_or_404(
        Attendee.objects.select_related("meeting__org", "meeting__campaign", "person"), pk=attendee_id
    )
    require(user, Cap.MANAGE_MEETINGS, attendee.meeting.org)
    return attendee


def get_commitment_for_user(user: Any, commitment_id: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.select_related("attendee__meeting__org", "attendee__person"), pk=commitment_id
    )
    require(user, Cap.MANAGE_MEETINGS, commitment.attendee.meeting.org)
    return commitment


def get_criticism_for_user(user: Any, criticism_id: int) -> Criticism:
    criticism = get_object_or_404(
        Criticism.objects.select_related("attendee__meeting__org", "attendee__person"), pk=criticism_id
    )
    require(user, Cap.MANAGE_MEETINGS, criticism.attendee.meeting.org)
    return criticism
