from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.core.downloads import attachment
from pingyi.core.views import run_service
from pingyi.org.models import OrgUnit
from pingyi.org.permissions import Cap, can, get_org_for_user, require

from . import selectors, services
from .evidence import accept
from .forms import CheckEntryForm, CheckForm, ItemForm, PublishForm, ReportForm, ReturnForm, SettingsForm
from .models import Evidence, ItemStatus, RectificationItem, Scope
from .permissions import (
    get_check_for_user,
    get_item_for_user,
    is_owner,
    may_manage,
    may_report,
    published_for,
    scope_readers,
)


def _item_url(item: RectificationItem) -> str:
    return reverse("rectification:item", kwargs={"rectification_item_id": item.pk})


@login_required
@require_GET
def campaign_items(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's rectification list; a member who only takes part sees their own items."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    sees_all = can(request.user, Cap.VIEW_ORG, campaign.org)
    status = request.GET.get("status", "")
    items = selectors.items_of_campaign(campaign, owner_user=None if sees_all else request.user, status=status)
    context = {
        "campaign": campaign,
        "items": items,
        "status": status,
        "sees_all": sees_all,
        "counts": selectors.counts(selectors.items_of_campaign(campaign)) if sees_all else None,
        "can_manage": can(request.user, Cap.MANAGE_RECTIFICATION, campaign.org),
    }
    return render(request, "rectification/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.MANAGE_RECTIFICATION)
    initial = {"due_on": services.default_due_on(campaign.org, campaign)}
    form = ItemForm(request.POST or None, org=campaign.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = services.create_item(org=campaign.org, campaign=campaign, by=request.user, **form.cleaned_data)
        messages.success(request, _("整改事项已列入清单。"))
        return redirect(_item_url(item))
    return render(request, "rectification/item_form.html", {"form": form, "campaign": campaign})


@login_required
@require_GET
def org_items(request: HttpRequest, org_code: str) -> HttpResponse:
    """Every item under a node; `?status=overdue` is the secretary's reminder list."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    status = request.GET.get("status", "")
    context = {
        "org": org,
        "items": selectors.items_under(org, status),
        "status": status,
        "counts": selectors.counts(selectors.items_under(org)),
        "can_manage": can(request.user, Cap.MANAGE_RECTIFICATION, org),
    }
    return render(request, "rectification/org.html", context)


@login_required
@require_GET
def item_detail(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id)
    manage = may_manage(request.user, item)
    photos = services.photo_evidence_allowed(item.org)
    initial = {"public_title": item.public_title or item.title, "public_summary": item.public_summary or item.report}
    context = {
        "item": item,
        "evidence": item.evidence.defer("content"),
        "can_manage": manage,
        "can_report": may_report(request.user, item) and item.status in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS),
        "is_owner": is_owner(request.user, item),
        "report_form": ReportForm(),
        "return_form": ReturnForm(),
        "publish_form": PublishForm(initial={"scope": item.publish_scope or "branch", **initial}) if manage else None,
        "photos_allowed": photos,
        "accept": accept(photos),
    }
    return render(request, "rectification/item.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id, "manage")
    initial = {name: getattr(item, name) for name in services.EDITABLE_FIELDS}
    if item.owner is None:
        initial["owner"] = item.suggested_owner
    form = ItemForm(request.POST or None, org=item.org, initial=initial)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.update_item(item=item, by=request.user, **form.cleaned_data),
            done=_("已保存。"),
            form=form,
        )
    )
    if saved:
        return redirect(_item_url(item))
    return render(request, "rectification/item_form.html", {"form": form, "item": item, "campaign": item.campaign})


@login_required
@require_POST
def item_report(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id, "report")
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请写明整改情况：做了什么、结果如何。"))
        return redirect(_item_url(item))
    run_service(
        request,
        lambda: services.report_done(
            item=item, report=form.cleaned_data["report"], files=form.cleaned_data["attachments"], by=request.user
        ),
        done=_("已报告完成，等待支部核实。"),
        repeated=_("已经报告过完成，无需重复提交。"),
    )
    return redirect(_item_url(item))


@login_required
@require_POST
def item_verify(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id, "manage")
    run_service(
        request,
        lambda: services.verify_item(item=item, by=request.user),
        done=_("已核实，整改事项销号。"),
        repeated=_("已经核实过了。"),
    )
    return redirect(_item_url(item))


@login_required
@require_POST
def item_return(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id, "manage")
    reason = request.POST.get("reason", "")
    run_service(
        request,
        lambda: services.return_item(item=item, reason=reason, by=request.user),
        done=_("已退回责任人继续整改。"),
        repeated=_("已经退回过了。"),
    )
    return redirect(_item_url(item))


@login_required
@require_POST
def item_publish(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    """Two steps: first the preview (what the list will show, and to whom), then, confirmed, the publication."""
    item = get_item_for_user(request.user, rectification_item_id, "manage")
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择公开范围，并填写公开标题和整改结果。"))
        return redirect(_item_url(item))
    data = form.cleaned_data
    if request.POST.get("confirm") != "1":
        checked = run_service(
            request,
            lambda: services.check_publication(item, data["scope"], data["public_title"], data["public_summary"]),
        )
        if not checked:
            return redirect(_item_url(item))
        context = {"item": item, "form": form, "scope": Scope(data["scope"]), "who": scope_readers(item, data["scope"])}
        return render(request, "rectification/publish_preview.html", context)
    run_service(
        request,
        lambda: services.publish_item(item=item, by=request.user, **data),
        done=_("已公开到边议边改清单。"),
    )
    return redirect(_item_url(item))


@login_required
@require_POST
def item_unpublish(request: HttpRequest, rectification_item_id: int) -> HttpResponse:
    item = get_item_for_user(request.user, rectification_item_id, "manage")
    run_service(request, lambda: services.unpublish_item(item=item, by=request.user), done=_("已撤下公开。"))
    return redirect(_item_url(item))


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.only("item_id"), pk=evidence_id)
    get_item_for_user(request.user, evidence.item_id)
    evidence = Evidence.objects.get(pk=evidence_id)
    return attachment(bytes(evidence.content), evidence.filename, evidence.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def branch_settings(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_RECTIFICATION)
    # An unticked box posts nothing, so an empty POST is still a submission here.
    data = request.POST if request.method == "POST" else None
    initial = {"photo_evidence": services.photo_evidence_allowed(org), "default_days": services.default_days(org)}
    form = SettingsForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_settings(org=org, by=request.user, **form.cleaned_data)
        messages.success(request, _("设置已保存。"))
        return redirect("rectification:settings", org_code=org.code)
    return render(request, "rectification/settings.html", {"org": org, "form": form})


@require_GET
def public_list(request: HttpRequest, org_code: str) -> HttpResponse:
    """边议边改: what was changed, at each item's chosen scope; the public scope needs no login."""
    org = get_object_or_404(OrgUnit, code=org_code)
    context = {
        "org": org,
        "items": published_for(request.user, org),
        "checks": selectors.published_checks(org),
    }
    return render(request, "rectification/public.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checks(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_ORG)
    form = CheckForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Cap.MANAGE_RECTIFICATION, campaign.org)
        if form.is_valid():
            check = services.create_check(
                org=campaign.org, campaign=campaign, title=form.cleaned_data["title"], by=request.user
            )
            return redirect("rectification:check", four_check_id=check.pk)
    context = {
        "campaign": campaign,
        "checks": selectors.checks_of_campaign(campaign),
        "form": form,
        "can_manage": can(request.user, Cap.MANAGE_RECTIFICATION, campaign.org),
    }
    return render(request, "rectification/checks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_detail(request: HttpRequest, four_check_id: int) -> HttpResponse:
    check = get_check_for_user(request.user, four_check_id, Cap.VIEW_ORG)
    manage = can(request.user, Cap.MANAGE_RECTIFICATION, check.org)
    form = CheckEntryForm(request.POST or None, org=check.org)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request,
            lambda: services.add_check_entry(check=check, by=request.user, **form.cleaned_data),
            done=_("检查项已记录。"),
            form=form,
        ):
            return redirect("rectification:check", four_check_id=check.pk)
    entries = check.entries.select_related("rectification_item")
    return render(
        request, "rectification/check.html", {"check": check, "entries": entries, "form": form, "can_manage": manage}
    )


@login_required
@require_POST
def check_publish(request: HttpRequest, four_check_id: int) -> HttpResponse:
    check = get_check_for_user(request.user, four_check_id, Cap.MANAGE_RECTIFICATION)
    run_service(request, lambda: services.publish_check(check=check, by=request.user), done=_("服务承诺已公开。"))
    return redirect("rectification:check", four_check_id=check.pk)
