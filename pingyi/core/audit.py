"""The audit log: every service write appends one hash-chained entry (docs/adr/0007).

Each entry's hash is an HMAC-SHA256, under a key kept outside the database (settings.AUDIT_KEY), of
every field the log shows and of the previous entry's hash. Editing, inserting or deleting a row breaks
the chain at that row (verify_chain), and someone who can write the database but lacks the key cannot
compute a new chain. Truncating the tail needs no key, so the head is also kept outside the database:
written to an append-only file at each stage sign-off (anchor), printed on notices, and checked with
`manage.py verify_audit --against ID:HASH`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
# Sent with `entry` inside the writer's transaction, so what a receiver writes commits or rolls back with it.
# Layers above the kernel listen (e.g. reports marks the figures of the campaigns covering `entry.org` stale).
recorded = Signal()


def audit_key() -> bytes:
    """The chain's key: PINGYI_AUDIT_KEY, or one derived from the secret key when that is not set."""
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"pingyi.audit-log", hashlib.sha256).digest()


def digest(fields: dict[str, Any], key: bytes | None = None) -> str:
    """The keyed hash of an entry's fields (`hashed_fields`), canonical JSON."""
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hmac.new(key or audit_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def hashed_fields(entry: Any) -> dict[str, Any]:
    """Every field the log shows or relies on: all of them but the id, the hash itself and the actor link."""
    return {
        "prev_hash": entry.prev_hash,
        "at": entry.at.isoformat(),
        "actor_uid": entry.actor_uid,
        "actor_label": entry.actor_label,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "org_id": entry.org_id,
        "target": entry.target,
        "data": entry.data,
        "legacy_hash": entry.legacy_hash,
        "legacy_break": entry.legacy_break,
    }


def entry_digest(entry: Any, key: bytes | None = None) -> str:
    return digest(hashed_fields(entry), key)


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
    label = user.get_username() if user else str(actor or "system")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        entry = AuditEntry(
            at=timezone.now(),
            actor=user,
            actor_uid=user.pk if user else None,
            actor_label=label[:150],
            actor_name=((user.first_name or label) if user else label)[:150],
            action=action,
            org=org,
            target=str(target)[:120],
            data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
            prev_hash=head.last_hash,
        )
        entry.hash = entry_digest(entry)
        entry.save()
        head.last_hash = entry.hash
        head.save(update_fields=["last_hash"])
        recorded.send(sender=AuditEntry, entry=entry)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str  # "hash", "prev_hash", "tail", "legacy_hash", "legacy_prev_hash", "anchor"
    detail: str = ""


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many entries were checked and the first break, if any."""
    prev = GENESIS
    checked = 0
    key = audit_key()
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return checked, ChainBreak(entry.id, "prev_hash")
        if entry_digest(entry, key) != entry.hash:
            return checked, ChainBreak(entry.id, "hash")
        if entry.legacy_break:
            return checked, ChainBreak(entry.id, f"legacy_{entry.legacy_break}")
        prev = entry.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_hash != prev:
        return checked, ChainBreak(0, "tail")
    return checked, None


@dataclass(frozen=True)
class Anchor:
    """A head kept outside the database: the id and hash of an entry as it was when written down."""

    entry_id: int | None
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """`ID:HASH`, or a bare HASH (as a notice prints it)."""
        text = text.strip()
        if ":" in text:
            entry_id, hash_ = text.split(":", 1)
            return cls(int(entry_id), hash_.strip().lower())
        return cls(None, text.lower())

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.hash}" if self.entry_id is not None else self.hash


def check_anchors(anchors: Iterable[Anchor]) -> ChainBreak | None:
    """The first anchor the stored chain no longer holds: its entry gone, or carrying another hash.

    Run after verify_chain has passed: an intact chain that has lost an anchored hash was rebuilt or cut
    back to before the anchor.
    """
    for anchor in anchors:
        found = AuditEntry.objects.filter(models.Q(hash=anchor.hash) | models.Q(legacy_hash=anchor.hash))
        if anchor.entry_id is not None:
            found = found.filter(pk=anchor.entry_id)
        if not found.exists():
            return ChainBreak(anchor.entry_id or 0, "anchor", str(anchor))
    return None


def read_anchor_file(path: str) -> list[Anchor]:
    anchors = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                written = json.loads(line)
                anchors.append(Anchor(int(written["id"]), str(written["hash"])))
    return anchors


def last_entry() -> AuditEntry | None:
    return AuditEntry.objects.order_by("-id").first()


def head() -> Anchor:
    """The current head, as it would be written down or sent to the level above."""
    entry = last_entry()
    return Anchor(entry.pk, entry.hash) if entry else Anchor(0, GENESIS)


def anchor(entry: AuditEntry, *, reason: str) -> None:
    """Append the entry's id and hash to settings.AUDIT_ANCHOR_FILE (if set), once it has committed.

    The file is opened for appending only and flushed to disk; the deployment makes it append-only
    (`chattr +a`) and copies it off the server (docs/deploy.md).
    """
    path = settings.AUDIT_ANCHOR_FILE
    if not path:
        return
    line = json.dumps(
        {"at": timezone.now().isoformat(), "id": entry.pk, "hash": entry.hash, "reason": reason}, ensure_ascii=False
    )

    def write() -> None:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    transaction.on_commit(write)


def last_hash() -> str:
    head = AuditHead.objects.filter(pk=1).first()
    return head.last_hash if head else GENESIS
