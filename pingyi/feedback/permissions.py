"""Who may read and act on written feedback: the secretary's side (manage_evaluation) and the member's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from pingyi.org.permissions import Cap, can, roles_at

from .models import Feedback


def is_own(user: Any, feedback: Feedback) -> bool:
    return bool(feedback.person.user_id and feedback.person.user_id == user.pk)


def get_feedback_for_user(user: Any, pk: int, action: str = "read") -> Feedback:
    """read: the secretary's side, or the member once it is delivered; acknowledge: the member only;
    manage: the secretary's side. A member never learns of a draft about them (404)."""
    feedback = get_object_or_404(
        Feedback.objects.select_related("campaign__org", "person__org", "rectification_item"), pk=pk
    )
    org = feedback.campaign.org
    own = is_own(user, feedback)
    if own and action in ("read", "acknowledge"):
        if not feedback.delivered:
            raise Http404
        return feedback
    if getattr(user, "is_superuser", False):
        if action == "acknowledge":
            raise PermissionDenied
        return feedback
    if not roles_at(user, org):
        raise Http404
    if action == "acknowledge" or not can(user, Cap.MANAGE_EVALUATION, org):
        raise PermissionDenied
    return feedback
