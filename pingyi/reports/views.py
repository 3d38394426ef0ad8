from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pingyi.campaigns.progress import State
from pingyi.core.downloads import XLSX, attachment
from pingyi.org.permissions import Cap, can

from . import exports, selectors
from .jobs import request_refresh
from .permissions import get_progress_campaign_for_user, get_rollup_root_for_user


@login_required
@require_GET
def rollup(request: HttpRequest, org_code: str) -> HttpResponse:
    """The supervision roll-up of a subtree: who needs a visit first, by a rule the page states."""
    root = get_rollup_root_for_user(request.user, org_code)
    job = request_refresh(root, by=request.user)
    context = {
        "view": selectors.rollup(root),
        "job": job if job and not job.finished else None,
        "rule": selectors.ATTENTION_RULE,
        "today": timezone.localdate(),
        "can_review": can(request.user, Cap.REVIEW_STAGE, root),
    }
    return render(request, "reports/rollup.html", context)


@login_required
@require_GET
def rollup_export(request: HttpRequest, org_code: str) -> HttpResponse:
    root = get_rollup_root_for_user(request.user, org_code)
    return attachment(exports.rollup_workbook(root), f"{root.name}-督导汇总.xlsx", XLSX)


@login_required
@require_GET
def campaign_progress(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """One stage of a branch's campaign: each item's state counts, and who is behind on what and why."""
    campaign = get_progress_campaign_for_user(request.user, campaign_id)
    stages = list(campaign.stages.order_by("order"))
    wanted = request.GET.get("stage", "")
    stage = next((s for s in stages if str(s.order) == wanted), None) or campaign.current_stage or stages[-1]
    context = {
        "campaign": campaign,
        "stages": stages,
        "progress": selectors.stage_progress(campaign, stage),
        "leaders_first": selectors.leaders_first(campaign),
        "states": State.choices,
        "can_manage": can(request.user, Cap.MANAGE_CAMPAIGN, campaign.org),
    }
    return render(request, "reports/progress.html", context)
