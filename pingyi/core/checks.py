"""System checks: nothing serves with the development secret key, production names its audit key, and
`check --deploy` warns about a set-up that would count limits per worker."""

from __future__ import annotations

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
            id="pingyi.W002",
        )
    ]


SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "pingyi.core.cache.KeptClientRedisCache",
    "django.core.cache.backends.memcached.",
)


@register(Tags.caches, deploy=True)
def shared_cache_for_several_workers(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Several web processes need one cache: the public form's per-address limits are counted in it.

    With the default per-process memory cache each gunicorn worker counts on its own, so with four
    workers a flooding address gets four times its allowance (40 accepted where 10 are allowed), and
    job progress published by one process is invisible to another. gunicorn takes its worker count
    from WEB_CONCURRENCY (deploy/gunicorn.conf.py reads the same variable), so that is what we read.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.WEB_WORKERS > 1 and not backend.startswith(SHARED_CACHES):
        return [
            Warning(
                f"{settings.WEB_WORKERS} web workers (WEB_CONCURRENCY) but no shared cache: each worker counts "
                "the public form's per-address limits and job progress on its own.",
                hint="Set REDIS_URL so every worker uses the same Redis, or run one worker (WEB_CONCURRENCY=1).",
                id="pingyi.W001",
            )
        ]
    return []
