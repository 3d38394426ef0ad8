"""Deployment checks that `manage.py check --deploy` runs beside Django's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_CACHES = ("django.core.cache.backends.redis.RedisCache", "django.core.cache.backends.memcached.")


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
