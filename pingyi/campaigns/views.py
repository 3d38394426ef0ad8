from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.core.views import run_service
from pingyi.org.permissions import Cap, can

from . import services
from .forms import CampaignForm, ExcusalForm, LookBackNoteForm, StageReviewForm
from .models import Campaign, Stage
from .permissions import (
    get_campaign_for_user,
    get_excusal_for_user,
    get_lookback_item_for_user,
    get_stage_for_user,
    may_create,
    visible_campaigns,
)
from .selectors import STAGE_PREFETCH, campaign_page


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_campaigns(request.user).select_related("org", "template").prefetch_related(STAGE_PREFETCH[0])
    return render(request, "campaigns/list.html", {"campaigns": campaigns, "can_create": may_create(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(by=request.user, **form.cleaned_data)
        messages.success(request, _("活动已创建，第一阶段已开始。"))
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/create.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    return _render_detail(request, campaign)


def _render_detail(
    request: HttpRequest, campaign: Campaign, review_form: StageReviewForm | None = None
) -> HttpResponse:
    user, org = request.user, campaign.org
    panel = campaign_page(campaign, user)
    placed = [m for m in messages.get_messages(request) if (m.extra_tags or "").startswith("at:")]
    for stage_panel in panel.stages:
        stage_panel.placed_messages = [m for m in placed if m.extra_tags == _placed_at(stage_panel.stage)]
    can_review = can(user, Cap.REVIEW_STAGE, org)
    if can_review:
        for stage_panel in panel.stages:
            mine = stage_panel.my_review
            initial = {"rating": mine.rating, "comment": mine.comment} if mine else {}
            stage_panel.review_form = StageReviewForm(prefix=f"review-{stage_panel.stage.pk}", initial=initial)
            if review_form is not None and review_form.prefix == stage_panel.review_form.prefix:
                stage_panel.review_form = review_form
    context = {
        "panel": panel,
        "can_manage": can(user, Cap.MANAGE_CAMPAIGN, org),
        "can_sign_off": can(user, Cap.SIGN_OFF_STAGE, org),
        "can_review": can_review,
    }
    return render(request, "campaigns/detail.html", context)


@login_required
@require_POST
def lookback_check(request: HttpRequest, lookback_id: int) -> HttpResponse:
    item = get_lookback_item_for_user(request.user, lookback_id, Cap.MANAGE_CAMPAIGN)
    form = LookBackNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _lookback_change(
        request, item.stage, lambda: services.check_lookback_item(item=item, by=request.user, note=note)
    )


@login_required
@require_POST
def lookback_uncheck(request: HttpRequest, lookback_id: int) -> HttpResponse:
    item = get_lookback_item_for_user(request.user, lookback_id, Cap.MANAGE_CAMPAIGN)
    return _lookback_change(request, item.stage, lambda: services.uncheck_lookback_item(item=item, by=request.user))


def _lookback_change(request: HttpRequest, stage: Stage, change: Callable[[], object]) -> HttpResponse:
    """htmx swaps the stage's checklist in place; a plain form post goes back to the stage."""
    error = ""
    try:
        change()
    except ValidationError as exc:
        error = exc.messages[0]
    if request.headers.get("HX-Request"):
        return _lookback_partial(request, stage, error=error)
    if error:
        messages.error(request, error, extra_tags=_placed_at(stage))
    return redirect(_stage_url(stage))


def _lookback_partial(request: HttpRequest, stage: Stage, **errors: str) -> HttpResponse:
    stage = Stage.objects.prefetch_related("lookback_items").select_related("campaign__org").get(pk=stage.pk)
    context = {
        "stage": stage,
        "can_manage": can(request.user, Cap.MANAGE_CAMPAIGN, stage.campaign.org),
        "can_sign_off": can(request.user, Cap.SIGN_OFF_STAGE, stage.campaign.org),
        **errors,
    }
    return render(request, "campaigns/_lookback.html", context)


@login_required
@require_POST
def stage_sign_off(request: HttpRequest, stage_id: int) -> HttpResponse:
    """A refusal is shown beside the sign-off button: in the stage's look-back swapped in place (htmx),
    or in the stage's card after the page comes back scrolled to it (a plain post)."""
    stage = get_stage_for_user(request.user, stage_id, Cap.SIGN_OFF_STAGE)
    try:
        result = services.sign_off_stage(stage=stage, by=request.user)
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return _lookback_partial(request, stage, sign_off_error=" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages), extra_tags=_placed_at(stage))
        return redirect(_stage_url(stage))
    if result.already_done:
        messages.info(request, _("“%(stage)s”已经签字确认过了，无需重复操作。") % {"stage": stage.label})
    elif result.opened:
        messages.success(
            request, _("“%(stage)s”已签字确认，“%(next)s”开始。") % {"stage": stage.label, "next": result.opened.label}
        )
    else:
        messages.success(request, _("最后一个阶段已签字确认，活动结束。"))
    if result.audit_head:
        messages.info(
            request, _("审计链校验值：%(head)s（请记入签字材料，或抄报上级留存）") % {"head": result.audit_head}
        )
    target = _stage_url(result.opened or stage)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target  # the next stage opens: the whole page changes
        return response
    return redirect(target)


def _placed_at(stage: Stage) -> str:
    """The message tag that shows a message inside the stage's card instead of the page's top (base.html)."""
    return f"at:stage-{stage.pk}"


@login_required
@require_POST
def stage_review(request: HttpRequest, stage_id: int) -> HttpResponse:
    stage = get_stage_for_user(request.user, stage_id, Cap.REVIEW_STAGE)
    form = StageReviewForm(request.POST, prefix=f"review-{stage.pk}")
    if form.is_valid() and run_service(
        request,
        lambda: services.review_stage(stage=stage, by=request.user, **form.cleaned_data),
        done=_("评价已保存。"),
        form=form,
    ):
        return redirect(_stage_url(stage))
    return _render_detail(request, stage.campaign, review_form=form)


def _stage_url(stage: Stage) -> str:
    return reverse("campaigns:detail", kwargs={"campaign_id": stage.campaign_id}) + f"#stage-{stage.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def excusals(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The members the campaign does not hold to an item, with the reasons; the secretary or office records them."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_CAMPAIGN)
    form = ExcusalForm(request.POST or None, campaign=campaign)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.excuse(campaign=campaign, by=request.user, **form.cleaned_data),
            done=_("已登记。"),
            form=form,
        )
    ):
        return redirect("campaigns:excusals", campaign_id=campaign.pk)
    rows = campaign.excusals.select_related("person", "work_item__stage").order_by("person__name", "id")
    return render(request, "campaigns/excusals.html", {"campaign": campaign, "form": form, "rows": rows})


@login_required
@require_POST
def excusal_withdraw(request: HttpRequest, excusal_id: int) -> HttpResponse:
    excusal = get_excusal_for_user(request.user, excusal_id)
    run_service(request, lambda: services.withdraw_excusal(excusal=excusal, by=request.user), done=_("已撤销。"))
    return redirect("campaigns:excusals", campaign_id=excusal.campaign_id)
