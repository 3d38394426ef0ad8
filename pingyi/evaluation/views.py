from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.core import submit_once as once
from pingyi.core.downloads import DOCX, PDF, attachment
from pingyi.core.views import run_service
from pingyi.org.models import person_of
from pingyi.org.permissions import Cap, can

from . import documents, selectors, services
from .forms import (
    BatchForm,
    CloseForm,
    CodesForm,
    DecisionForm,
    ExclusionForm,
    NoticeForm,
    PaperVotedForm,
    RemainingForm,
    RoundForm,
    SelfAssessmentDraftForm,
    SelfAssessmentForm,
    branch_choices,
    parse_ballot,
)
from .models import EvaluationRound, Notice, NoticeScope, PaperBatch, RoundMember, SelfAssessment
from .permissions import (
    get_batch_for_user,
    get_exclusion_for_approval,
    get_notice_for_user,
    get_own_membership,
    get_round_for_user,
    get_round_member_for_user,
    may_approve_exclusions,
)


def _round_url(round: EvaluationRound) -> str:
    return reverse("evaluation:round", kwargs={"round_id": round.pk})


@login_required
@require_GET
def campaign_rounds(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    rounds = list(selectors.rounds_of(campaign))
    person = person_of(request.user, member_only=True)
    mine = set()
    if person:
        mine = set(RoundMember.objects.filter(person=person, round__in=rounds).values_list("round_id", flat=True))
    context = {
        "campaign": campaign,
        "rounds": rounds,
        "mine": mine,
        "can_manage": can(request.user, Cap.MANAGE_EVALUATION, campaign.org),
    }
    return render(request, "evaluation/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_EVALUATION)
    orgs = [o for o in branch_choices(campaign.org) if can(request.user, Cap.MANAGE_EVALUATION, o)]
    initial = {"title": _("%(campaign)s民主测评") % {"campaign": campaign.title}, "org": campaign.org_id}
    form = RoundForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(
                campaign=campaign, org=form.cleaned_data["org"], title=form.cleaned_data["title"],
                by=request.user, **form.terms(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("测评已建立。开始前，全体党员都能看到规则和权重。"))
            return redirect(_round_url(round))
    return render(request, "evaluation/round_form.html", {"form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    if not round.is_draft:
        messages.error(request, _("测评已经开始，规则和无记名设置已锁定，不能修改。"))
        return redirect(_round_url(round))
    form = RoundForm(request.POST or None, orgs=[round.org], initial=RoundForm.initial_for(round))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_terms(round=round, by=request.user, title=form.cleaned_data["title"], **form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("规则已保存。"))
            return redirect(_round_url(round))
    return render(request, "evaluation/round_form.html", {"form": form, "campaign": round.campaign, "round": round})


@login_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.VIEW_CAMPAIGN)
    user, org = request.user, round.org
    person = person_of(user, member_only=True)
    me = RoundMember.objects.filter(round=round, person=person).first() if person else None
    can_manage = can(user, Cap.MANAGE_EVALUATION, org)
    can_enter = can(user, Cap.ENTER_BALLOTS, org)
    context: dict[str, Any] = {
        "round": round,
        "me": me,
        "voted": me is not None and selectors.has_voted(me),
        "summary": selectors.participation(round),
        "members": round.members.select_related("person").order_by("person__org__path", "person_id"),
        "can_manage": can_manage,
        "can_enter": can_enter,
        "can_decide": can(user, Cap.DECIDE_EVALUATION, org),
        "can_approve": may_approve_exclusions(user, round),
        "sees_who": can(user, Cap.VIEW_ORG, org),
        "exclusions": round.exclusions.select_related("member__person"),
        "batches": round.paper_batches.all() if can_enter else [],
        "notices": round.notices.select_related("successor"),
        "public_url": request.build_absolute_uri(reverse("evaluation:public_rate", args=[round.public_key])),
    }
    if can_manage and not round.is_closed:
        context["exclusion_form"] = ExclusionForm(round=round)
        context["codes_form"] = CodesForm()
        context["too_few_to_rate"] = round.members.filter(graded=True).count() < 2
    if can_manage and round.is_open:
        context["close_form"] = CloseForm()
    if context["sees_who"] and not round.is_draft:
        context["not_voted"] = selectors.not_yet_voted(round)
    if can_enter and round.is_open:
        context["paper_form"] = PaperVotedForm(round=round)
        context["batch_form"] = BatchForm(round=round)
        context["unbatched"] = selectors.unbatched_member_ballots(round)
    return render(request, "evaluation/round.html", context)


@login_required
@require_POST
def round_open(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    done = _("测评已开始，规则和无记名设置已锁定。")
    run_service(request, lambda: services.open_round(round=round, by=request.user), done=done)
    return redirect(_round_url(round))


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    """Closing; below the target, a refusal shows the shortfall and keeps the reason typed so far."""
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        services.close_round(round=round, by=request.user, **form.cleaned_data)
    except services.BelowTarget as exc:
        form.add_error(None, exc)
        context = {"round": round, "form": form, "summary": selectors.participation(round)}
        return render(request, "evaluation/close.html", context, status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("测评已结束，支委会可以形成评定意见。"))
    return redirect(_round_url(round))


@login_required
@require_http_methods(["GET", "POST"])
def self_assess(request: HttpRequest, round_id: int) -> HttpResponse:
    """The 个人讲评 editor: autosaved while written (self_assess_autosave), counted once submitted here."""
    member = get_own_membership(request.user, round_id)
    round = member.round
    existing = SelfAssessment.objects.filter(member=member).first()
    initial = {"text": existing.text, "grade": existing.grade} if existing else {}
    form = SelfAssessmentForm(request.POST or None, round=round, graded=member.graded, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(
                round=round, person=member.person, text=form.cleaned_data["text"],
                grade=form.cleaned_data.get("grade"), by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("个人讲评已提交。"))
            return redirect(_round_url(round))
    context = {"round": round, "member": member, "form": form, "assessment": existing}
    return render(request, "evaluation/self_assess.html", context)


@login_required
@require_POST
def self_assess_autosave(request: HttpRequest, round_id: int) -> HttpResponse:
    """The editor posts here every few seconds and on blur (htmx); the answer is the "saved at" line."""
    member = get_own_membership(request.user, round_id)
    form = SelfAssessmentDraftForm(request.POST, round=member.round, graded=member.graded)
    context: dict[str, Any] = {}
    if not form.is_valid():
        context["error"] = next(iter(form.errors.values()))[0]
    else:
        data = form.cleaned_data
        try:
            saved = services.save_self_assessment_draft(
                round=member.round, person=member.person, text=data["text"] or "", grade=data.get("grade"),
                seq=data["seq"], client=data["client"] or "", by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            context["saved_at"] = saved.assessment.updated_at if saved.assessment else None
    return render(request, "evaluation/_autosave.html", context)


def _ballot_rows(round: EvaluationRound, subjects: list[RoundMember], data: Any) -> list[dict[str, Any]]:
    """What the rating page lists: each member with the grade (and dimension grades) chosen so far."""
    grades, dims = parse_ballot(data or {}, [s.pk for s in subjects], len(round.dimensions))
    return [
        {
            "member": s,
            "grade": grades.get(s.pk),
            "dimensions": [(n, name, dims.get((s.pk, n))) for n, name in enumerate(round.dimensions, start=1)],
        }
        for s in subjects
    ]


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, round_id: int) -> HttpResponse:
    """A member's ballot: everyone else on one page. Nothing about the ballot is kept but the counters."""
    member = get_own_membership(request.user, round_id)
    round = member.round
    voted = selectors.has_voted(member)
    subjects = list(round.members.filter(graded=True).exclude(pk=member.pk).select_related("person"))
    error, not_counted = "", False
    if request.method == "POST" and voted:
        not_counted = True  # a second tab, or the back button: say plainly this ballot was dropped
    elif request.method == "POST":
        grades, dims = parse_ballot(request.POST, [s.pk for s in subjects], len(round.dimensions))
        try:
            services.cast_vote(round=round, rater=member.person, grades=grades, dimension_grades=dims, by=request.user)
        except services.AlreadyVoted:
            voted = not_counted = True
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("投票已提交，谢谢参与。系统只记录您已参加，不记录投票内容。"))
            return redirect(_round_url(round))
    context = {
        "round": round,
        "voted": voted,
        "not_counted": not_counted,
        "rows": _ballot_rows(round, subjects, request.POST if request.method == "POST" and not voted else None),
        "error": error,
        "grades": list(enumerate(round.grades)),
    }
    return render(request, "evaluation/rate.html", context, status=409 if not_counted else 400 if error else 200)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def public_rate(request: HttpRequest, round_key: Any) -> HttpResponse:
    """群众参评: no login, a one-time code; the page works on a phone."""
    round = get_object_or_404(EvaluationRound.objects.select_related("org"), public_key=round_key)
    subjects = list(round.members.filter(graded=True).select_related("person"))
    available = round.is_open and round.allow_public
    error, done = "", False
    if request.method == "POST" and available:
        grades, dims = parse_ballot(request.POST, [s.pk for s in subjects], len(round.dimensions))
        try:
            services.cast_public_vote(
                round=round, code=request.POST.get("code", ""), grades=grades, dimension_grades=dims
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            done = True
    context = {
        "round": round,
        "available": available,
        "done": done,
        "error": error,
        "code": "" if done else request.POST.get("code", ""),
        "rows": _ballot_rows(round, subjects, request.POST if request.method == "POST" and not done else None),
        "grades": list(enumerate(round.grades)),
    }
    return render(request, "evaluation/public_rate.html", context, status=400 if error else 200)


@sensitive_post_parameters()
@login_required
@require_POST
def codes(request: HttpRequest, round_id: int) -> HttpResponse:
    """Print new one-time codes. This response is the only place the plain codes ever exist."""
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写 1 至 500 之间的张数。"))
        return redirect(_round_url(round))
    try:
        plain = services.issue_public_codes(round=round, count=form.cleaned_data["count"], by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(_round_url(round))
    url = request.build_absolute_uri(reverse("evaluation:public_rate", args=[round.public_key]))
    response = attachment(documents.slips(round, plain, url), f"{round.title}-群众测评票.pdf", PDF)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def exclusion_request(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    form = ExclusionForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("请选择党员并写明原因。"))
        return redirect(_round_url(round))
    member, reason = form.cleaned_data["member"], form.cleaned_data["reason"]
    run_service(
        request,
        lambda: services.request_exclusion(round=round, member=member, reason=reason, by=request.user),
        done=_("已提交上级党组织审批。"),
    )
    return redirect(_round_url(round))


@login_required
@require_POST
def exclusion_decide(request: HttpRequest, exclusion_id: int) -> HttpResponse:
    exclusion = get_exclusion_for_approval(request.user, exclusion_id)
    approve = request.POST.get("approve") == "1"
    run_service(
        request,
        lambda: services.decide_exclusion(exclusion=exclusion, approve=approve, by=request.user),
        done=_("已同意。") if approve else _("已不同意。"),
    )
    return redirect(_round_url(exclusion.round))


@login_required
@require_POST
def paper_voted(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.ENTER_BALLOTS)
    form = PaperVotedForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("请勾选已交纸质票的党员。"))
        return redirect(_round_url(round))
    members = list(form.cleaned_data["members"])
    run_service(
        request,
        lambda: services.mark_paper_voted(round=round, members=members, by=request.user),
        done=_("已登记 %(count)d 名党员纸质投票。") % {"count": len(members)},
    )
    return redirect(_round_url(round))


@login_required
@require_POST
def batch_create(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.ENTER_BALLOTS)
    form = BatchForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("请选择来源并填写本批票数。"))
        return redirect(_round_url(round))
    try:
        batch = services.create_batch(round=round, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(_round_url(round))
    return redirect("evaluation:batch_entry", batch_id=batch.pk)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def batch_entry(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, batch_id)
    round = batch.round
    subjects = list(round.members.filter(graded=True).select_related("person"))
    error, mismatched = "", []
    if request.method == "POST":
        counts = {
            key[2:]: int(str(value))
            for key, value in request.POST.items()
            if key.startswith("c-") and str(value).strip().isdigit()
        }
        try:
            result = services.enter_batch(batch=batch, counts=counts, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if result.mismatched:
                mismatched = result.mismatched
                error = _("两次录入有 %(count)d 处不一致，请对照纸质票核对后重新录入。") % {"count": len(mismatched)}
            else:
                done = _("已录入，等待另一人再录入一次。") if result.waiting else _("两次录入一致，本批已计入。")
                messages.success(request, done)
                return redirect(_round_url(round))
    context = {
        "batch": batch,
        "round": round,
        "subjects": subjects,
        "dimensions": [(0, _("总体评价")), *list(enumerate(round.dimensions, start=1))],
        "grades": list(enumerate(round.grades)),
        "error": error,
        "mismatched": set(mismatched),
        "values": request.POST if request.method == "POST" else {},
        "counted": batch.status == PaperBatch.Status.COUNTED,
    }
    return render(request, "evaluation/batch_entry.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every member's tally and decision, the count against the cap, and the plain cases settled at once (POST)."""
    round = get_round_for_user(request.user, round_id, Cap.DECIDE_EVALUATION)
    if not round.is_closed:
        messages.error(request, _("测评结束前不显示任何测评结果。"))
        return redirect(_round_url(round))
    board = selectors.committee_board(round)
    plain = [m.pk for m in board.undecided if m.pk not in board.flagged]
    form = RemainingForm(
        request.POST or None, round=round, undecided=board.undecided, flagged=board.flagged, initial={"members": plain}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.decide_remaining(
                round=round, members=data["members"], grade=data["grade"], opinion=data["opinion"],
                reason=data["reason"], by=request.user,
            ),
            form=form,
        )  # fmt: skip
        if done:
            messages.success(request, _("已一并评定 %(n)d 名党员，每人仍可单独修改。") % {"n": done.value})
            return redirect("evaluation:committee", round_id=round.pk)
    context = {"round": round, "board": board, "form": form, "grades": round.grades}
    return render(request, "evaluation/committee.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, round_member_id: int) -> HttpResponse:
    member = get_round_member_for_user(request.user, round_member_id, Cap.DECIDE_EVALUATION)
    round = member.round
    if not round.is_closed:
        messages.error(request, _("测评结束后才能形成评定意见。"))
        return redirect(_round_url(round))
    info = selectors.dossier(member)
    initial = {}
    if info.decision:
        d = info.decision
        initial = {
            "grade": d.grade, "opinion": d.opinion, "reason": d.reason, "record_notes": d.record_notes,
            "correct_by": d.correct_by,
        }  # fmt: skip
    form = DecisionForm(request.POST or None, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(member=member, by=request.user, grade=form.cleaned_data.get("grade"),
                            opinion=form.cleaned_data["opinion"], reason=form.cleaned_data["reason"],
                            record_notes=form.cleaned_data["record_notes"],
                            correct_by=form.cleaned_data.get("correct_by"),
                            change_reason=form.cleaned_data.get("change_reason", ""))  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s的评定意见已保存。") % {"name": member.person.name})
            return redirect("evaluation:committee", round_id=round.pk)
    context = {
        "round": round, "member": member, "info": info, "form": form, "grades": round.grades,
        "cap": selectors.cap_count(round),
    }  # fmt: skip
    return render(request, "evaluation/decide.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def notice_create(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_round_for_user(request.user, round_id, Cap.MANAGE_EVALUATION)
    form = NoticeForm(request.POST or None, initial={"scope": "branch"})
    if request.method == "POST":
        first, url = once.claim(request)
        if not first:  # a double click: where the first one went, nothing published twice
            messages.info(request, _("这份表单已经提交过了，没有重复发布。"))
            return redirect(url or _round_url(round))
        published = form.is_valid() and run_service(
            request,
            lambda: services.publish_notice(round=round, by=request.user, **form.cleaned_data),
            form=form,
        )
        if published and published.value is not None:
            notice = published.value
            messages.success(request, _("通报已发布，并替代了原通报。") if notice.supersedes_id else _("通报已发布。"))
            url = reverse("evaluation:notice", kwargs={"notice_id": notice.pk})
            once.remember(request, url)
            return redirect(url)
        once.release(request)
    context = {
        "round": round,
        "form": form,
        "current": round.notices.filter(successor__isnull=True),
        "once": once.new_key(),
    }
    return render(request, "evaluation/notice_form.html", context, status=400 if form.errors else 200)


@require_GET
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A notice at its scope: public ones need no login; others only for those the scope covers."""
    found = _readable_notice(request, notice_id)
    if isinstance(found, HttpResponse):
        return found
    context = {
        "notice": found,
        "round": found.round,
        "counts": found.counts,
        "target_sentence": selectors.target_sentence(found.counts),
        "paper_sentence": selectors.paper_sentence(found.counts),
    }
    return render(request, "evaluation/notice.html", context)


@require_GET
def notice_docx(request: HttpRequest, notice_id: int) -> HttpResponse:
    found = _readable_notice(request, notice_id)
    if isinstance(found, HttpResponse):
        return found
    return attachment(documents.notice_document(found).to_docx(), documents.notice_filename(found, "docx"), DOCX)


@require_GET
def notice_pdf(request: HttpRequest, notice_id: int) -> HttpResponse:
    found = _readable_notice(request, notice_id)
    if isinstance(found, HttpResponse):
        return found
    return attachment(documents.notice_document(found).to_pdf(), documents.notice_filename(found, "pdf"), PDF)


def _readable_notice(request: HttpRequest, notice_id: int) -> Any:
    scope = Notice.objects.filter(pk=notice_id).values_list("scope", flat=True).first()
    if scope is not None and scope != NoticeScope.PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return get_notice_for_user(request.user, notice_id)
