from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.selectors import member_of_campaign
from pingyi.core import submit_once as once
from pingyi.core.downloads import inline_image, stored_file
from pingyi.core.views import run_service
from pingyi.org.models import OrgUnit, person_of
from pingyi.org.permissions import Cap, can, require
from pingyi.study import selectors as study

from . import selectors, services
from .forms import ContactForm, DeedForm, MaterialForm, PlanForm, PointForm, SettingsForm, VisitForm
from .permissions import (
    get_branch_for_user,
    get_campaign_for_reader,
    get_contact_person_for_user,
    get_material_file_for_user,
    get_photo_for_user,
    get_plan_reader,
    get_point_for_user,
    get_stage_for_user,
)


def _page(request: HttpRequest, template: str, org: OrgUnit, **context: Any) -> HttpResponse:
    context.update(org=org, can_manage=can(request.user, Cap.MANAGE_OUTREACH, org), once=once.new_key())
    return render(request, f"outreach/{template}", context)


# --- The study plan of a stage ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def plan(request: HttpRequest, campaign_id: int, stage_order: int) -> HttpResponse:
    """Members read the stage's plan and tap 已阅; those who run outreach issue it and see who has not read it."""
    campaign, stage = get_stage_for_user(request.user, campaign_id, stage_order)
    manage = can(request.user, Cap.MANAGE_OUTREACH, campaign.org)
    current = selectors.plan_for(stage)
    initial = {f: getattr(current, f) for f in ("title", "body", "readings", "readings_due_on")} if current else {}
    form = PlanForm(request.POST or None, initial=initial) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = _("已修改学习计划。") if current else _("已下发学习计划，党员会收到通知。")
        if form.is_valid() and run_service(
            request,
            lambda: services.issue_plan(stage=stage, by=request.user, **form.cleaned_data),
            done=done,
            form=form,
        ):
            return redirect(request.path)
    me = member_of_campaign(request.user, campaign)
    context = {
        "campaign": campaign,
        "stage": stage,
        "plan": current,
        "form": form,
        "me": me,
        "read": bool(current and me and selectors.has_read(current, me)),
        "status": selectors.plan_status(current) if current and can(request.user, Cap.VIEW_ORG, campaign.org) else None,
    }
    return render(request, "outreach/plan.html", context)


