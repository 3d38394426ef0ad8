"""Who may read the progress and roll-up pages: `view_org` on the node (secretary, committee, office,
supervisor); they are read-only everywhere, including for a supervisor drilling down into a branch."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pingyi.campaigns.models import Campaign
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.org.models import OrgUnit
from pingyi.org.permissions import Cap, get_org_for_user, require

from .models import StageSummary


def get_rollup_root_for_user(user: Any, org_code: str) -> OrgUnit:
    return get_org_for_user(user, org_code, Cap.VIEW_ORG)


def get_progress_campaign_for_user(user: Any, campaign_id: int) -> Campaign:
    return get_campaign_for_user(user, campaign_id, Cap.VIEW_ORG)


def get_summary_for_user(user: Any, stage_summary_id: int) -> StageSummary:
    summary = get_object_or_404(StageSummary.objects.select_related("campaign__org", "stage"), pk=stage_summary_id)
    require(user, Cap.VIEW_ORG, summary.campaign.org)
    return summary
