"""Who may write, read and review a writing (the rules themselves live in pingyi.org.permissions).

A member writes only their own pieces. Reading a piece is for its author and for those with
Cap.REVIEW_WRITINGS on the author's node; reviewing it is for the latter, never for the author.
Outside the user's subtree the answer is 404, inside without the right 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pingyi.org.models import Role
from pingyi.org.permissions import CAPABILITIES, Cap, can, require, roles_at

from .models import Review, Writing

WRITING_RELATED = ("author__org", "campaign__org", "work_item__stage")


def is_author(user: Any, writing: Writing) -> bool:
    return bool(writing.author.user_id) and writing.author.user_id == getattr(user, "pk", None)


def _fetch(writing_id: int) -> Writing:
    return get_object_or_404(Writing.objects.select_related(*WRITING_RELATED), pk=writing_id)


def get_writing_for_author(user: Any, writing_id: int) -> Writing:
    writing = _fetch(writing_id)
    if is_author(user, writing):
        return writing
    require(user, Cap.VIEW_CAMPAIGN, writing.author.org)
    raise PermissionDenied


def get_writing_for_reader(user: Any, writing_id: int) -> Writing:
    writing = _fetch(writing_id)
    if not is_author(user, writing):
        require(user, Cap.REVIEW_WRITINGS, writing.author.org)
    return writing


def get_writing_for_reviewer(user: Any, writing_id: int) -> Writing:
    writing = _fetch(writing_id)
    require(user, Cap.REVIEW_WRITINGS, writing.author.org)
    if is_author(user, writing):
        raise PermissionDenied  # nobody reviews their own writing
    return writing


def may_review(user: Any, writing: Writing) -> bool:
    return can(user, Cap.REVIEW_WRITINGS, writing.author.org) and not is_author(user, writing)


def capacity_of(user: Any, writing: Writing) -> str:
    """In what capacity the user reviews: the branch's side (secretary) or the supervision group's.

    The administrator counts as both. Any role carrying Cap.REVIEW_WRITINGS other than the
    supervision group's reviews for the branch, so a change of the role set needs no change here.
    """
    if getattr(user, "is_superuser", False):
        return Review.Capacity.BOTH
    roles = roles_at(user, writing.author.org) & CAPABILITIES[Cap.REVIEW_WRITINGS]
    branch, supervision = bool(roles - {Role.SUPERVISOR}), Role.SUPERVISOR in roles
    if branch and supervision:
        return Review.Capacity.BOTH
    return Review.Capacity.SUPERVISION if supervision else Review.Capacity.BRANCH


def already_accepted_by(user: Any, writing: Writing) -> bool:
    """Whether the side the user reviews for has accepted the current version (a leader's piece then waits
    for the other side; the user has nothing more to do on it)."""
    capacity = capacity_of(user, writing)
    if capacity == Review.Capacity.BRANCH:
        return writing.branch_ok
    if capacity == Review.Capacity.SUPERVISION:
        return writing.supervision_ok
    return writing.branch_ok and writing.supervision_ok
