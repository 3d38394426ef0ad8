"""Activities: the branch's list and month calendar, scheduling, a stage's list and statistics, the routine."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pingyi.campaigns.models import Stage
from pingyi.campaigns.permissions import get_campaign_for_user, get_stage_for_user
from pingyi.campaigns.progress import audience
from pingyi.core import submit_once as once
from pingyi.core.attachments import ACCEPT as FILE_ACCEPT
from pingyi.core.downloads import XLSX, attachment
from pingyi.core.images import ACCEPT as IMAGE_ACCEPT
from pingyi.core.views import run_service
from pingyi.org.models import OrgType, OrgUnit, person_of
from pingyi.org.permissions import Cap, can, get_org_for_user, orgs_with, require

from . import exports, routine, selectors, services
from .forms import ActivityForm, CadenceForm, EditForm, SettingsForm, initial_of
from .models import Activity
from .permissions import get_activity_for_user, may_manage


def _form_choices(org: OrgUnit) -> dict[str, Any]:
    return {
        "people": audience(org=org, audience="members"),
        "groups": OrgUnit.objects.in_subtree(org).filter(type=OrgType.GROUP),
        "stages": Stage.objects.filter(campaign__org__in=[*org.ancestor_ids(), org.pk]).select_related("campaign"),
    }


@login_required
@require_GET
def org_activities(request: HttpRequest, org_code: str) -> HttpResponse:
    """A month of the branch's activities, as a calendar and a list (?month=2005-03)."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_CAMPAIGN)
    first = _month(request.GET.get("month", ""))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    activities = list(selectors.month_activities(org, first, last))
    days: dict[int, list[Activity]] = {}
    for activity in activities:
        days.setdefault(timezone.localtime(activity.starts_at).day, []).append(activity)
    weeks = [
        [(d, days.get(d, [])) for d in week] for week in calendar.Calendar().monthdayscalendar(first.year, first.month)
    ]
    context = {
        "org": org,
        "month": first,
        "previous": (first.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + timedelta(days=1)).strftime("%Y-%m"),
        "weeks": weeks,
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        "activities": activities,
        "may_manage": can(request.user, Cap.MANAGE_STUDY, org),
        "may_view_org": can(request.user, Cap.VIEW_ORG, org),
    }
    return render(request, "study/org.html", context)


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_STUDY)
    stage_id = request.GET.get("stage", "")
    initial = {"held_on": timezone.localdate(), "starts": "09:00", "ends": "11:00"}
    if stage_id.isdigit():
        initial["stage"] = int(stage_id)
    form = ActivityForm(request.POST or None, initial=initial, **_form_choices(org))
    if request.method == "POST" and form.is_valid():
        call = lambda: services.schedule_activity(org=org, plan=form.plan(), by=request.user)  # noqa: E731
        outcome = run_service(request, call, done=_("活动已安排。"), form=form)
        if outcome and outcome.value is not None:
            return redirect("study:activity", activity_id=outcome.value.pk)
    return render(request, "study/schedule.html", {"org": org, "form": form})


