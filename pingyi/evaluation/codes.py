"""One-time codes for public raters: random, shown once, kept only as a salted hash (ADR 0004)."""

from __future__ import annotations

import hashlib
import secrets

# Capitals and digits without the pairs misread on a printed slip (0/O, 1/I/L, 2/Z, 5/S, 8/B):
# 25 symbols, 12 of them ≈ 56 bits, so the hashes cannot be reversed by trying every code.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def pretty(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str:
    """What a person types: spaces, dashes and lower case are forgiven."""
    return "".join(ch for ch in typed.strip().upper() if ch not in " -\u3000－")


def code_hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
