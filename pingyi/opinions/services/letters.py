"""Invitees, their codes, and the runs that write their letters (征求意见函) in a background job."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pingyi.core import audit, jobs
from pingyi.org.models import Person

from .. import codes
from ..models import (
    AccessCode,
    Invitee,
    LetterBatch,
    OpinionRound,
    Symposium,
    TargetGroup,
)
from .rounds import text_lines

LETTERS_JOB = "opinions.letters"
_CONTACT_GROUPS = {
    "employer": TargetGroup.EMPLOYER,
    "agency": TargetGroup.AGENCY,
    "village": TargetGroup.PUBLIC,
    "service_user": TargetGroup.PUBLIC,
}


@dataclass(frozen=True)
class InviteeEntry:
    name: str
    contact: str = ""
    group: str = TargetGroup.EMPLOYER
    person: Person | None = None


def invitee_entries(
    *, contacts: Iterable[Person] = (), lines: str = "", group: str = TargetGroup.EMPLOYER
) -> list[InviteeEntry]:
    """Contacts the system already holds, then one unit per line ("单位名称 联系人")."""
    entries = [
        InviteeEntry(
            name=p.affiliation or p.name,
            contact=p.name if p.affiliation else "",
            group=_CONTACT_GROUPS.get(p.contact_type, group),
            person=p,
        )
        for p in contacts
    ]
    for line in text_lines(lines):
        name, *rest = re.split(r"\s+", line, maxsplit=1)  # \s also matches the full-width space
        entries.append(InviteeEntry(name=name, contact=rest[0] if rest else "", group=group))
    return entries


@transaction.atomic
def add_invitees(*, round: OpinionRound, entries: Iterable[InviteeEntry], by: Any) -> int:
    """Adds the units not yet on the round's list (by name); returns how many were new."""
    existing = set(round.invitees.values_list("name", flat=True))
    new = []
    for entry in entries:
        name = entry.name.strip()[:120]
        if name and name not in existing:
            existing.add(name)
            new.append(
                Invitee(
                    round=round, name=name, contact=entry.contact.strip()[:50], group=entry.group, person=entry.person
                )
            )
    Invitee.objects.bulk_create(new)
    if new:
        audit.record(actor=by, action="opinions.invitees_added", org=round.org, target=round, data={"count": len(new)})
    return len(new)


@transaction.atomic
def remove_invitee(*, invitee: Invitee, by: Any) -> None:
    round_ = invitee.round
    audit.record(
        actor=by, action="opinions.invitee_removed", org=round_.org, target=round_, data={"name": invitee.name}
    )
    invitee.delete()


def _issue_code(round: OpinionRound, kind: str, invitee: Invitee | None = None) -> str:
    for _attempt in range(5):
        code = codes.new_code()
        try:
            with transaction.atomic():
                AccessCode.objects.create(round=round, invitee=invitee, kind=kind, code_hash=codes.hash_code(code))
            return code
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    raise RuntimeError("could not draw a fresh invitation code")


@transaction.atomic
def issue_round_code(*, round: OpinionRound, by: Any) -> str:
    """A code shared by everyone invited to this round (e.g. read out at a symposium); shown once."""
    code = _issue_code(round, AccessCode.Kind.ROUND)
    audit.record(actor=by, action="opinions.code_issued", org=round.org, target=round, data={"kind": "round"})
    return code


def issue_invitee_code(*, invitee: Invitee) -> str:
    """A fresh one-time code for a letter; the invitee's earlier unused codes stop working."""
    AccessCode.objects.filter(invitee=invitee, used_at__isnull=True).update(revoked=True)
    return _issue_code(invitee.round, AccessCode.Kind.ONE_TIME, invitee)


@transaction.atomic
def revoke_round_codes(*, round: OpinionRound, by: Any) -> int:
    count = AccessCode.objects.filter(round=round, kind=AccessCode.Kind.ROUND, revoked=False).update(revoked=True)
    audit.record(actor=by, action="opinions.codes_revoked", org=round.org, target=round, data={"count": count})
    return count


@transaction.atomic
def start_letter_run(
    *,
    round: OpinionRound,
    by: Any,
    base_url: str,
    kind: str = LetterBatch.Kind.LETTERS,
    symposium: Symposium | None = None,
) -> LetterBatch:
    running = (
        LetterBatch.objects.filter(round=round, kind=kind, symposium=symposium, content__isnull=True)
        .exclude(job__status__in=["done", "failed"])
        .first()
    )
    if running is not None:
        return running  # a second click while the run is under way: the same run
    addressees = symposium.invitees.count() if symposium else round.invitees.count()
    if not addressees:
        raise ValidationError(_("还没有征求对象，请先添加单位。"))
    batch = LetterBatch.objects.create(
        round=round, kind=kind, symposium=symposium, base_url=base_url[:200], created_by=audit.user_of(by)
    )
    batch.job = jobs.enqueue(LETTERS_JOB, by=by, org=round.org, batch_id=batch.pk)
    batch.save(update_fields=["job"])
    audit.record(
        actor=by,
        action="opinions.letters_started",
        org=round.org,
        target=batch,
        data={"kind": kind, "count": addressees},
    )
    return batch
