from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.models import Audience, Campaign
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.campaigns.progress import audience
from pingyi.campaigns.selectors import member_of_campaign
from pingyi.core.downloads import DOCX, attachment
from pingyi.opinions.selectors import rounds_for
from pingyi.org.models import Person, person_of
from pingyi.org.permissions import Cap, can, require

from . import selectors, services
from .forms import (
    DEFAULT_AGENDA,
    AttendanceForm,
    CommitmentFormSet,
    CriticismFormSet,
    MemberRecordForm,
    PlanForm,
)
from .minutes import minutes_document, minutes_filename
from .models import Kind, LifeMeeting
from .permissions import (
    get_attendee_for_user,
    get_commitment_for_user,
    get_criticism_for_user,
    get_meeting_for_user,
    get_meeting_to_view,
)


@login_required
@require_GET
def campaign_meetings(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    meetings = selectors.meetings_of(campaign).select_related("chair")
    if not can(request.user, Cap.VIEW_ORG, campaign.org):  # a member sees the meetings they are asked to
        me = member_of_campaign(request.user, campaign)
        meetings = meetings.filter(attendees__person=me) if me else meetings.none()
    context = {
        "campaign": campaign,
        "meetings": meetings,
        "can_manage": can(request.user, Cap.MANAGE_MEETINGS, campaign.org),
        "kinds": Kind.choices,
    }
    return render(request, "meetings/campaign.html", context)


def _plan_form(request: HttpRequest, campaign: Campaign, initial: dict[str, Any]) -> PlanForm:
    return PlanForm(
        request.POST if request.method == "POST" else None,
        people=audience(org=campaign.org, audience=Audience.MEMBERS).select_related("org"),
        supervisors=selectors.supervision_people(campaign.org),
        rounds=rounds_for(campaign),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    require(request.user, Cap.MANAGE_MEETINGS, campaign.org)
    kind = Kind(request.GET["kind"]) if request.GET.get("kind") in Kind.values else Kind.ORGANISATIONAL
    me = person_of(request.user, member_only=False)
    rounds = list(rounds_for(campaign)[:2])
    initial = {
        "kind": kind,
        "attendees": list(selectors.default_attendees(campaign.org, kind).values_list("pk", flat=True)),
        "agenda": DEFAULT_AGENDA[kind],
        "chair": me.pk if me else None,
        "opinion_round": rounds[0].pk if len(rounds) == 1 else None,
    }
    form = _plan_form(request, campaign, initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(
                campaign=campaign,
                plan=form.plan(),
                attendees=list(form.cleaned_data["attendees"]),
                supervisors=list(form.cleaned_data.get("supervisors") or []),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议已计划。"))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/plan.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, Cap.MANAGE_MEETINGS)
    campaign = meeting.campaign
    if campaign is None:  # planned under a campaign that is gone: nothing to choose people from
        raise Http404
    initial = {
        "kind": meeting.kind,
        "theme": meeting.theme,
        "held_on": meeting.held_on,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "chair": meeting.chair_id,
        "recorder": meeting.recorder_id,
        "agenda": meeting.agenda,
        "attendees": list(meeting.attendees.values_list("person_id", flat=True)),
        "supervisors": list(meeting.supervisors.values_list("pk", flat=True)),
        "opinion_round": meeting.opinion_round_id,
    }
    form = _plan_form(request, campaign, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                meeting=meeting,
                plan=form.plan(),
                attendees=list(form.cleaned_data["attendees"]),
                supervisors=list(form.cleaned_data.get("supervisors") or []),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议计划已保存。"))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/plan.html", {"campaign": campaign, "form": form, "meeting": meeting})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, mine = get_meeting_to_view(request.user, meeting_id)
    attendees = [mine] if mine else list(selectors.attendees_of(meeting))
    rows = selectors.prerequisites(meeting, attendees)
    context = {
        "meeting": meeting,
        "rows": rows,
        "warned": sum(1 for r in rows if r.warnings),
        "own_only": mine is not None,
        "can_manage": can(request.user, Cap.MANAGE_MEETINGS, meeting.org),
        "supervisors": meeting.supervisors.all(),
    }
    return render(request, "meetings/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, Cap.MANAGE_MEETINGS)
    attendees = list(meeting.attendees.select_related("person"))
    form = AttendanceForm(request.POST if request.method == "POST" else None, attendees=attendees)
    if request.method == "POST" and form.is_valid():
        rows = [
            services.AttendanceRow(
                attendee=a,
                present=form.cleaned_data[f"present_{a.pk}"],
                absence_reason=form.cleaned_data[f"reason_{a.pk}"],
            )
            for a in attendees
        ]
        services.record_attendance(meeting=meeting, rows=rows, by=request.user)
        messages.success(request, _("出席情况已记录。"))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def attendee_record(request: HttpRequest, attendee_id: int) -> HttpResponse:
    attendee = get_attendee_for_user(request.user, attendee_id)
    meeting = attendee.meeting
    # Criticism comes from the other attendees or the supervision group attending.
    critic_ids = [
        *meeting.attendees.values_list("person_id", flat=True),
        *meeting.supervisors.values_list("pk", flat=True),
    ]
    critics = Person.objects.filter(pk__in=critic_ids).exclude(pk=attendee.person_id).order_by("id")
    data = request.POST if request.method == "POST" else None
    form = MemberRecordForm(data, initial={"self_criticism": attendee.self_criticism, "response": attendee.response})
    criticisms = CriticismFormSet(data, prefix="criticism", form_kwargs={"critics": critics})
    commitments = CommitmentFormSet(data, prefix="commitment")
    if request.method == "POST" and form.is_valid() and criticisms.is_valid() and commitments.is_valid():
        services.record_member(
            attendee=attendee,
            self_criticism=form.cleaned_data["self_criticism"],
            response=form.cleaned_data["response"],
            criticisms=[services.CriticismInput(c.get("critic"), c.get("text", "")) for c in criticisms.cleaned_data],
            commitments=[
                services.CommitmentInput(c.get("text", ""), c.get("due_on")) for c in commitments.cleaned_data
            ],
            by=request.user,
        )
        messages.success(request, _("%(name)s 的发言已保存。") % {"name": attendee.person.name})
        return redirect("meetings:attendee", attendee_id=attendee.pk)
    context = {
        "meeting": meeting,
        "attendee": attendee,
        "form": form,
        "criticisms": criticisms,
        "commitments": commitments,
        "given": attendee.criticisms.select_related("critic", "rectification_item"),
        "promised": attendee.commitments.select_related("rectification_item"),
    }
    return render(request, "meetings/attendee.html", context)


@login_required
@require_POST
def commitment_rectify(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_commitment_for_user(request.user, commitment_id)
    services.rectify_commitment(commitment=commitment, by=request.user)
    messages.success(request, _("已转为整改事项。"))
    return redirect("meetings:attendee", attendee_id=commitment.attendee_id)


@login_required
@require_POST
def criticism_rectify(request: HttpRequest, criticism_id: int) -> HttpResponse:
    criticism = get_criticism_for_user(request.user, criticism_id)
    services.rectify_criticism(criticism=criticism, by=request.user)
    messages.success(request, _("已转为整改事项。"))
    return redirect("meetings:attendee", attendee_id=criticism.attendee_id)


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting: LifeMeeting = get_meeting_for_user(request.user, meeting_id, Cap.VIEW_ORG)
    return attachment(minutes_document(meeting).to_docx(), minutes_filename(meeting), DOCX)
