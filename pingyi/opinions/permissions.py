"""Fetchers that 404 outside the user's subtree and 403 without the capability (rules: org.permissions)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pingyi.org.permissions import Cap, require

from .models import Invitee, LetterBatch, Opinion, OpinionRound, Symposium


def get_round_for_user(user: Any, round_id: int, cap: Cap = Cap.MANAGE_OPINIONS) -> OpinionRound:
    round_ = get_object_or_404(OpinionRound.objects.select_related("org", "campaign"), pk=round_id)
    require(user, cap, round_.org)
    return round_


def get_opinion_for_user(user: Any, opinion_id: int, cap: Cap = Cap.MANAGE_OPINIONS) -> Opinion:
    opinion = get_object_or_404(
        Opinion.objects.select_related(
            "round__org", "round__campaign", "category", "concerns_person", "merged_into", "rectification_item"
        ),
        pk=opinion_id,
    )
    require(user, cap, opinion.round.org)
    return opinion


def get_symposium_for_user(user: Any, symposium_id: int, cap: Cap = Cap.MANAGE_OPINIONS) -> Symposium:
    symposium = get_object_or_404(Symposium.objects.select_related("round__org"), pk=symposium_id)
    require(user, cap, symposium.round.org)
    return symposium


def get_invitee_for_user(user: Any, invitee_id: int, cap: Cap = Cap.MANAGE_OPINIONS) -> Invitee:
    invitee = get_object_or_404(Invitee.objects.select_related("round__org"), pk=invitee_id)
    require(user, cap, invitee.round.org)
    return invitee


def get_batch_for_user(user: Any, batch_id: int, cap: Cap = Cap.MANAGE_OPINIONS) -> LetterBatch:
    batch = get_object_or_404(LetterBatch.objects.select_related("round__org", "job"), pk=batch_id)
    require(user, cap, batch.round.org)
    return batch


def get_public_round(round_key: str) -> OpinionRound:
    """The public form needs no login: the unguessable key in the link is the only way in."""
    return get_object_or_404(OpinionRound.objects.select_related("org", "campaign"), public_key=round_key)
