"""The JSON API for integrations (docs/adr/0002). The browser UI does not depend on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from .auth import session_auth, token_auth
from .views import router


class PingyiAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # Short, stable ids (org_list, campaign_detail) for generated clients; they are also the URL names.
        return str(operation.view_func.__name__)


api = PingyiAPI(
    title="Pingyi API",
    version="1",
    description="Read-only JSON API for integrations. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=[token_auth, session_auth],
    docs_url=None,  # ninja's docs page loads Swagger UI from a CDN; the schema is at openapi.json
)
api.add_router("", router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("请先登录，或在 Authorization 头中提供有效的接口令牌")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="pingyi"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("没有找到，或不在您的权限范围内")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("您的角色无权查看此内容")}, status=403)


def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any /api/ path without an endpoint: a JSON 404, as an integration expects, never the HTML page."""
    return JsonResponse({"detail": _("没有这个接口：%(path)s") % {"path": request.path}}, status=404)
