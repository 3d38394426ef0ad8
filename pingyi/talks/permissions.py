"""Who may see and record talks. Summaries are confidential: the participants and the secretary only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from pingyi.campaigns.models import Campaign
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.campaigns.selectors import member_of_campaign
from pingyi.org.models import Person
from pingyi.org.permissions import Cap, can, require

from .models import Talk, TalkRequirement


def is_participant(user: Any, talk: Talk) -> bool:
    """Reads the talk's participants (prefetched with their person on list pages)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(p.person.user_id == user.pk for p in talk.participants.all())


def may_read(user: Any, talk: Talk) -> bool:
    return can(user, Cap.READ_TALK_SUMMARIES, talk.org) or is_participant(user, talk)


def get_talk_for_user(user: Any, talk_id: int) -> Talk:
    """404 for everyone else, committee and supervisors included: they do not learn the talk's content."""
    talk = get_object_or_404(
        Talk.objects.select_related("org", "campaign").prefetch_related("participants__person"), pk=talk_id
    )
    if not may_read(user, talk):
        raise Http404
    return talk


def get_recording_campaign(user: Any, campaign_id: int) -> tuple[Campaign, Person | None]:
    """The campaign to record a talk under, and the recorder's own record when they may record only their own.

    Cap.RECORD_TALKS records any talk; a member of the campaign's branch records talks they took part in.
    """
    campaign = get_campaign_for_user(user, campaign_id, Cap.VIEW_CAMPAIGN)
    if can(user, Cap.RECORD_TALKS, campaign.org):
        return campaign, None
    me = member_of_campaign(user, campaign)
    if me is None:
        raise PermissionDenied
    return campaign, me


def get_requirement_for_user(user: Any, requirement_id: int) -> TalkRequirement:
    requirement = get_object_or_404(TalkRequirement.objects.select_related("campaign__org"), pk=requirement_id)
    require(user, Cap.RECORD_TALKS, requirement.campaign.org)
    require(user, Cap.MANAGE_CAMPAIGN, requirement.campaign.org)  # removing one changes what counts
    return requirement
