import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

SUPPORTED = {code for code, _ in settings.LANGUAGES}
V = TypeVar("V", bound=Callable[..., Any])


def sessionless(view: V) -> V:
    """Mark a view that proves who is asking with a signed token in the request, not with the session.

    The session middlewares (idle expiry, the sign-in gate) leave it alone, so the session and the login are
    never loaded for it, and CSRF is not checked: the token is a secret only the login's own page was given,
    which is what the CSRF token would prove. The view checks the token itself (study's check-in pass, ADR 0014).
    """
    marked = csrf_exempt(view)
    marked.sessionless = True  # type: ignore[attr-defined]
    return marked


def is_sessionless(view: Callable[..., Any]) -> bool:
    return getattr(view, "sessionless", False)


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an
    English-language phone would get English by surprise; the brief says the UI
    is zh-hans by default, so only the explicit choice (its cookie) counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with N trusted proxies (PINGYI_PROXY_COUNT) the Nth address from the right of X-Forwarded-For.

    Sign-in limits and the public form's limits both count per address, so both read it here.
    """
    proxies = int(getattr(settings, "OPINIONS_PROXY_COUNT", 0))
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response the app makes itself, unless the view chose otherwise.

    Pages, downloads and API answers carry personal data (names, ID numbers, ballots' state); a shared
    office computer or a proxy must not keep them. Static files are answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


SEEN_KEY = "_pingyi_seen"
# Saving the session on every request would make every page a write; once a minute keeps the idle
# timeout within a minute of SESSION_IDLE_MINUTES.
SEEN_PRECISION = 60


@receiver(user_logged_in)
def mark_seen_at_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())  # saved with the new session: no second write


class IdleSessionMiddleware:
    """Push a signed-in session's expiry forward while it is used; an idle one ends (SESSION_COOKIE_AGE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], *args: Any) -> None:
        session = getattr(request, "session", None)
        if session is None or is_sessionless(view) or not getattr(request.user, "is_authenticated", False):
            return
        now = int(time.time())
        if now - int(session.get(SEEN_KEY, 0)) >= SEEN_PRECISION:
            session[SEEN_KEY] = now  # marks the session modified: saved with a new expiry
