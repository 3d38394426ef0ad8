"""Start-up checks: nothing serves with the development secret key, and production names its audit key."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MISSING_KEY = "PINGYI_SECRET_KEY must be set when DEBUG is off (for development: DEBUG=1)"


def uses_development_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY


def refuse_development_key() -> None:
    """Called by the WSGI/ASGI application and the Celery worker before they serve anything."""
    if uses_development_key():
        raise RuntimeError(MISSING_KEY)


@register(Tags.security)
def secret_key_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    return [Error(MISSING_KEY, id="pingyi.E001")] if uses_development_key() else []


@register(Tags.security, deploy=True)
def audit_key_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    if settings.AUDIT_KEY:
        return []
    return [
        Warning(
            "PINGYI_AUDIT_KEY is not set: the audit log's keyed hash falls back to a key derived from "
            "PINGYI_SECRET_KEY, so changing that key would make the log unverifiable (docs/adr/0007).",
            id="pingyi.W001",
        )
    ]
