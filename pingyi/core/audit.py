"""The audit log: every service write appends one hash-chained entry.

Each entry's hash covers its own fields and the previous entry's hash, so
editing or deleting any row breaks the chain at that row (verify_chain).
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
# Sent with `entry` inside the writer's transaction, so what a receiver writes commits or rolls back with it.
# Layers above the kernel listen (e.g. reports marks the figures of the campaigns covering `entry.org` stale).
recorded = Signal()


def _digest(
    *, prev_hash: str, at: str, actor_id: int | None, action: str, org_id: int | None, target: str, data: Any
) -> str:
    body = json.dumps(
        [prev_hash, at, actor_id, action, org_id, target, data], ensure_ascii=False, sort_keys=True, default=str
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _entry_digest(entry: AuditEntry) -> str:
    return _digest(
        prev_hash=entry.prev_hash,
        at=entry.at.isoformat(),
        actor_id=entry.actor_id,
        action=entry.action,
        org_id=entry.org_id,
        target=entry.target,
        data=entry.data,
    )


def user_of(actor: Any) -> Any:
    """The user behind a service's `by`, which may also be None or a label such as "seed_demo"."""
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *, actor: Any, action: str, org: Any = None, target: models.Model | str = "", data: dict | None = None
) -> AuditEntry:
    """Append an entry. Call inside the service's transaction so it commits or rolls back with the write."""
    if isinstance(target, models.Model):
        target = f"{target._meta.label_lower}:{target.pk}"
    user = user_of(actor)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        entry = AuditEntry(
            at=timezone.now(),
            actor=user,
            actor_label=(user.get_username() if user else str(actor or "system"))[:150],
            action=action,
            org=org,
            target=str(target)[:120],
            data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
            prev_hash=head.last_hash,
        )
        entry.hash = _entry_digest(entry)
        entry.save()
        head.last_hash = entry.hash
        head.save(update_fields=["last_hash"])
        recorded.send(sender=AuditEntry, entry=entry)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many entries were checked and the first break, if any."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return checked, ChainBreak(entry.id, "prev_hash")
        if _entry_digest(entry) != entry.hash:
            return checked, ChainBreak(entry.id, "hash")
        prev = entry.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_hash != prev:
        return checked, ChainBreak(0, "tail")
    return checked, None


def last_hash() -> str:
    head = AuditHead.objects.filter(pk=1).first()
    return head.last_hash if head else GENESIS