@login_required
@require_GET
def campaign_plan(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The plan of the campaign's open stage (a work item links here with the campaign only)."""
    campaign = get_campaign_for_reader(request.user, campaign_id)
    stage = campaign.current_stage or campaign.stages.order_by("order").first()
    return redirect("outreach:plan", campaign_id=campaign.pk, stage_order=stage.order if stage else 1)


@login_required
@require_POST
def plan_read(request: HttpRequest, study_plan_id: int) -> HttpResponse:
    study_plan, me = get_plan_reader(request.user, study_plan_id)
    run_service(
        request,
        lambda: services.confirm_plan_read(plan=study_plan, person=me, by=request.user),
        done=_("已确认阅读。"),
        repeated=_("您已经确认过了。"),
    )
    if request.POST.get("back") == "received":  # confirmed from the member's own list
        return redirect("outreach:received")
    return redirect("outreach:plan", campaign_id=study_plan.campaign_id, stage_order=study_plan.stage.order)


@login_required
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """我收到的学习材料: the member's own materials, study plans with their reading, and activity files."""
    me = person_of(request.user, member_only=True)
    context = {
        "me": me,
        "materials": selectors.received_by(me) if me else [],
        "plans": selectors.plans_for(me) if me else [],
        "attachments": study.attachments_for(me) if me else [],
    }
    return render(request, "outreach/received.html", context)


# --- Materials --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def materials(request: HttpRequest, org_code: str) -> HttpResponse:
    """Books and materials handed out: one line each, "everyone got it" but the named exceptions."""
    org = get_branch_for_user(request.user, org_code)
    form = MaterialForm(request.POST or None, request.FILES or None, people=selectors.members(org))
    if request.method == "POST":
        require(request.user, Cap.MANAGE_OUTREACH, org)
        if repeat := once.repeated(request, request.path):
            return repeat
        if form.is_valid() and run_service(
            request,
            lambda: services.record_material(org=org, by=request.user, **form.cleaned_data),
            done=_("已登记发放。"),
            form=form,
        ):
            return once.saved(request, request.path)
        once.release(request)
    rows = list(selectors.materials(org)[:100])
    missing = selectors.missing_handouts([m.pk for m in rows])
    return _page(request, "materials.html", org, form=form, rows=[(m, missing.get(m.pk, [])) for m in rows])


@login_required
@require_GET
def material_file(request: HttpRequest, material_file_id: int) -> HttpResponse:
    return stored_file(get_material_file_for_user(request.user, material_file_id))


# --- Members away or retired ------------------------------------------------------------------------------


@login_required
@require_GET
def contacts(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code)
    return _page(request, "contacts.html", org, people=list(selectors.contact_roster(org)))


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def contact_add(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code, Cap.MANAGE_OUTREACH)
    people = selectors.away_or_retired(org)
    me = request.user.get_full_name() or request.user.first_name or request.user.get_username()  # type: ignore[union-attr]
    initial = {"contacted_by": me, "person": request.GET.get("person")}
    form = ContactForm(request.POST or None, people=people, initial=initial)
    back = reverse("outreach:contacts", args=[org.code])
    if request.method == "POST":
        if repeat := once.repeated(request, back):
            return repeat
        if form.is_valid() and run_service(
            request,
            lambda: services.record_contact(by=request.user, **form.cleaned_data),
            done=_("已登记联系情况。"),
            form=form,
        ):
            return once.saved(request, back)
        once.release(request)
    return _page(request, "contact_form.html", org, form=form)


@login_required
@require_GET
def person_contacts(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_contact_person_for_user(request.user, person_id)
    return _page(request, "person_contacts.html", person.org, person=person, log=selectors.contacts_of(person))


# --- Liaison points, visits and good deeds ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def liaison(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code)
    form = PointForm(request.POST or None, people=selectors.members(org))
    if request.method == "POST":
        require(request.user, Cap.MANAGE_OUTREACH, org)
        if form.is_valid() and run_service(
            request,
            lambda: services.add_point(org=org, by=request.user, **form.cleaned_data),
            done=_("已添加。"),
            form=form,
        ):
            return redirect(request.path)
    context = {"form": form, "points": selectors.points(org), "visits": selectors.visits(org)[:50]}
    return _page(request, "liaison.html", org, **context)


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def visit_add(request: HttpRequest, liaison_point_id: int) -> HttpResponse:
    point = get_point_for_user(request.user, liaison_point_id, Cap.MANAGE_OUTREACH)
    form = VisitForm(request.POST or None, people=selectors.members(point.org))
    back = reverse("outreach:liaison", args=[point.org.code])
    if request.method == "POST":
        if repeat := once.repeated(request, back):
            return repeat
        if form.is_valid() and run_service(
            request,
            lambda: services.record_visit(point=point, by=request.user, **form.cleaned_data),
            done=_("已登记。"),
            form=form,
        ):
            return once.saved(request, back)
        once.release(request)
    return _page(request, "visit_form.html", point.org, form=form, point=point)


@login_required
@require_GET
def deeds(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code)
    rows = selectors.deeds(org)[:200]
    return _page(request, "deeds.html", org, rows=rows, photos=selectors.photos_enabled(org))


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def deed_add(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code, Cap.MANAGE_OUTREACH)
    photos = selectors.photos_enabled(org)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = DeedForm(*data, people=selectors.members(org), points=selectors.points(org), photos=photos)
    back = reverse("outreach:deeds", args=[org.code])
    if request.method == "POST":
        if repeat := once.repeated(request, back):
            return repeat
        if form.is_valid() and run_service(
            request,
            lambda: services.record_good_deed(
                org=org, by=request.user, photos=form.cleaned_data.pop("photos", []), **form.cleaned_data
            ),
            done=_("已登记。"),
            form=form,
        ):
            return once.saved(request, back)
        once.release(request)
    return _page(request, "deed_form.html", org, form=form)


@login_required
@require_GET
def deed_photo(request: HttpRequest, deed_photo_id: int) -> HttpResponse:
    return inline_image(get_photo_for_user(request.user, deed_photo_id))


@login_required
@require_http_methods(["GET", "POST"])
def outreach_settings(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_branch_for_user(request.user, org_code, Cap.MANAGE_OUTREACH)
    form = SettingsForm(request.POST or None, initial={"photos": selectors.photos_enabled(org)})
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            lambda: services.set_photos(org=org, enabled=form.cleaned_data["photos"], by=request.user),
            done=_("已保存设置。"),
        )
        return redirect(request.path)
    return _page(request, "settings.html", org, form=form)
