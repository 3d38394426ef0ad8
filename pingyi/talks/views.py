from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.models import Audience, Campaign
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.campaigns.progress import audience
from pingyi.campaigns.selectors import member_of_campaign
from pingyi.opinions.selectors import rounds_for
from pingyi.org.permissions import Cap, can, require

from . import selectors, services
from .coverage import load_requirements
from .forms import RaisedOpinionFormSet, TalkForm, TalkRequirementForm
from .models import Side
from .permissions import get_recording_campaign, get_requirement_for_user, get_talk_for_user, may_read


@login_required
@require_GET
def campaign_talks(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Those who record talks see the whole coverage; a member sees whom they still owe a talk."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    full = can(request.user, Cap.RECORD_TALKS, campaign.org)
    me = member_of_campaign(request.user, campaign)
    period, requirements = selectors.window(campaign), selectors.requirements_for(campaign)
    talks = list(selectors.talks_in(campaign.org, *period))
    cov = selectors.coverage_for(campaign, talks, requirements)
    if not full:  # a member lists only the talks they were in
        talks = [t for t in talks if me and me.pk in {p.person_id for p in t.participants.all()}]
    context = {
        "campaign": campaign,
        "coverage": cov,
        "full": full,
        "me": me,
        "window": period,
        "rule_set": load_requirements(),
        "lines": selectors.owed_lines(cov, None if full else [me.pk] if me else []),
        "matrix": selectors.matrix(cov) if full else [],
        "talks": [(t, may_read(request.user, t)) for t in talks] if (full or me) else [],
        "may_record": full or me is not None,
        "requirements": requirements,
    }
    return render(request, "talks/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def talk_record(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, me = get_recording_campaign(request.user, campaign_id)
    people = audience(org=campaign.org, audience=Audience.MEMBERS).select_related("org")
    rounds = rounds_for(campaign)
    data = request.POST if request.method == "POST" else None
    earliest = selectors.window(campaign)[0]
    form = TalkForm(data, people=people, rounds=rounds, me=me, earliest=earliest, initial=_initial(request, rounds))
    opinions = RaisedOpinionFormSet(data, prefix="opinion", form_kwargs={"people": people})
    if request.method == "POST" and form.is_valid() and opinions.is_valid():
        raised = [
            services.OpinionInput(text=row["text"], concerns_person=row.get("concerns_person"))
            for row in opinions.cleaned_data
            if row.get("text", "").strip()
        ]
        if form.check_round(bool(raised)):
            try:
                result = services.record_talk(
                    campaign=campaign,
                    held_on=form.cleaned_data["held_on"],
                    topic=form.cleaned_data["topic"],
                    summary=form.cleaned_data["summary"],
                    side_a=form.side_a_people(),
                    side_b=list(form.cleaned_data["side_b"]),
                    opinions=raised,
                    round=form.cleaned_data.get("round"),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("谈话已记录。") if result.created else _("这次谈话已经记录过了。"))
                return redirect("talks:campaign", campaign_id=campaign.pk)
    context = {"campaign": campaign, "form": form, "opinions": opinions, "me": me}
    return render(request, "talks/record.html", context)


def _initial(request: HttpRequest, rounds: Any) -> dict[str, Any]:
    """The coverage page links an owed pair here (?a=&b=), so nobody picks the two names again."""
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    for key, field in (("a", "side_a"), ("b", "side_b")):
        ids = [v for v in request.GET.getlist(key) if v.isdigit()]
        if ids:
            initial[field] = ids
    only = list(rounds[:2])
    if len(only) == 1:
        initial["round"] = only[0].pk
    return initial


@login_required
@require_GET
def talk_detail(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = get_talk_for_user(request.user, talk_id)
    people = list(talk.participants.all())  # prefetched with their person
    context = {
        "talk": talk,
        "side_a": [p.person for p in people if p.side == Side.A],
        "side_b": [p.person for p in people if p.side == Side.B],
        "raised": talk.raised_opinions.select_related("concerns_person", "opinion__round"),
    }
    return render(request, "talks/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def talk_requirements(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    require(request.user, Cap.RECORD_TALKS, campaign.org)
    if request.method == "POST":
        require(request.user, Cap.MANAGE_CAMPAIGN, campaign.org)  # setting what counts is the campaign's set-up
    form = TalkRequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_requirement(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("规则已添加，覆盖情况已按新规则重新计算。"))
            return redirect("talks:requirements", campaign_id=campaign.pk)
    return render(request, "talks/requirements.html", _requirements_context(campaign, form))


def _requirements_context(campaign: Campaign, form: TalkRequirementForm) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "form": form,
        "standing": load_requirements(),
        "own_requirements": campaign.talk_requirements.all(),
    }


@login_required
@require_POST
def talk_requirement_remove(request: HttpRequest, talk_requirement_id: int) -> HttpResponse:
    requirement = get_requirement_for_user(request.user, talk_requirement_id)
    services.remove_requirement(requirement=requirement, by=request.user)
    messages.success(request, _("规则已删除。"))
    return redirect("talks:requirements", campaign_id=requirement.campaign_id)
