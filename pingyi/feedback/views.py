from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.core.documents import Document
from pingyi.core.downloads import DOCX, PDF, attachment
from pingyi.core.views import run_service
from pingyi.evaluation.selectors import own_result_table, what_follows
from pingyi.org.permissions import Cap, can

from . import selectors, services
from .documents import letter, merged
from .forms import FeedbackForm
from .models import Feedback, FeedbackStatus, Section
from .permissions import get_feedback_for_user, is_own


def _download(doc: Document, name: str, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        return attachment(doc.to_pdf(), f"{name}.pdf", PDF)
    return attachment(doc.to_docx(), f"{name}.docx", DOCX)


@login_required
@require_GET
def campaign_feedback(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The secretary's roster (who has feedback, who has not acknowledged); a member's own feedback."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    sees_roster = can(request.user, Cap.VIEW_ORG, campaign.org)
    state = request.GET.get("state", "")
    context = {
        "campaign": campaign,
        "mine": selectors.own_feedback(request.user, campaign),
        "roster": selectors.roster(campaign, state) if sees_roster else None,
        "totals": selectors.roster(campaign) if sees_roster else None,
        "state": state,
        "can_manage": can(request.user, Cap.MANAGE_EVALUATION, campaign.org),
    }
    return render(request, "feedback/campaign.html", context)


@login_required
@require_POST
def draft_all(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_EVALUATION)
    made = services.draft_all(campaign=campaign, by=request.user)
    if made:
        messages.success(request, _("已根据记录起草 %(n)s 份反馈，请逐份审改后送达。") % {"n": made})
    else:
        messages.info(request, _("每名党员都已有反馈，没有新起草。"))
    return redirect("feedback:campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def send_all(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_EVALUATION)
    result = services.send_all(campaign=campaign, by=request.user)
    messages.success(
        request, ngettext("已送达 %(n)s 份反馈。", "已送达 %(n)s 份反馈。", result.sent) % {"n": result.sent}
    )
    for reason in result.held:
        messages.warning(request, _("未送达：%(reason)s") % {"reason": reason})
    return redirect("feedback:campaign", campaign_id=campaign.pk)


@login_required
@require_GET
def letters(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Every delivered letter in one file, for those who need paper."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_EVALUATION)
    found = (
        Feedback.objects.filter(campaign=campaign)
        .exclude(status=FeedbackStatus.DRAFT)
        .select_related("person", "campaign__org")
        .order_by("person__org__path", "person_id")
    )
    if not found:
        messages.info(request, _("还没有送达的反馈，无可打印的书面反馈。"))
        return redirect("feedback:campaign", campaign_id=campaign.pk)
    return _download(merged(found), _("书面反馈（合并打印）"), request.GET.get("format", "docx"))


@login_required
@require_GET
def feedback_detail(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id)
    context = {
        "feedback": feedback,
        "own": is_own(request.user, feedback),
        "can_manage": can(request.user, Cap.MANAGE_EVALUATION, feedback.campaign.org),
        "sections": [(value, label, getattr(feedback, value)) for value, label in Section.choices],
        "missing": services.missing_sections(feedback),
        "what_follows": what_follows(feedback.grade, feedback.correct_by),
        "result": own_result_table(feedback.person, feedback.campaign),
    }
    return render(request, "feedback/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_edit(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id, "manage")
    if feedback.status != FeedbackStatus.DRAFT:
        messages.info(request, _("反馈已送达本人，不能再修改。"))
        return redirect("feedback:detail", feedback_id=feedback.pk)
    form = FeedbackForm(request.POST or None, initial={f: getattr(feedback, f) for f in services.TEXT_FIELDS})
    saved = (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.edit_feedback(feedback=feedback, by=request.user, **form.cleaned_data),
            done=_("已保存。"),
            form=form,
        )
    )
    if saved:
        return redirect("feedback:detail", feedback_id=feedback.pk)
    basis = [(value, label, feedback.basis_for(value)) for value, label in Section.choices]
    context = {
        "feedback": feedback,
        "form": form,
        "basis": basis,
        "what_follows": what_follows(feedback.grade, feedback.correct_by),
    }
    return render(request, "feedback/edit.html", context)


@login_required
@require_POST
def feedback_redraft(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id, "manage")
    run_service(
        request,
        lambda: services.draft_feedback(
            campaign=feedback.campaign, person=feedback.person, by=request.user, replace=True
        ),
        done=_("已按最新记录重新起草。"),
    )
    return redirect("feedback:edit", feedback_id=feedback.pk)


@login_required
@require_POST
def feedback_send(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id, "manage")
    outcome = run_service(request, lambda: services.send_feedback(feedback=feedback, by=request.user))
    sent = outcome.value
    if sent is not None and sent.held:
        messages.warning(request, sent.held)
    elif sent is not None and sent.changed:
        messages.success(request, _("已送达 %(name)s，等待本人确认。") % {"name": feedback.person.name})
    elif sent is not None:
        messages.info(request, _("这份反馈已经送达过了。"))
    return redirect("feedback:detail", feedback_id=feedback.pk)


@login_required
@require_POST
def feedback_acknowledge(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id, "acknowledge")
    run_service(
        request,
        lambda: services.acknowledge(feedback=feedback, by=request.user),
        done=_("已确认收到书面反馈。"),
        repeated=_("你已经确认过了。"),
    )
    return redirect("feedback:detail", feedback_id=feedback.pk)


@login_required
@require_GET
def feedback_letter(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id)
    name = _("书面反馈-%(name)s") % {"name": feedback.person.name}
    return _download(letter(feedback), name, request.GET.get("format", "docx"))


@login_required
@require_POST
def feedback_make_item(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, feedback_id, "manage")
    made = run_service(
        request,
        lambda: services.make_item(feedback=feedback, by=request.user),
        done=_("整改方向已列为本人的整改事项。"),
    )
    if made.value is None:
        return redirect("feedback:detail", feedback_id=feedback.pk)
    return redirect("rectification:item", rectification_item_id=made.value.pk)
