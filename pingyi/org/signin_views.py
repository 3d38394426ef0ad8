"""The pages of signing in: replacing a one-time password, and two-factor sign-in (pingyi.org.signin)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingyi.core.forms import bootstrap
from pingyi.core.qr import qr_svg
from pingyi.core.views import run_service

from . import services
from .forms import TokenForm
from .signin import must_replace_password

SETUP_KEY = "_pingyi_otp_key"


def _next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return default


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password; after signing in with a one-time password, the only page open."""
    user: Any = request.user
    forced = must_replace_password(user)
    form = PasswordChangeForm(user, request.POST or None)
    bootstrap(form)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password1"]
        changed = run_service(request, lambda: services.change_own_password(user=user, password=password), form=form)
        if changed:
            update_session_auth_hash(request, user)
            if forced:
                messages.success(request, _("新密码已设置，请记住它；以后用它登录。"))
                return redirect(_next(request, "portal:home"))
            return redirect("accounts:password_change_done")
    context = {"form": form, "forced": forced, "next": _next(request, "")}
    return render(request, "registration/password_change_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for a login with two-factor sign-in on."""
    if _verified(request) or not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_next(request, "portal:home"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request, "portal:home"))
        form.add_error("token", _("动态码不对或已过期，请输入验证器中当前显示的六位数字"))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan the code into an authenticator app, then type the code it shows."""
    if not services.may_use_second_factor(request.user):
        raise PermissionDenied
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    # The secret lives in the session until the user proves their app has it; nothing is stored before.
    key = request.session.get(SETUP_KEY) or secrets.token_hex(20)
    request.session[SETUP_KEY] = key
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        done = run_service(
            request,
            lambda: services.enable_second_factor(user=request.user, key=key, token=token),
            form=form,
            field="token",
            done=_("两步验证已开启：以后登录时还要输入验证器中的动态码。"),
        )
        if done:
            del request.session[SETUP_KEY]
            otp_login(request, done.value)
            return redirect("accounts:otp_setup")
    device = TOTPDevice(user=request.user, key=key)
    context = {
        "form": form,
        "enabled": enabled,
        "qr": qr_svg(device.config_url),
        "secret": _grouped(device.config_url.split("secret=", 1)[1].split("&", 1)[0]),
    }
    return render(request, "registration/otp_setup.html", context)


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        raise PermissionDenied  # only someone who has just given the code may turn it off
    services.disable_second_factor(user=request.user, by=request.user)
    messages.success(request, _("两步验证已关闭"))
    return redirect("accounts:otp_setup")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _verified(request: HttpRequest) -> bool:
    """Whether this session gave the second factor (django-otp's middleware adds is_verified to the user)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())
