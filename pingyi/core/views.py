"""What every app's views share: running a service and showing its refusal where the user is looking."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call gave a view: true when the service did its work (`value` is its result)."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    done: Any = "",
    repeated: Any = "",
    form: forms.BaseForm | None = None,
    field: str | None = None,
) -> Outcome[T]:
    """Run a service for a view; a refusal (ValidationError) becomes the user's message, nothing is lost.

    With a form, the refusal goes on the form (on `field`, or above the form), so the page is shown again
    with what was typed; without one, it is an error message on the next page. `done` is the success
    message, if any; `repeated` replaces it when the service reports that it changed nothing (its result's
    `changed` is False: a repeated click). Any other exception propagates: the transaction has rolled back.
    """
    try:
        value = call()
    except ValidationError as exc:
        if form is not None:
            form.add_error(field, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return Outcome(ok=False)
    if repeated and getattr(value, "changed", True) is False:
        messages.info(request, repeated)
    elif done:
        messages.success(request, done)
    return Outcome(ok=True, value=value)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, saying what went wrong where the cause is known, in the user's language.

    It renders a page of its own (no base layout: that would ask the database for the user), or JSON under
    /api/. The request's transaction has rolled back, so nothing half-written is kept.
    """
    exc = sys.exc_info()[1]
    status, message = 500, _("服务器出错了，您这次的操作没有保存。请稍后再试；如果一直这样，请联系系统管理员。")
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    ):
        status, message = 503, _("数据库连接中断，您这次的操作没有保存。请稍后刷新页面再试。")
    elif isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        status, message = 507, _("服务器的存储空间已满，文件没有保存。请联系系统管理员清理空间后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(render_to_string("core/error.html", {"message": message, "status": status}), status=status)
