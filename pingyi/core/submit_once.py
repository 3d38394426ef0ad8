"""Double-submit guard for create forms: a second POST of the same form creates nothing.

Each form carries a one-off key (hidden field `once`). The first POST claims it in the cache; a
repeat finds the claim and is sent to what the first one made. A POST that saves nothing (bad
input, an error) releases its claim so the corrected form can be sent again.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

PENDING = "pending"
TIMEOUT = 3600


def new_key() -> str:
    return uuid.uuid4().hex


def _cache_key(request: HttpRequest) -> str | None:
    key = request.POST.get("once", "")
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        return None
    return f"pingyi:submit-once:{request.user.pk}:{key}"


def claim(request: HttpRequest) -> tuple[bool, str]:
    """(True, "") for the first POST of a form; (False, url of its result or "") for a repeat."""
    key = _cache_key(request)
    if key is None or cache.add(key, PENDING, TIMEOUT):
        return True, ""
    done: Any = cache.get(key)
    return False, "" if done in (None, PENDING) else str(done)


def remember(request: HttpRequest, url: str) -> None:
    key = _cache_key(request)
    if key:
        cache.set(key, url, TIMEOUT)


def repeated(request: HttpRequest, fallback: str) -> HttpResponse | None:
    """A second POST of a create form goes where the first one went, creating nothing; None for the first."""
    first, url = claim(request)
    if first:
        return None
    messages.info(request, _("这份表单已经提交过了，没有重复保存。"))
    return redirect(url or fallback)


def saved(request: HttpRequest, url: str) -> HttpResponse:
    """The first POST made what `url` shows: a repeat of it will be sent there."""
    remember(request, url)
    return redirect(url)


def release(request: HttpRequest) -> None:
    key = _cache_key(request)
    if key:
        cache.delete(key)


def released_on_error(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view that crashes after claiming its form's key gives the key back: nothing was saved."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except Exception:
            if request.method == "POST":
                release(request)
            raise

    return wrapped
