"""The only place that writes API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pingyi.core import audit

from .models import ApiToken

SECRET_PREFIX = "pyt_"
PREFIX_LENGTH = 12  # "pyt_" and 8 random characters: enough to tell tokens apart in a list
# Recording every request would turn each read into a write; a few minutes' precision is enough.
LAST_USED_PRECISION = timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_token(*, user: Any, name: str, by: Any) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret; the secret is not stored and cannot be shown again."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_secret(secret), prefix=secret[:PREFIX_LENGTH])
    audit.record(actor=by, action="api.token_create", target=token, data={"user": user.get_username(), "name": name})
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=by, action="api.token_revoke", target=token, data={"name": token.name})
    return token


def record_token_use(*, token: ApiToken) -> None:
    """Note when a token was last used (no audit entry: this is bookkeeping, not a change of rights)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
