"""Invitation codes: printed once, stored only as a keyed hash (HMAC with the secret key)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

# No 0/O, 1/I/L: read off paper and typed on a phone without confusion.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", code.upper())


def hash_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), normalise(code).encode(), hashlib.sha256).hexdigest()
