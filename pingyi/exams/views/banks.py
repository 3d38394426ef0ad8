"""The test's start page, question banks and importing questions."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import visible_campaigns
from pingyi.core.downloads import XLSX, attachment
from pingyi.core.views import run_service
from pingyi.org.models import person_of
from pingyi.org.permissions import Cap, get_org_for_user, orgs_with

from .. import selectors, services
from ..forms import BankForm, ImportForm
from ..importers import xlsx
from ..models import Question, QuestionUpload
from ..permissions import get_bank_for_user

QUESTIONS_SHOWN = 300


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where the nav link goes: a member's own answer sheets, the campaigns' tests, and the nodes where the user
    runs them."""
    person = person_of(request.user, member_only=True)
    context = {
        "sheets": selectors.recent_sheets(person) if person else [],
        "now": timezone.now(),
        "campaigns": visible_campaigns(request.user).select_related("org").order_by("-starts_on")[:20],
        "orgs": orgs_with(request.user, Cap.MANAGE_EXAMS).order_by("path")[:50],
    }
    return render(request, "exams/home.html", context)


@login_required
@require_GET
def index(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_EXAMS)
    context = {"org": org, "banks": selectors.banks_for(org), "papers": selectors.papers_for(org)}
    return render(request, "exams/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bank_create(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_EXAMS)
    form = BankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = partial(services.create_bank, org=org, name=form.cleaned_data["name"], by=request.user)
        if done := run_service(request, call, done=_("题库已建立。"), form=form):
            return redirect("exams:bank", bank_id=done.value.pk)  # type: ignore[union-attr]
    return render(request, "exams/bank_form.html", {"org": org, "form": form})


@login_required
@require_GET
def bank(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = get_bank_for_user(request.user, bank_id)
    questions = Question.objects.filter(bank=bank).order_by("id")
    context = {"bank": bank, "count": questions.count(), "questions": questions[:QUESTIONS_SHOWN]}
    return render(request, "exams/bank.html", context)


@login_required
@require_POST
def question_delete(request: HttpRequest, bank_id: int, question_id: int) -> HttpResponse:
    """Back to the bank with what happened; a second click on a deleted question says so and changes nothing."""
    bank = get_bank_for_user(request.user, bank_id)
    question = Question.objects.filter(bank=bank, pk=question_id).first()
    if question is None:
        messages.info(request, _("这道题已经删除了。"))
    else:
        run_service(
            request, partial(services.delete_question, question=question, by=request.user), done=_("试题已删除。")
        )
    return redirect("exams:bank", bank_id=bank.pk)


@login_required
@require_http_methods(["GET", "POST"])
def bank_import(request: HttpRequest, bank_id: int) -> HttpResponse:
    """A file is imported at once, or, when large, by a job whose page shows its progress and comes back here
    (`?upload=`) with the outcome."""
    bank = get_bank_for_user(request.user, bank_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, fmt = upload.read(), form.cleaned_data["fmt"]
        if len(data) >= services.banks.BACKGROUND_FROM:
            queue = partial(services.queue_import, bank=bank, data=data, filename=upload.name, fmt=fmt, by=request.user)
            if queued := run_service(request, queue, form=form):
                return redirect("portal:job", job_id=queued.value.job_id)  # type: ignore[union-attr]
        else:
            call = partial(
                services.import_questions, bank=bank, data=data, filename=upload.name, fmt=fmt, by=request.user
            )
            if done := run_service(request, call, form=form):
                messages.success(request, _("已导入 %(n)d 道题。") % {"n": done.value.created})  # type: ignore[union-attr]
                return redirect("exams:bank", bank_id=bank.pk)
    uploaded = request.GET.get("upload", "")
    earlier = QuestionUpload.objects.filter(bank=bank, pk=uploaded).first() if uploaded.isdigit() else None
    return render(request, "exams/bank_import.html", {"bank": bank, "form": form, "earlier": earlier})


@login_required
@require_GET
def template(request: HttpRequest, bank_id: int) -> HttpResponse:
    get_bank_for_user(request.user, bank_id)
    return attachment(xlsx.template(), _("试题导入模板.xlsx"), XLSX)
