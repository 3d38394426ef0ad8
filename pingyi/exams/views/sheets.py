"""A member sits the test: start (or resume on any phone), answers saved as given, submit once."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingyi.core.views import run_service

from .. import selectors, services
from ..documents import entered, lettered, right_letters
from ..models import AnswerSheet
from ..permissions import get_own_sitting, get_sheet_for_user, get_sheet_to_answer, is_own, may_manage
from ..services.answering import submit_if_due


@login_required
@require_POST
def start(request: HttpRequest, sitting_id: int) -> HttpResponse:
    sitting, person = get_own_sitting(request.user, sitting_id)
    call = partial(services.start_sheet, sitting=sitting, person=person, by=request.user)
    if done := run_service(request, call):
        return redirect("exams:sheet", sheet_id=done.value.pk)  # type: ignore[union-attr]
    return redirect("exams:campaign", campaign_id=sitting.campaign_id)


@login_required
@require_GET
def sheet(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """While time is left: the paper with the answers given so far. Afterwards: the score, and once the
    sitting (and its make-ups) closed, each wrong answer beside the right one."""
    sheet = get_sheet_for_user(request.user, sheet_id)
    if submit_if_due(sheet):
        messages.info(request, _("答题时间已到，已自动交卷。"))
    answers = selectors.sheet_answers(sheet)
    released = selectors.answers_released(sheet.sitting)
    # Right answers before everyone has sat only to those who run the test (the committee may be sitting it).
    show_right = released or may_manage(request.user, sheet.sitting.org)
    context = {
        "sheet": sheet,
        "own": is_own(request.user, sheet),
        "answering": sheet.submitted_at is None and is_own(request.user, sheet),
        "rows": [
            {
                "answer": a,
                "options": lettered(a),
                "chosen": entered(a),
                "right": right_letters(a) if show_right else "",
            }
            for a in answers
        ],
        "released": released,
        "released_at": selectors.answers_released_at(sheet.sitting),
        "answered": sum(1 for a in answers if a.response),
        "seconds_left": max(0, int((sheet.due_at - timezone.now()).total_seconds())),
        "passed": sheet.score is not None and sheet.score >= sheet.sitting.paper.pass_mark,
    }
    return render(request, "exams/sheet.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """One answer, as soon as it is given (htmx, on change). The answer's status line is the response."""
    position = request.POST.get("position", "")
    if not position.isdigit():
        return HttpResponse(_("请求有误。"), status=400)
    text = request.POST.get("text") if "text" in request.POST else None
    try:
        saved = services.save_answer(
            sheet_id=sheet_id,
            user_id=int(request.user.pk or 0),
            position=int(position),
            choices=request.POST.getlist("choice"),
            text=text,
        )
    except AnswerSheet.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        sheet = get_sheet_to_answer(request.user, sheet_id)
        if submit_if_due(sheet):
            messages.info(request, _("答题时间已到，已自动交卷。"))  # shown by the page htmx reloads
            response = render(request, "exams/_saved.html", {"error": _("答题时间已到，已自动交卷。")})
            response["HX-Refresh"] = "true"
            return response
        return render(request, "exams/_saved.html", {"error": " ".join(exc.messages)})
    return render(request, "exams/_saved.html", {"saved": saved})


@login_required
@require_POST
def submit(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = get_sheet_to_answer(request.user, sheet_id)
    call = partial(services.submit_sheet, sheet=sheet, by=request.user)
    run_service(request, call, done=_("已交卷。"), repeated=_("这份答卷已经交过了，第二次提交没有改变任何内容。"))
    return redirect("exams:sheet", sheet_id=sheet.pk)
