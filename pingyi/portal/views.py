from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pingyi.campaigns.permissions import may_create
from pingyi.campaigns.selectors import home_page
from pingyi.core.audit import verify_chain
from pingyi.core.health import probes
from pingyi.core.jobs import live_progress
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
