"""Who is calling: a personal bearer token, or the browser's session (with CSRF on unsafe methods)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from pingyi.org.models import OneTimePassword

from . import services
from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        pending = OneTimePassword.objects.filter(user=OuterRef("user"))  # in the same query: no extra one per call
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .annotate(one_time=Exists(pending))
            .filter(token_hash=services.hash_secret(token))
            .first()
        )
        if found is None:
            return None
        if found.one_time:  # type: ignore[attr-defined]
            raise HttpError(403, _("请先在网页上用初始密码登录并设置新密码，然后才能使用接口"))
        services.record_token_use(token=found)
        request.user = found.user
        return found.user


class BrowserSession(SessionAuth):
    """ninja's django_auth, with its CSRF refusal worded for our users."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试"))
        return request.COOKIES.get(self.param_name)


token_auth = BearerToken()
session_auth = BrowserSession()
