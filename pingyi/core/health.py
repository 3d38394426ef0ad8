"""Is the site able to serve? The database, the shared cache (Redis) and a Celery worker, each asked briefly.

Used by `/healthz` (portal) for a load balancer or a monitor: no login, no personal data, only
which part answered and how long it took. Redis and the worker are checked only when configured
(REDIS_URL): the embedded set-up has neither and is healthy without them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection


class Unhealthy(Exception):
    """A check's own finding; its message is shown (other exceptions show only their class)."""


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    ms: int
    detail: str = ""


def _timed(name: str, check: Callable[[], str]) -> Probe:
    start = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a health check reports every failure, it never raises
        detail, ok = (str(exc) if isinstance(exc, Unhealthy) else exc.__class__.__name__), False
    return Probe(name, ok, int((time.perf_counter() - start) * 1000), detail)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key, value = f"pingyi:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise Unhealthy("the cache did not keep a value")
    cache.delete(key)
    return "redis"


def _worker() -> str:
    # limit=1: answer as soon as one worker replies instead of waiting out the timeout for the others.
    replies = current_app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT, limit=1)
    if not replies:
        raise Unhealthy("no worker answered")
    return f"{len(replies)} worker(s)"


def probes() -> list[Probe]:
    found = [_timed("database", _database)]
    if settings.REDIS_URL:
        found.append(_timed("redis", _cache))
        found.append(_timed("worker", _worker))
    return found
