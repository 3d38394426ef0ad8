"""Papers: the rules of a paper, and the item analysis of its sheets."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pingyi.core.views import run_service
from pingyi.org.permissions import Cap, get_org_for_user

from .. import selectors, services
from ..forms import DEFAULT_RULES, PaperForm, RuleFormSet
from ..permissions import get_paper_for_user, may_manage


@login_required
@require_http_methods(["GET", "POST"])
def paper_create(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_EXAMS)
    data = request.POST if request.method == "POST" else None
    form = PaperForm(data, banks=selectors.banks_for(org), initial={"code": "hundred-questions"})
    rules = RuleFormSet(data, prefix="rule", initial=DEFAULT_RULES)
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        chosen = [
            services.RuleInput(kind=r["kind"], count=r.get("count") or 0, points=r.get("points") or 1, tag=r["tag"])
            for r in rules.cleaned_data
            if r.get("kind")
        ]
        call = partial(services.create_paper, org=org, rules=chosen, by=request.user, **form.cleaned_data)
        if done := run_service(request, call, done=_("试卷已建立。"), form=form):
            return redirect("exams:paper", paper_id=done.value.pk)  # type: ignore[union-attr]
    return render(request, "exams/paper_form.html", {"org": org, "form": form, "rules": rules})


@login_required
@require_GET
def paper(request: HttpRequest, paper_id: int) -> HttpResponse:
    paper = get_paper_for_user(request.user, paper_id)
    rules = list(paper.rules.all())
    context = {
        "paper": paper,
        "rules": rules,
        "total": sum(r.points * r.count for r in rules),
        "questions": sum(r.count for r in rules),
        "sittings": paper.sittings.select_related("campaign").order_by("-opens_at"),
    }
    return render(request, "exams/paper.html", context)


@login_required
@require_GET
def analysis(request: HttpRequest, paper_id: int) -> HttpResponse:
    """Per question and per tag; the committee and the supervisor read it too."""
    paper = get_paper_for_user(request.user, paper_id, Cap.VIEW_ORG)
    manage = may_manage(request.user, paper.org)
    # The right options show in the analysis: before every sitting of the paper has closed, only to those
    # who run the test (a committee member may still be sitting it).
    hidden = not manage and selectors.paper_still_open(paper)
    result = selectors.paper_analysis(paper) if not hidden else selectors.PaperAnalysis(sheets=0)
    context = {
        "hidden": hidden,
        "paper": paper,
        "analysis": result,
        "chart": result.chart(),
        "manage": manage,
    }
    return render(request, "exams/analysis.html", context)
