"""An activity's photos and material attachments: upload (staff), show or download (who sees the activity),
remove (staff, audited). A refused file is an error message on the activity's page; nothing is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pingyi.core import submit_once as once
from pingyi.core.downloads import inline_image, stored_file
from pingyi.core.views import run_service
from pingyi.org.permissions import Cap

from . import services
from .permissions import get_activity_for_user, get_attachment_for_user, get_photo_for_user


def _back(activity_id: int, anchor: str) -> str:
    return f"{reverse('study:activity', args=[activity_id])}#{anchor}"


def _upload(request: HttpRequest, activity_id: int, anchor: str, add: Callable[[Any], Any], done: str) -> HttpResponse:
    """Staff upload to the activity: run `add(activity)` once per form (a double submit saves nothing more)."""
    activity = get_activity_for_user(request.user, activity_id, Cap.MANAGE_STUDY)
    back = _back(activity.pk, anchor)
    if repeat := once.repeated(request, back):
        return repeat
    if run_service(request, lambda: add(activity), done=done):
        return once.saved(request, back)
    once.release(request)
    return redirect(back)


@login_required
@require_POST
@once.released_on_error
def photo_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    photos = request.FILES.getlist("photos")
    add = lambda activity: services.add_photos(activity=activity, photos=photos, by=request.user)  # noqa: E731
    return _upload(request, activity_id, "photos", add, _("照片已上传。"))


@login_required
@require_GET
def photo(request: HttpRequest, activity_photo_id: int) -> HttpResponse:
    return inline_image(get_photo_for_user(request.user, activity_photo_id))


@login_required
@require_POST
def photo_remove(request: HttpRequest, activity_photo_id: int) -> HttpResponse:
    found = get_photo_for_user(request.user, activity_photo_id, Cap.MANAGE_STUDY)
    run_service(request, lambda: services.remove_photo(photo=found, by=request.user), done=_("照片已删除。"))
    return redirect(_back(found.activity_id, "photos"))


@login_required
@require_POST
@once.released_on_error
def attachment_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    files = request.FILES.getlist("files")
    add = lambda activity: services.add_attachments(activity=activity, files=files, by=request.user)  # noqa: E731
    return _upload(request, activity_id, "attachments", add, _("学习材料已上传。"))


@login_required
@require_GET
def attachment(request: HttpRequest, activity_attachment_id: int) -> HttpResponse:
    return stored_file(get_attachment_for_user(request.user, activity_attachment_id))


@login_required
@require_POST
def attachment_remove(request: HttpRequest, activity_attachment_id: int) -> HttpResponse:
    found = get_attachment_for_user(request.user, activity_attachment_id, Cap.MANAGE_STUDY)
    run_service(request, lambda: services.remove_attachment(attachment=found, by=request.user), done=_("附件已删除。"))
    return redirect(_back(found.activity_id, "attachments"))
