"""Fetchers that 404 outside the user's subtree and 403 without the capability (rules: org.permissions)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pingyi.org.models import OrgUnitQuerySet
from pingyi.org.permissions import Cap, can, orgs_with, paths_with, require

from .models import Campaign, CampaignQuerySet, Excusal, LookBackItem, Stage


def visible_campaigns(user: Any) -> CampaignQuerySet:
    """Campaigns run by any node in the user's subtrees (every role may view campaigns)."""
    if getattr(user, "is_superuser", False):
        return Campaign.objects.all()
    return Campaign.objects.in_any_subtree(paths_with(user, Cap.VIEW_CAMPAIGN))


def manageable_orgs(user: Any) -> OrgUnitQuerySet:
    """Nodes where the user may open a campaign."""
    return orgs_with(user, Cap.MANAGE_CAMPAIGN)


def may_create(user: Any) -> bool:
    """Whether the user may open a campaign anywhere; answered from the cached grants, no query."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(paths_with(user, Cap.MANAGE_CAMPAIGN))


def may_see_names(user: Any, campaign: Campaign) -> bool:
    """Who is still missing, by name, is for those who may view the organisation, not for members."""
    return can(user, Cap.VIEW_ORG, campaign.org)


def get_campaign_for_user(user: Any, campaign_id: int, cap: Cap) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("org", "template"), pk=campaign_id)
    require(user, cap, campaign.org)
    return campaign


def get_stage_for_user(user: Any, stage_id: int, cap: Cap) -> Stage:
    stage = get_object_or_404(Stage.objects.select_related("campaign__org"), pk=stage_id)
    require(user, cap, stage.campaign.org)
    return stage


def get_lookback_item_for_user(user: Any, lookback_id: int, cap: Cap) -> LookBackItem:
    item = get_object_or_404(LookBackItem.objects.select_related("stage__campaign__org"), pk=lookback_id)
    require(user, cap, item.stage.campaign.org)
    return item


def get_excusal_for_user(user: Any, excusal_id: int) -> Excusal:
    excusal = get_object_or_404(Excusal.objects.select_related("campaign__org", "person"), pk=excusal_id)
    require(user, Cap.MANAGE_CAMPAIGN, excusal.campaign.org)
    return excusal
