"""The office's pages for opinion rounds; the public form is in public_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.core import documents
from pingyi.core import submit_once as once
from pingyi.core.downloads import DOCX, PDF, XLSX, ZIP, attachment
from pingyi.core.forms import edit_instance
from pingyi.core.jobs import live_progress
from pingyi.core.qr import qr_png, qr_svg
from pingyi.core.views import run_service
from pingyi.org.permissions import Cap, can

from . import selectors, services
from .export import opinions_workbook
from .forms import (
    AnswerForm,
    CategoriseForm,
    FollowupForm,
    InviteesForm,
    MergeForm,
    RoundForm,
    StaffOpinionForm,
    SymposiumForm,
    VisitForm,
)
from .keywords import likely_duplicates, suggest_category
from .models import Category, Channel, Opinion, OpinionStatus
from .permissions import (
    get_batch_for_user,
    get_invitee_for_user,
    get_opinion_for_user,
    get_round_for_user,
    get_symposium_for_user,
)
from .solicitation_letters import public_url

SHOWN_LIMIT = 500  # opinions listed on a round's page; the filters and the Excel tally reach the rest


@login_required
@require_GET
def campaign_opinions(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's rounds and their statistics; the work item 征求意见 links here."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_ORG)
    context = {
        "campaign": campaign,
        "rounds": selectors.campaign_rounds(campaign),
        "stats": selectors.opinion_stats(Opinion.objects.filter(round__campaign=campaign)),
        "can_manage": can(request.user, Cap.MANAGE_OPINIONS, campaign.org),
    }
    return render(request, "opinions/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def round_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_OPINIONS)
    form = RoundForm(request.POST or None, initial={"title": _("征求意见"), "topics": ["campaign", "bureau_work"]})
    if request.method == "POST":
        if repeat := once.repeated(request, reverse("opinions:campaign", kwargs={"campaign_id": campaign.pk})):
            return repeat
        if form.is_valid():
            round_ = services.create_round(org=campaign.org, campaign=campaign, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("征求意见已创建。把网上表单的链接或二维码发出去，或添加征求对象后生成征求意见函。")
            )
            return once.saved(request, reverse("opinions:round", kwargs={"opinion_round_id": round_.pk}))
        once.release(request)
    return render(request, "opinions/round_form.html", {"form": form, "campaign": campaign, "once": once.new_key()})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = RoundForm(request.POST or None, instance=edit_instance(round_))
    if request.method == "POST" and form.is_valid():
        services.update_round(round=round_, by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("opinions:round", opinion_round_id=round_.pk)
    return render(request, "opinions/round_form.html", {"form": form, "round": round_, "campaign": round_.campaign})


@login_required
@require_GET
def round_detail(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    filters = {k: request.GET.get(k, "") for k in ("status", "channel", "category")}
    batches = list(round_.letter_batches.select_related("job", "symposium").defer("content")[:5])
    for batch in batches:
        if batch.job:
            live_progress(batch.job)
    url = public_url(request.build_absolute_uri("/"), round_)
    context = {
        "round": round_,
        "opinions": list(selectors.round_opinions(round_, **filters)[:SHOWN_LIMIT]),
        "shown_limit": SHOWN_LIMIT,
        "filters": filters,
        "stats": selectors.opinion_stats(round_.opinions.all()),
        "public_url": url,
        "qr": qr_svg(url),
        "is_open": services.round_is_open(round_),
        "invitee_count": round_.invitees.count(),
        "batches": batches,
        "symposia": round_.symposia.all(),
        "visits": round_.visits.all(),
        "statuses": OpinionStatus.choices,
        "channels": Channel.choices,
        "categories": Category.objects.all(),
    }
    return render(request, "opinions/round.html", context)


@login_required
@require_GET
def round_poster(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    """A poster with the QR code for notice boards and service windows (.docx, or .pdf with ?format=pdf)."""
    round_ = get_round_for_user(request.user, opinion_round_id)
    url = public_url(request.build_absolute_uri("/"), round_)
    doc = documents.Document(title=round_.title, subtitle=round_.org.name)
    doc.paragraph(round_.intro or _("欢迎您对我们的工作提出意见和建议。"))
    doc.paragraph(_("用手机扫描下方二维码即可填写，无需注册，可以不留姓名。"), align="center", indent=False)
    doc.image(qr_png(url, scale=10), width_mm=70)
    doc.paragraph(url, align="center", indent=False, small=True)
    if round_.closes_on:
        doc.paragraph(_("截止日期：%(day)s") % {"day": documents.chinese_date(round_.closes_on)}, align="center")
    if request.GET.get("format") == "pdf":
        return attachment(doc.to_pdf(), f"{round_.title}-二维码.pdf", PDF)
    return attachment(doc.to_docx(), f"{round_.title}-二维码.docx", DOCX)


@login_required
@require_GET
def round_export(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    opinions = round_.opinions.select_related("category", "concerns_person", "rectification_item").order_by("id")
    data = opinions_workbook(round_, opinions, see_private=can(request.user, Cap.SEE_PRIVATE, round_.org))
    return attachment(data, f"{round_.title}-意见汇总表.xlsx", XLSX)


@login_required
@require_POST
def round_code(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    """A new shared code replaces the old one, so a second click leaves one working code: the one shown."""
    round_ = get_round_for_user(request.user, opinion_round_id)
    with transaction.atomic():
        services.revoke_round_codes(round=round_, by=request.user)
        code = services.issue_round_code(round=round_, by=request.user)
    url = public_url(request.build_absolute_uri("/"), round_, code)
    return render(request, "opinions/code_issued.html", {"round": round_, "code": code, "url": url})


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def opinion_add(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = StaffOpinionForm(request.POST or None, round=round_, initial={"channel": Channel.PAPER})
    here = reverse("opinions:opinion_add", kwargs={"opinion_round_id": round_.pk})
    if request.method == "POST":
        if repeat := once.repeated(request, here):
            return repeat
        if form.is_valid():
            opinion = services.record_opinion(round=round_, by=request.user, **form.cleaned_data)
            messages.success(request, _("已录入意见 #%(id)d，可以接着录入下一份。") % {"id": opinion.pk})
            return once.saved(request, here)
        once.release(request)
    return render(request, "opinions/opinion_form.html", {"form": form, "round": round_, "once": once.new_key()})


def _opinion_page(request: HttpRequest, opinion: Opinion, **forms: object) -> HttpResponse:
    round_ = opinion.round
    suggestion = suggest_category(opinion.text)
    initial = {
        "category": opinion.category or suggestion,
        "topic": opinion.topic,
        "concerns_person": opinion.concerns_person,
        "concerns_unit": opinion.concerns_unit,
    }
    context = {
        "opinion": opinion,
        "round": round_,
        "suggestion": suggestion,
        "duplicates": likely_duplicates(opinion) if opinion.status != OpinionStatus.MERGED else [],
        "merged": opinion.duplicates.all(),
        "see_private": can(request.user, Cap.SEE_PRIVATE, round_.org),
        "categorise_form": forms.get("categorise_form") or CategoriseForm(round=round_, initial=initial),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"answer": opinion.answer}),
        "merge_form": forms.get("merge_form") or MergeForm(opinion=opinion),
    }
    return render(request, "opinions/opinion.html", context, status=400 if forms else 200)


@login_required
@require_GET
def opinion_detail(request: HttpRequest, opinion_id: int) -> HttpResponse:
    return _opinion_page(request, get_opinion_for_user(request.user, opinion_id))


def _back(opinion: Opinion) -> HttpResponse:
    return redirect("opinions:opinion", opinion_id=opinion.pk)


@login_required
@require_POST
def opinion_categorise(request: HttpRequest, opinion_id: int) -> HttpResponse:
    opinion = get_opinion_for_user(request.user, opinion_id)
    form = CategoriseForm(request.POST, round=opinion.round)
    if form.is_valid() and run_service(
        request,
        lambda: services.categorise_opinion(opinion=opinion, by=request.user, **form.cleaned_data),
        done=_("分类已保存。"),
        form=form,
    ):
        return _back(opinion)
    return _opinion_page(request, opinion, categorise_form=form)


@login_required
@require_POST
def opinion_answer(request: HttpRequest, opinion_id: int) -> HttpResponse:
    opinion = get_opinion_for_user(request.user, opinion_id)
    form = AnswerForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.answer_opinion(opinion=opinion, by=request.user, **form.cleaned_data),
        done=_("答复已保存。"),
        form=form,
    ):
        return _back(opinion)
    return _opinion_page(request, opinion, answer_form=form)


@login_required
@require_POST
def opinion_merge(request: HttpRequest, opinion_id: int) -> HttpResponse:
    opinion = get_opinion_for_user(request.user, opinion_id)
    form = MergeForm(request.POST, opinion=opinion)
    merged = form.is_valid() and run_service(
        request,
        lambda: services.merge_opinions(primary=opinion, duplicates=form.cleaned_data["duplicates"], by=request.user),
        form=form,
    )
    if not merged:
        return _opinion_page(request, opinion, merge_form=form)
    messages.success(request, _("已将%(count)d条重复意见并入本条。") % {"count": merged.value})
    return _back(opinion)


@login_required
@require_POST
def opinion_rectify(request: HttpRequest, opinion_id: int) -> HttpResponse:
    opinion = get_opinion_for_user(request.user, opinion_id)
    made = run_service(request, lambda: services.turn_into_rectification(opinion=opinion, by=request.user))
    if made.value is not None:
        messages.success(request, _("已转为整改事项“%(title)s”。") % {"title": made.value.title})
    return _back(opinion)


@login_required
@require_http_methods(["GET", "POST"])
def invitees(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = InviteesForm(request.POST or None, round=round_)
    if request.method == "POST" and form.is_valid():
        entries = services.invitee_entries(**form.cleaned_data)
        added = services.add_invitees(round=round_, entries=entries, by=request.user)
        messages.success(request, _("新增%(count)d个征求对象。") % {"count": added})
        return redirect("opinions:invitees", opinion_round_id=round_.pk)
    listed = round_.invitees.select_related("person").order_by("id")
    return render(request, "opinions/invitees.html", {"round": round_, "form": form, "invitees": listed})


@login_required
@require_POST
def invitee_remove(request: HttpRequest, invitee_id: int) -> HttpResponse:
    invitee = get_invitee_for_user(request.user, invitee_id)
    round_id = invitee.round_id
    if invitee.opinions.exists():
        messages.error(request, _("“%(name)s”已经提出过意见，不能删除。") % {"name": invitee.name})
    else:
        services.remove_invitee(invitee=invitee, by=request.user)
        messages.success(request, _("已删除“%(name)s”。") % {"name": invitee.name})
    return redirect("opinions:invitees", opinion_round_id=round_id)


@login_required
@require_POST
def letters_start(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    try:
        services.start_letter_run(round=round_, by=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("opinions:invitees", opinion_round_id=round_.pk)
    messages.success(request, _("正在生成征求意见函，每个征求对象一份，生成后可下载。"))
    return redirect(reverse("opinions:round", kwargs={"opinion_round_id": round_.pk}) + "#letters")


@login_required
@require_GET
def batch_download(request: HttpRequest, letter_batch_id: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, letter_batch_id)
    if not batch.ready:
        messages.info(request, _("文书还在生成中，请稍候。"))
        return redirect(reverse("opinions:round", kwargs={"opinion_round_id": batch.round_id}) + "#letters")
    name = f"{batch.round.title}-{batch.get_kind_display()}-{batch.count}.zip"
    return attachment(bytes(batch.content or b""), name, ZIP)


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def symposium_add(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = SymposiumForm(request.POST or None, round=round_)
    if request.method == "POST":
        if repeat := once.repeated(request, reverse("opinions:round", kwargs={"opinion_round_id": round_.pk})):
            return repeat
        if form.is_valid():
            symposium = services.record_symposium(round=round_, by=request.user, **form.cleaned_data)
            messages.success(request, _("座谈会已记录。"))
            return once.saved(request, reverse("opinions:symposium", kwargs={"symposium_id": symposium.pk}))
        once.release(request)
    return render(request, "opinions/symposium_form.html", {"form": form, "round": round_, "once": once.new_key()})


@login_required
@require_http_methods(["GET", "POST"])
def symposium_detail(request: HttpRequest, symposium_id: int) -> HttpResponse:
    symposium = get_symposium_for_user(request.user, symposium_id)
    round_ = symposium.round
    form = SymposiumForm(request.POST or None, round=round_, instance=edit_instance(symposium))
    if request.method == "POST" and form.is_valid():
        services.update_symposium(symposium=symposium, by=request.user, **form.cleaned_data)
        messages.success(request, _("座谈会记录已保存。"))
        return redirect("opinions:symposium", symposium_id=symposium.pk)
    context = {
        "form": form,
        "round": round_,
        "symposium": symposium,
        "raised": symposium.opinions.order_by("id"),
        "invited": symposium.invitees.order_by("id"),
    }
    return render(request, "opinions/symposium_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def visit_add(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = VisitForm(request.POST or None, round=round_)
    back = reverse("opinions:round", kwargs={"opinion_round_id": round_.pk})
    if request.method == "POST":
        if repeat := once.repeated(request, back):
            return repeat
        if form.is_valid():
            services.record_visit(round=round_, by=request.user, **form.cleaned_data)
            messages.success(request, _("走访已记录。"))
            return once.saved(request, back)
        once.release(request)
    return render(request, "opinions/visit_form.html", {"form": form, "round": round_, "once": once.new_key()})


@login_required
@require_http_methods(["GET", "POST"])
@once.released_on_error
def followup(request: HttpRequest, opinion_round_id: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, opinion_round_id)
    form = FollowupForm(request.POST or None, round=round_)
    letters = reverse("opinions:round", kwargs={"opinion_round_id": round_.pk}) + "#letters"
    if request.method == "POST":
        if repeat := once.repeated(request, letters):
            return repeat
        if form.is_valid():
            services.plan_followup(
                round=round_, by=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
            messages.success(request, _("回访座谈会已安排，正在生成邀请函。"))
            return once.saved(request, letters)
        once.release(request)
    return render(request, "opinions/followup.html", {"form": form, "round": round_, "once": once.new_key()})
