"""Limits of the public opinion form. Each can be set in Django settings under the name shown.

OPINIONS_MAX_CHARS            longest opinion text, in characters (2000)
OPINIONS_MAX_BODY_BYTES       largest request body accepted at all, in bytes (65536)
OPINIONS_RATE_PER_ADDRESS     (submissions, seconds) per client address (10, 600)
OPINIONS_RATE_PER_CODE        (submissions, seconds) per invitation code (30, 3600)
OPINIONS_RATE_PER_ROUND       (submissions, seconds) per round's public link, a flood ceiling (3000, 60)
OPINIONS_PROXY_COUNT          reverse proxies in front of the app whose X-Forwarded-For to trust (0)

Counters live in Django's cache; with several web processes that cache must be shared
(Redis: set REDIS_URL), or each process counts on its own. Addresses are kept only as a
keyed hash inside the counters' keys, which expire with their window.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from pingyi.core.middleware import client_address as client_address  # shared with the sign-in limits

DEFAULTS: dict[str, Any] = {
    "OPINIONS_MAX_CHARS": 2000,
    "OPINIONS_MAX_BODY_BYTES": 64 * 1024,
    "OPINIONS_RATE_PER_ADDRESS": (10, 600),
    "OPINIONS_RATE_PER_CODE": (30, 3600),
    "OPINIONS_RATE_PER_ROUND": (3000, 60),
    "OPINIONS_PROXY_COUNT": 0,
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def _key(kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"pingyi:opinions:rate:{kind}:{digest[:32]}"


@dataclass(frozen=True)
class Refusal:
    kind: str  # address, code or round
    limit: int
    seconds: int


def take(kind: str, value: str) -> Refusal | None:
    """Count one submission against the limit for (kind, value); a Refusal once the window is full.

    Fixed windows: `add` starts a window, `incr` is atomic in Redis and in the local-memory cache,
    so concurrent submissions cannot both take the last place.
    """
    limit, seconds = setting(f"OPINIONS_RATE_PER_{kind.upper()}")
    key = _key(kind, value)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this submission opens a new window
        cache.add(key, 1, timeout=seconds)
        count = 1
    return Refusal(kind, limit, seconds) if count > limit else None


def give_back(kind: str, value: str) -> None:
    """Return a place taken by a submission that was then not stored (best effort)."""
    with contextlib.suppress(ValueError):
        cache.decr(_key(kind, value))
