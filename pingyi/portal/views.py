from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.permissions import may_create
from pingyi.campaigns.selectors import home_page
from pingyi.core.audit import verify_chain
from pingyi.core.health import probes
from pingyi.core.jobs import live_progress
from pingyi.core.notifications import inbox, kind_label, kinds, mark_read, muted_kinds, set_muted, unread_count
from pingyi.core.views import run_service
from pingyi.org.models import OrgUnit
from pingyi.org.permissions import Cap, get_org_for_user
from pingyi.reports.jobs import request_refresh
from pingyi.reports.selectors import Rollup, rollup, supervised_roots

from . import selectors
from .cards import cards_for
from .permissions import get_job_for_user


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Members see their own tasks; secretaries, committee and office their campaigns; supervisors a roll-up."""
    context = {
        "page": home_page(request.user),
        "can_create": may_create(request.user),
        "cards": cards_for(request.user),
        "supervision": [_supervision(root, request.user) for root in supervised_roots(request.user)],
    }
    return render(request, "portal/home.html", context)


def _supervision(root: OrgUnit, user: Any) -> Rollup:
    request_refresh(root, by=user)  # in the background with a worker; at once without one
    return rollup(root)


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job = live_progress(get_job_for_user(request.user, job_id))
    context = {"job": job, "next_url": job.result.get("next_url", "")}
    template = "core/_job.html" if request.headers.get("HX-Request") else "portal/job.html"
    return render(request, template, context)


@login_required
@require_GET
def audit_log(request: HttpRequest, org_code: str) -> HttpResponse:
    """Who changed what under a node, newest first."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    page, rows = selectors.audit_page(org, request.GET.get("page"))
    return render(request, "portal/audit_log.html", {"org": org, "page": page, "rows": rows})


@login_required
@require_GET
def audit_verify(request: HttpRequest, org_code: str) -> HttpResponse:
    """Walks the whole chain, so it runs when asked, not on every page view."""
    get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    checked, broken = verify_chain()
    return render(request, "portal/_chain_state.html", {"chain_checked": checked, "chain_broken": broken})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer or monitor: 200 when every configured part answers, else 503. No login, no data."""
    found = probes()
    ok = all(p.ok for p in found)
    checks = {p.name: {"ok": p.ok, "ms": p.ms, "detail": p.detail} for p in found}
    body = {"status": "ok" if ok else "fail", "checks": checks}
    return JsonResponse(body, status=200 if ok else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a page in the user's language instead of Django's English one."""
    return render(request, "403_csrf.html", status=403)


# --- My notices (pingyi.core.notifications) -------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's own notices, newest first; unread ones stand out."""
    page = Paginator(inbox(request.user), 30).get_page(request.GET.get("page"))
    rows = [(n, kind_label(n.kind)) for n in page]
    return render(request, "portal/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Marks the notice read and follows its link (always a path inside the site)."""
    notice = get_object_or_404(inbox(request.user), pk=notification_id)
    mark_read(user=request.user, notice_id=notice.pk)
    return redirect(notice.url if notice.url.startswith("/") else "portal:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)
    return redirect("portal:notifications")


@login_required
@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count in the nav, fetched after the page (htmx), so no page pays a query for it."""
    return render(request, "portal/_notification_badge.html", {"unread": unread_count(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Every kind of notice the apps send; the user unticks those they do not want."""
    if request.method == "POST":
        received = set(request.POST.getlist("receive"))
        run_service(
            request,
            lambda: set_muted(user=request.user, muted=[k.code for k in kinds() if k.code not in received]),
            done=_("已保存通知设置。"),
        )
        return redirect("portal:notification_settings")
    muted = muted_kinds(request.user)
    rows = [(k, k.code not in muted) for k in kinds()]
    return render(request, "portal/notification_settings.html", {"rows": rows})
