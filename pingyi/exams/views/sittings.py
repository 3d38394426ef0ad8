"""A campaign's sittings: holding one, its results, make-ups, paper answer sheets and grading by hand."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.core.downloads import PDF, XLSX, attachment
from pingyi.core.views import run_service
from pingyi.org.permissions import Cap, can

from .. import documents, exports, selectors, services
from ..forms import GradeForm, MakeupForm, SittingForm
from ..models import Mode
from ..permissions import (
    get_answer_to_grade,
    get_campaign_to_sit,
    get_person_in,
    get_sheet_to_manage,
    get_sitting_for_user,
    may_manage,
)


@login_required
@require_GET
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The work item's page: a member's own sittings; those who run or read the test, every sitting."""
    campaign, person = get_campaign_to_sit(request.user, campaign_id)
    mine = selectors.my_sittings(person, campaign) if person else []
    sheets = selectors.my_sheets(person, campaign) if person else {}
    context = {
        "campaign": campaign,
        "mine": [(s, sheets.get(s.pk)) for s in mine],
        "manage": may_manage(request.user, campaign.org),
        "sittings": selectors.sittings_of(campaign) if can(request.user, Cap.VIEW_ORG, campaign.org) else [],
    }
    return render(request, "exams/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sitting_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, _person = get_campaign_to_sit(request.user, campaign_id)
    if not may_manage(request.user, campaign.org):
        raise PermissionDenied
    items = selectors.exam_items(campaign)
    item = items.first()
    paper = selectors.default_paper(campaign, item)
    form = SittingForm(
        request.POST or None,
        papers=selectors.papers_for(campaign.org),
        items=items,
        initial={"work_item": item, "paper": paper},
    )
    if request.method == "POST" and form.is_valid():
        call = partial(services.create_sitting, campaign=campaign, by=request.user, **form.cleaned_data)
        if done := run_service(request, call, done=_("考试已安排。"), form=form):
            return redirect("exams:sitting", sitting_id=done.value.pk)  # type: ignore[union-attr]
    return render(request, "exams/sitting_form.html", {"campaign": campaign, "form": form})


@login_required
@require_GET
def sitting(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """Who sat, who did not and why, the scores and the pass mark."""
    sitting = get_sitting_for_user(request.user, sitting_id, Cap.VIEW_ORG)
    rows = selectors.roster(sitting)
    context = {
        "sitting": sitting,
        "rows": rows,
        "manage": may_manage(request.user, sitting.org),
        "sat": sum(1 for r in rows if r.state == "submitted"),
        "absent": [r for r in rows if r.state in ("absent", "started")],
        "ungraded": selectors.ungraded(sitting).count(),
        "makeups": sitting.makeups.all(),
    }
    return render(request, "exams/sitting.html", context)


@login_required
@require_GET
def export(request: HttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_sitting_for_user(request.user, sitting_id, Cap.VIEW_ORG)
    data = exports.results(sitting, selectors.roster(sitting))
    return attachment(data, _("%(title)s成绩.xlsx") % {"title": sitting.title}, XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def makeup(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """A make-up sitting for those who missed this one: tick them and write why each missed it."""
    sitting = get_sitting_for_user(request.user, sitting_id)
    absent = [r for r in selectors.roster(sitting) if r.state in ("absent", "started")]
    form = MakeupForm(request.POST or None, initial={"time_limit": sitting.time_limit})
    if request.method == "POST" and form.is_valid():
        chosen = {str(v) for v in request.POST.getlist("person")}
        seats = [
            (r.person, request.POST.get(f"reason-{r.person.pk}", "")) for r in absent if str(r.person.pk) in chosen
        ]
        call = partial(services.create_makeup, sitting=sitting, seats=seats, by=request.user, **form.cleaned_data)
        if done := run_service(request, call, done=_("补考已安排。"), form=form):
            return redirect("exams:sitting", sitting_id=done.value.pk)  # type: ignore[union-attr]
    return render(request, "exams/makeup_form.html", {"sitting": sitting, "form": form, "absent": absent})


@login_required
@require_POST
def paper_sheet(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """Paper mode: the member's own drawn paper, to print and later type in."""
    sitting = get_sitting_for_user(request.user, sitting_id)
    person_id = request.POST.get("person", "")
    if not person_id.isdigit():
        messages.error(request, _("请选择党员。"))
        return redirect("exams:sitting", sitting_id=sitting.pk)
    person = get_person_in(sitting, int(person_id))
    call = partial(services.issue_paper_sheet, sitting=sitting, person=person, by=request.user)
    if done := run_service(request, call):
        return redirect("exams:enter", sheet_id=done.value.pk)  # type: ignore[union-attr]
    return redirect("exams:sitting", sitting_id=sitting.pk)


@login_required
@require_GET
def print_sheet(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = get_sheet_to_manage(request.user, sheet_id)
    data = documents.paper_pdf(sheet, selectors.sheet_answers(sheet))
    return attachment(data, _("%(name)s的试卷.pdf") % {"name": sheet.person.name}, PDF)


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """The secretary types in a paper answer sheet: one short box a question, letters as printed."""
    sheet = get_sheet_to_manage(request.user, sheet_id)
    answers = selectors.sheet_answers(sheet)
    errors: list[str] = []
    if request.method == "POST":
        entries = {a.position: request.POST.get(f"q{a.position}", "") for a in answers}
        try:
            result = services.enter_paper_answers(sheet=sheet, entries=entries, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            if result.changed:
                messages.success(request, _("答卷已录入并评分。"))
            else:
                messages.info(request, _("这份答卷已经录入过了，没有再次保存。"))
            return redirect("exams:sitting", sitting_id=sheet.sitting_id)
    context = {
        "sheet": sheet,
        "rows": [(a, documents.entered(a), request.POST.get(f"q{a.position}", "")) for a in answers],
        "errors": errors,
        "paper_mode": sheet.mode == Mode.PAPER,
    }
    return render(request, "exams/enter.html", context)


@login_required
@require_GET
def grading(request: HttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_sitting_for_user(request.user, sitting_id)
    answers = list(selectors.ungraded(sitting)[:50])
    return render(request, "exams/grading.html", {"sitting": sitting, "answers": answers, "form": GradeForm()})


@login_required
@require_POST
def grade(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_answer_to_grade(request.user, answer_id)
    form = GradeForm(request.POST)
    if form.is_valid():
        call = partial(services.grade_short_answer, answer=answer, by=request.user, **form.cleaned_data)
        run_service(request, call, done=_("已评分。"))
    else:
        messages.error(request, _("请填写 0 到 %(n)d 之间的得分。") % {"n": answer.max_points})
    return redirect(reverse("exams:grading", kwargs={"sitting_id": answer.sheet.sitting_id}))
