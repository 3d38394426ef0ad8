"""Signing in: failure limits, one-time passwords that must be replaced, the optional second factor.

- django-axes counts failed sign-ins per account and per client address (settings `AXES_*`);
  `SignInAttempts` gives the address its own, larger limit. A lockout is written to the audit log.
- `AccountBackend` refuses a one-time password past its expiry.
- `SignInGateMiddleware` lets a signed-in user do nothing else until they have replaced a one-time
  password and, when they turned two-factor sign-in on, given the code from their authenticator app.
docs/adr/0012-sign-in.md says why it is built this way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from pingyi.core import audit
from pingyi.core.middleware import is_sessionless

from .models import OneTimePassword, person_of


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name tried, folded as logins are looked up, so `Secretary` and `secretary` share one count."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name).strip().lower()[:150]


class LimitsBackend(AxesStandaloneBackend):
    """Axes' check, for sign-ins over HTTP. A call without a request (a test's client.login, the shell) comes
    from someone already inside the server and is left to the password check."""

    def authenticate(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler with two limits: AXES_FAILURE_LIMIT per account, SIGNIN_FAILURES_PER_ADDRESS
    per client address (an office behind one address shares it). Axes compares one number with one limit,
    so the address's count is scaled to the account's limit."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_account, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = math.floor(per_address * settings.AXES_FAILURE_LIMIT / settings.SIGNIN_FAILURES_PER_ADDRESS)
        return max(per_account, scaled)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out_response(request: HttpRequest, credentials: dict | None = None, *args: Any, **kwargs: Any) -> Any:
    """The answer to a sign-in tried while locked out: the login page with the reason, or JSON for the API."""
    message = _("登录失败次数过多，已暂停登录%(minutes)d分钟。请稍后再试；忘记密码请联系支部书记重置。") % {
        "minutes": lockout_minutes()
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    context = {"locked_out": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


@receiver(user_locked_out)
def record_lockout(sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any) -> None:
    """One audit entry per lockout, on the node of the account tried (if it exists), so its secretary sees it.

    Tries made while locked out are refused without a new entry: a flood of them must not flood the log.
    """
    if not cache.add(f"pingyi:signin:locked:{username}:{ip_address}", 1, timeout=lockout_minutes() * 60 or 60):
        return
    user = get_user_model().objects.filter(username__iexact=username or "").first() if username else None
    person = person_of(user, member_only=False) if user is not None else None
    audit.record(
        actor="signin",
        action="auth.locked_out",
        org=person.org if person else None,
        target=person or (user or ""),
        data={"username": username or "", "address": ip_address, "minutes": lockout_minutes()},
    )


USER_CACHE_SECONDS = 60


def _cached_user_key(user_id: Any) -> str:
    return f"pingyi:login:{user_id}"


class AccountBackend(ModelBackend):
    """Django's password check, refusing a one-time password that was not used before it expired.

    Every signed-in request loads its login; with a cache all workers share (`PINGYI_CACHE_USERS`) the row
    is kept there a minute, a fresh copy per request, and dropped whenever it is saved or deleted (below),
    so a new password, a deactivation or a deletion ends the old sessions at once, as without the cache."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kw: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kw)
        if user is not None and OneTimePassword.objects.filter(user=user, expires_at__lte=timezone.now()).exists():
            return None
        return user

    def get_user(self, user_id: Any) -> Any:
        if not settings.PINGYI_CACHE_USERS:
            return super().get_user(user_id)
        key = _cached_user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, USER_CACHE_SECONDS)
        return user if user is not None and self.user_can_authenticate(user) else None


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def forget_cached_login(sender: Any, instance: Any, **kwargs: Any) -> None:
    key = _cached_user_key(instance.pk)
    cache.delete(key)
    # A request that read the row before this transaction commits may have kept the old copy meanwhile.
    transaction.on_commit(lambda: cache.delete(key))


def must_replace_password(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_pingyi_one_time", None)
    if cached is None:
        cached = OneTimePassword.objects.filter(user=user).exists()
        user._pingyi_one_time = cached
    return cached


def needs_second_factor(user: Any) -> bool:
    """Signed in with the password, two-factor sign-in is on, and the code has not been given yet."""
    if not getattr(user, "is_authenticated", False) or user.is_verified():
        return False
    return bool(user_has_device(user, confirmed=True))


CLEARED = "_pingyi_signin_cleared"


@receiver(user_logged_in)
def clear_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Most sign-ins have nothing to clear: note it in the session, so no page asks again."""
    if request is None or not hasattr(request, "session"):
        return
    if not must_replace_password(user) and not user_has_device(user, confirmed=True):
        request.session[CLEARED] = user.pk


# Pages a user held at the gate may still open: where they clear it, signing out, and the language switch.
GATE_OPEN = ("accounts:password_change", "accounts:otp_verify", "logout", "set_language")


class SignInGateMiddleware:
    """Nothing else before a one-time password is replaced, or before the second factor is given.

    Pages redirect to the page that clears the gate; the API answers 403 in JSON (an integration's token
    belongs to a login that must first be signed into once, by its person, in a browser).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], *args: Any) -> HttpResponse | None:
        """Before every view but a sessionless one (it proves who asks by a pass the gated login never got)."""
        if is_sessionless(view):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(CLEARED) == user.pk:
            return None
        if self._is_open(request.path):
            return None
        if must_replace_password(user):
            return self._hold(
                request, "accounts:password_change", _("请先设置自己的新密码：初始密码只能用来第一次登录。")
            )
        if needs_second_factor(user):
            return self._hold(request, "accounts:otp_verify", _("请输入验证器中的六位动态码。"))
        # Cleared once per session: a reset or a new password ends the session (its auth hash changes).
        request.session[CLEARED] = user.pk
        return None

    def _is_open(self, path: str) -> bool:
        if self._open is None:
            self._open = tuple(reverse(name) for name in GATE_OPEN)
        return path.startswith(self._open)

    def _hold(self, request: HttpRequest, to: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            # A fragment the gate page itself asks for (the nav's notice badge) gets nothing: sending that
            # page to the gate again would reload it for ever.
            if not urlsplit(request.headers.get("HX-Current-URL", "")).path.startswith(reverse(to)):
                response["HX-Redirect"] = reverse(to)
            return response
        return redirect(f"{reverse(to)}?next={request.get_full_path()}" if request.method == "GET" else reverse(to))
