"""Fetchers that 404 outside the user's subtree and 403 without the capability (the rules live in org.permissions)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from pingyi.org.models import OrgUnit
from pingyi.org.permissions import Cap, can, grants_for, require

from .models import EvaluationRound, Exclusion, Notice, NoticeScope, PaperBatch, RoundMember


def get_round_for_user(user: Any, round_id: int, cap: Cap) -> EvaluationRound:
    round = get_object_or_404(EvaluationRound.objects.select_related("org", "campaign__org"), pk=round_id)
    require(user, cap, round.org)
    return round


def get_round_member_for_user(user: Any, round_member_id: int, cap: Cap) -> RoundMember:
    member = get_object_or_404(
        RoundMember.objects.select_related("round__org", "round__campaign__org", "person__org"), pk=round_member_id
    )
    require(user, cap, member.round.org)
    return member


def get_batch_for_user(user: Any, batch_id: int) -> PaperBatch:
    batch = get_object_or_404(PaperBatch.objects.select_related("round__org", "round__campaign"), pk=batch_id)
    require(user, Cap.ENTER_BALLOTS, batch.round.org)
    return batch


def get_own_membership(user: Any, round_id: int) -> RoundMember:
    """The viewer's own place in a round: 404 outside the subtree, 403 for those not on its list."""
    round = get_round_for_user(user, round_id, Cap.VIEW_CAMPAIGN)
    member = RoundMember.objects.filter(round=round, person__user=user).select_related("person").first()
    if member is None:
        raise PermissionDenied
    member.round = round
    return member


def may_approve_exclusions(user: Any, round: EvaluationRound) -> bool:
    """Only the level above: a role carrying the capability on a node strictly above the round's."""
    parent = round.org.parent
    return parent is not None and can(user, Cap.APPROVE_EXCLUSION, parent)


def get_exclusion_for_approval(user: Any, exclusion_id: int) -> Exclusion:
    exclusion = get_object_or_404(
        Exclusion.objects.select_related("round__org__parent", "member__person"), pk=exclusion_id
    )
    require(user, Cap.VIEW_CAMPAIGN, exclusion.round.org)
    if not may_approve_exclusions(user, exclusion.round):
        raise PermissionDenied
    return exclusion


def scope_org(notice: Notice) -> OrgUnit:
    org = notice.round.org
    if notice.scope == NoticeScope.BUREAU and org.parent is not None:
        return org.parent
    return org


def may_read_notice(user: Any, notice: Notice) -> bool:
    """Public notices are for anyone; otherwise anyone whose roles reach the scope's node, or who
    holds a role inside it (a member of the branch, a group leader below it)."""
    if notice.scope == NoticeScope.PUBLIC or getattr(user, "is_superuser", False):
        return True
    path = scope_org(notice).path
    return any(path.startswith(mine) or mine.startswith(path) for mine, _ in grants_for(user))


def get_notice_for_user(user: Any, notice_id: int) -> Notice:
    notice = get_object_or_404(
        Notice.objects.select_related("round__org__parent", "round__campaign", "supersedes", "successor"), pk=notice_id
    )
    if not may_read_notice(user, notice):
        raise Http404
    return notice
