"""The register on the secretary's phone (one tap for all present, one per exception), its exports, the room's
rotating check-in code, the member's check-in and make-up study."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.core.downloads import PDF, XLSX, attachment
from pingyi.core.middleware import sessionless
from pingyi.core.qr import qr_svg
from pingyi.core.views import run_service
from pingyi.org.models import Person
from pingyi.org.permissions import Cap

from . import checkin, exports, selectors, services
from .forms import MakeUpForm, ReasonForm
from .models import Activity, Status
from .permissions import get_activity_for_user, get_attendance_for_user, get_register_person


def _register_context(activity: Activity) -> dict:
    rows = selectors.register(activity)
    return {"activity": activity, "rows": rows, "counts": exports.counts(rows), "Status": Status}


@login_required
@require_GET
def register_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    return render(request, "study/register.html", _register_context(activity))


@login_required
@require_POST
def register_all(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Everyone not yet marked is present; the page (or its list, for htmx) comes back with the marks."""
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    services.mark_all_present(activity=activity, by=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "study/_register.html", _register_context(activity))
    return redirect("study:register", activity_id=activity.pk)


@login_required
@require_POST
def register_mark(request: HttpRequest, activity_id: int, person_id: int) -> HttpResponse:
    """No `status`: one tap moves the row to its next state. With `status` (and `reason`): set it."""
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    person = get_register_person(request.user, activity, person_id)
    status = request.POST.get("status", "")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if status:
        call = lambda: services.mark_attendance(  # noqa: E731
            activity=activity, person=person, status=status, reason=reason, by=request.user
        )
    else:
        call = lambda: services.cycle_attendance(activity=activity, person=person, by=request.user)  # noqa: E731
    run_service(request, call)
    if request.headers.get("HX-Request"):
        row = next((r for r in selectors.register(activity) if r.person.pk == person.pk), None)
        return render(request, "study/_register_row.html", {"activity": activity, "row": row, "Status": Status})
    return redirect("study:register", activity_id=activity.pk)


@login_required
@require_GET
def register_xlsx(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id, Cap.VIEW_ORG)
    data = exports.register_sheet(activity, selectors.register(activity))
    return attachment(data, _("%(title)s考勤登记.xlsx") % {"title": activity.title}, XLSX)


@login_required
@require_GET
def sign_in_sheet(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    data = exports.sign_in_sheet(activity, selectors.register(activity))
    return attachment(data, _("%(title)s签到表.pdf") % {"title": activity.title}, PDF)


@login_required
@require_GET
def screen(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The room's screen: the check-in code, renewed every few seconds; only where the branch turned it on."""
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    enabled = selectors.settings_for(activity.org).self_checkin
    context = {"activity": activity, "enabled": enabled, "refresh": checkin.REFRESH, **_code(request, activity)}
    return render(request, "study/screen.html", context)


@login_required
@require_GET
def screen_code(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The code alone, for the screen's htmx polling."""
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    if not selectors.settings_for(activity.org).self_checkin:
        return HttpResponse(status=204)
    context = {"activity": activity, "refresh": checkin.REFRESH, **_code(request, activity)}
    return render(request, "study/_code.html", context)


def _code(request: HttpRequest, activity: Activity) -> dict:
    url = request.build_absolute_uri(reverse("study:checkin")) + "?code=" + checkin.code_for(activity.pk)
    rows = selectors.register(activity)
    return {"qr": qr_svg(url, scale=6), "checkin_url": url, "counts": exports.counts(rows)}


_OPENED_CODE = "study.checkin.opened"  # session key: the code this browser opened before signing in


@require_GET
def check_in(request: HttpRequest) -> HttpResponse:
    """?code=: the code scanned from the room's screen, good for 30 s: the member's page, whose button posts the
    pass it hands this login (what this page checked, bound to the login and its session). A phone that is not
    signed in is sent to sign in; the code it opened in time stays good for that (checkin.SIGN_IN_GRACE)."""
    code = request.GET.get("code", "")
    if not request.user.is_authenticated:
        if _still_good(code):
            request.session[_OPENED_CODE] = code  # signing in changes the session's key, not its data
        return redirect_to_login(request.get_full_path())
    context: dict = {"error": "", "activity": None, "done": None}
    try:
        login_id, opened_in_time = int(request.user.pk or 0), request.session.get(_OPENED_CODE) == code
        activity_id = checkin.activity_of_code(code, opened_in_time=opened_in_time)
        activity, found = selectors.for_check_in(activity_id, login_id)
        me = _member_of(activity, found)
        context["activity"] = activity
        scan = selectors.scanned(activity, me, login_id)
        context["pass"] = checkin.pass_for(scan, request.user, request.session.session_key or "")
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    except Activity.DoesNotExist:
        context["error"] = _("这次活动已经取消。")
    return render(request, "study/checkin.html", context)


def _still_good(code: str) -> bool:
    try:
        checkin.activity_of_code(code)
    except ValidationError:
        return False
    return True


@sessionless
@require_POST
def check_in_tap(request: HttpRequest) -> HttpResponse:
    """The button. The pass says who taps and carries what their scan checked (ADR 0014): a room's members
    post at once, and each costs two statements (the login, the insert), with no session, login or activity
    load. Asked by htmx, the answer is the result alone; the page above it names the activity."""
    context: dict = {"error": "", "activity": None, "done": None}
    scan = None
    try:
        scan = checkin.open_pass(request.POST.get("pass", ""))
        login = selectors.login_for_tap(scan.login_id)
        checkin.check_holder(scan.bond, login, request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""))
        activity, me = selectors.as_scanned(scan)
        context["done"] = services.check_in(activity=activity, person=me, by=login)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    except IntegrityError:  # the activity or the member record went in the minute since the scan
        context["error"] = _("这次活动或您的党员信息刚刚有变动：请重新扫描会场屏幕上的二维码。")
    if request.headers.get("HX-Request"):
        # Rendered without the request: a request context would fetch a CSRF token (a new cookie on every
        # phone at every check-in) and the login for the layout.
        return HttpResponse(render_to_string("study/_checkin_result.html", context))
    if scan is not None:  # the whole page names the activity
        context["activity"] = Activity.objects.filter(pk=scan.activity_id).first()
    return render(request, "study/checkin.html", context)


def _member_of(activity: Activity, me: Person | None) -> Person:
    if me is None or not me.org.is_within(activity.org):
        raise ValidationError(_("您不是%(org)s的党员，不能签到这次活动。") % {"org": activity.org.name})
    return me


@login_required
@require_http_methods(["GET", "POST"])
def makeup(request: HttpRequest, attendance_id: int) -> HttpResponse:
    attendance = get_attendance_for_user(request.user, attendance_id)
    current = getattr(attendance, "makeup", None) if hasattr(attendance, "makeup") else None
    initial = {"what": attendance.activity.title, "studied_on": timezone.localdate(), "confirmed_how": "in_person"}
    if current is not None:
        initial = {k: getattr(current, k) for k in ("what", "studied_on", "confirmed_how", "note")}
    form = MakeUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.record_makeup(attendance=attendance, by=request.user, **form.cleaned_data)  # noqa: E731
        if run_service(request, call, done=_("补学已登记。"), form=form):
            return redirect("study:activity", activity_id=attendance.activity_id)
    return render(request, "study/makeup.html", {"attendance": attendance, "form": form})