@login_required
@require_GET
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id)
    manage = may_manage(request.user, activity)
    rows = selectors.register(activity) if manage else []
    me = person_of(request.user, member_only=True)
    mine = next((a for a in activity.attendances.filter(person=me)), None) if me else None
    settings = selectors.settings_for(activity.org)
    context = {
        "activity": activity,
        "may_manage": manage,
        "rows": rows,
        "counts": exports.counts(rows),
        "mine": mine,
        "checkin_on": settings.self_checkin,
        "photos_on": settings.photos,
        "photos": activity.photos.defer("content"),
        "attachments": activity.attachments.defer("content"),
        "accept_photos": IMAGE_ACCEPT,
        "accept_files": FILE_ACCEPT,
        "once": once.new_key() if manage else "",
    }
    return render(request, "study/activity.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    form = EditForm(request.POST or None, initial=initial_of(activity), **_form_choices(activity.org))
    if request.method == "POST" and form.is_valid():
        plan, minutes = form.plan(), form.cleaned_data["minutes"]
        call = lambda: services.update_activity(activity=activity, plan=plan, minutes=minutes, by=request.user)  # noqa: E731
        if run_service(request, call, done=_("活动已保存。"), form=form):
            return redirect("study:activity", activity_id=activity.pk)
    return render(request, "study/edit.html", {"activity": activity, "form": form})


@login_required
@require_GET
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A campaign's stages, each with its activities and the counts of its registers."""
    found = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    stages = [(stage, selectors.stage_statistics(found, stage)) for stage in found.stages.order_by("order")]
    context = {
        "campaign": found,
        "stages": stages,
        "may_manage": can(request.user, Cap.MANAGE_STUDY, found.org),
        "may_view_org": can(request.user, Cap.VIEW_ORG, found.org),
    }
    return render(request, "study/campaign.html", context)


@login_required
@require_GET
def stage(request: HttpRequest, stage_id: int) -> HttpResponse:
    """A stage's activities and its statistics; names of absentees only for those who view the organisation."""
    found = get_stage_for_user(request.user, stage_id, Cap.VIEW_CAMPAIGN)
    stats = selectors.stage_statistics(found.campaign, found)
    context = {
        "stage": found,
        "campaign": found.campaign,
        "stats": stats,
        "activities": list(selectors.stage_activities(found)),
        "may_manage": can(request.user, Cap.MANAGE_STUDY, found.campaign.org),
        "may_view_org": can(request.user, Cap.VIEW_ORG, found.campaign.org),
    }
    return render(request, "study/stage.html", context)


@login_required
@require_GET
def stage_xlsx(request: HttpRequest, stage_id: int) -> HttpResponse:
    found = get_stage_for_user(request.user, stage_id, Cap.VIEW_ORG)
    data = exports.stage_sheet(selectors.stage_statistics(found.campaign, found))
    return attachment(data, _("%(stage)s学习统计.xlsx") % {"stage": found.label}, XLSX)


@login_required
@require_GET
def routine_page(request: HttpRequest, org_code: str) -> HttpResponse:
    """三会一课 and study hours for a year (?year=), from the activities: nothing to fill in."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    since = routine.records_since(org)
    context = {
        "org": org,
        "year": year,
        "lines": routine.routine(org, year, today, since),
        "since": since,
        "hours": selectors.study_hours(org, year),
        "required": selectors.settings_for(org).hours_required,
        "may_manage": can(request.user, Cap.MANAGE_STUDY, org),
    }
    return render(request, "study/routine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cadence_page(request: HttpRequest, org_code: str) -> HttpResponse:
    """The secretary sets the branch's 三会一课 (how often, how many times), or resets it to the standard one."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    require(request.user, Cap.MANAGE_STUDY, org)
    form = CadenceForm(request.POST or None, current=routine.cadence(org))
    if request.method == "POST" and "reset" in request.POST:
        services.reset_cadence(org=org, by=request.user)
        messages.success(request, _("已恢复标准的三会一课要求。"))
        return redirect("study:routine", org_code=org.code)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.save_cadence(org=org, lines=form.lines(), by=request.user)  # noqa: E731
        if run_service(request, call, done=_("三会一课要求已保存。"), repeated=_("要求没有变化。"), form=form):
            return redirect("study:routine", org_code=org.code)
    context = {"org": org, "form": form, "standing": routine.standing() == routine.cadence(org)}
    return render(request, "study/cadence.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    require(request.user, Cap.MANAGE_STUDY, org)
    current = selectors.settings_for(org)
    initial = {"self_checkin": current.self_checkin, "photos": current.photos, "hours_required": current.hours_required}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.save_settings(org=org, by=request.user, **form.cleaned_data)  # noqa: E731
        if run_service(request, call, done=_("设置已保存。"), form=form):
            return redirect("study:settings", org_code=org.code)
    return render(request, "study/settings.html", {"org": org, "form": form})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A member's next activities, on their phone."""
    me = person_of(request.user, member_only=True)
    upcoming = selectors.upcoming_for(me) if me else []
    branches = orgs_with(request.user, Cap.VIEW_ORG).filter(type=OrgType.BRANCH).order_by("path")[:20]
    if me is not None:
        branches = [me.org, *(b for b in branches if b.pk != me.org_id)]  # type: ignore[assignment]
    return render(request, "study/mine.html", {"me": me, "upcoming": upcoming, "branches": branches})
