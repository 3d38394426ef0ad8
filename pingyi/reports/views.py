from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.models import CampaignTemplate
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.campaigns.progress import State
from pingyi.core.downloads import DOCX, XLSX, attachment
from pingyi.core.views import run_service
from pingyi.org.permissions import Cap, can, paths_with

from . import exports, selectors, services
from .burden import ROLES, template_load
from .documents import summary_document
from .forms import SummaryForm
from .jobs import request_refresh
from .models import StageSummary
from .permissions import get_progress_campaign_for_user, get_rollup_root_for_user, get_summary_for_user
from .summary import draft


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


@login_required
@require_POST
def remind_overdue(request: HttpRequest, campaign_id: int, stage_order: int) -> HttpResponse:
    """One notice to each person overdue on the stage, at most one a day; the page says who was reached."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_CAMPAIGN)
    stage = get_object_or_404(campaign.stages, order=stage_order)
    outcome = run_service(request, lambda: services.remind_overdue(stage=stage, by=request.user))
    if outcome.value is not None:
        messages.success(request, reminded_message(outcome.value))
    return redirect(f"{reverse('reports:progress', args=[campaign.pk])}?stage={stage.order}#remind")


def reminded_message(r: services.Reminded) -> str:
    if not r.overdue:
        return _("这个阶段没有逾期人员。")
    parts = [ngettext("已提醒 %(n)d 人。", "已提醒 %(n)d 人。", r.sent) % {"n": r.sent}]
    if r.earlier:
        parts.append(
            ngettext("%(n)d 人今天已提醒过，不再重复。", "%(n)d 人今天已提醒过，不再重复。", r.earlier)
            % {"n": r.earlier}
        )
    if r.muted:
        parts.append(ngettext("%(n)d 人关闭了这类提醒。", "%(n)d 人关闭了这类提醒。", r.muted) % {"n": r.muted})
    if r.no_login:
        parts.append(
            ngettext("%(n)d 人没有账号，请电话或当面提醒。", "%(n)d 人没有账号，请电话或当面提醒。", r.no_login)
            % {"n": r.no_login}
        )
    return "".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def stage_summary(request: HttpRequest, campaign_id: int, stage_order: int) -> HttpResponse:
    """The drafted summary of a stage, the secretary's words beside it, its versions; save or finalise."""
    campaign = get_progress_campaign_for_user(request.user, campaign_id)
    stage = get_object_or_404(campaign.stages, order=stage_order)
    may_write = can(request.user, Cap.MANAGE_CAMPAIGN, campaign.org)
    versions = list(StageSummary.objects.filter(stage=stage).select_related("by"))
    latest = versions[0] if versions else None
    sections = draft(campaign, stage)
    form = SummaryForm(request.POST or None, sections=sections, initial=latest.notes if latest else {})
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        final = request.POST.get("final") == "1"
        done = _("已定稿。") if final else _("已保存为新版本。")
        if form.is_valid() and run_service(
            request,
            lambda: services.save_summary(stage=stage, notes=form.cleaned_data, by=request.user, final=final),
            done=done,
            form=form,
        ):
            return redirect("reports:summary", campaign_id=campaign.pk, stage_order=stage.order)
    context = {
        "campaign": campaign,
        "stage": stage,
        "sections": sections,
        "form": form,
        "versions": versions,
        "final": next((v for v in versions if v.final), None),
        "may_write": may_write,
    }
    return render(request, "reports/summary.html", context)


@login_required
@require_GET
def summary_download(request: HttpRequest, stage_summary_id: int) -> HttpResponse:
    summary = get_summary_for_user(request.user, stage_summary_id)
    name = f"{summary.campaign.title}-{summary.stage.name}-阶段总结-第{summary.number}版.docx"
    return attachment(summary_document(summary).to_docx(), name, DOCX)


@login_required
@require_GET
def burden(request: HttpRequest) -> HttpResponse:
    """What each campaign template asks people to enter, stage by stage; for designers and supervisors."""
    if not (request.user.is_superuser or paths_with(request.user, Cap.VIEW_ORG)):  # type: ignore[union-attr]
        raise PermissionDenied
    templates = [(t, template_load(t)) for t in CampaignTemplate.objects.filter(is_active=True).order_by("name")]
    return render(request, "reports/burden.html", {"templates": templates, "roles": ROLES})
