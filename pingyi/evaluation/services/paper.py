"""Paper ballots: members marked as having voted on paper, and batch tallies typed twice by two clerks.

A batch holds at least the round's minimum number of raters: the clerks who type it see its tally, so a
batch of one would tell them how that voter voted. A typing is stored only as a digest of each cell keyed
with the server's secret and the batch's salt: a typing nobody confirmed, or one that disagreed, can be
compared with the other but not read back. The agreed tally is kept only as a digest salted per batch
(ADR 0004, "Paper ballots").
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from pingyi.core import audit

from ..models import (
    ANONYMOUS_SOURCES,
    EvaluationRound,
    PaperBatch,
    PaperEntry,
    Participation,
    RaterSource,
    RoundMember,
)
from . import storage
from .ballots import increment_counters
from .rounds import lock_round


@transaction.atomic
def mark_paper_voted(*, round: EvaluationRound, members: Iterable[RoundMember], by: Any) -> int:
    """Record that members handed in a paper ballot (the ballots are counted by batch). Returns how many were new."""
    round = lock_round(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中。"))
    done = set(Participation.objects.filter(round=round).values_list("member_id", flat=True))
    new = [m for m in members if m.round_id == round.pk and m.pk not in done]
    Participation.objects.bulk_create(Participation(round=round, member=m, on_paper=True) for m in new)
    if new:
        audit.record(
            actor=by,
            action="evaluation.paper_voted",
            org=round.org,
            target=round,
            data={"members": [m.pk for m in new]},
        )
    return len(new)


@transaction.atomic
def create_batch(*, round: EvaluationRound, source: str, ballots: int, by: Any) -> PaperBatch:
    round = lock_round(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能录入纸质票。"))
    if source not in ANONYMOUS_SOURCES or (source == RaterSource.PUBLIC and not round.allow_public):
        raise ValidationError(_("纸质票来源无效。"))
    if ballots < round.min_raters:
        raise ValidationError(
            _("每批至少 %(n)d 张（本次测评的最少测评人数）：批次再小，录入的人就能从本批合计看出个人的投票。")
            % {"n": round.min_raters}
        )
    if source == RaterSource.MEMBERS:
        voters = round.participations.filter(on_paper=True).count()
        batched = sum(round.paper_batches.filter(source=source).values_list("ballots", flat=True))
        if batched + ballots > voters:
            raise ValidationError(
                _("党员纸质票共 %(voters)d 人登记，已建批次 %(batched)d 张，本批最多 %(left)d 张。")
                % {"voters": voters, "batched": batched, "left": max(voters - batched, 0)}
            )
    number = (round.paper_batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    batch = PaperBatch.objects.create(round=round, number=number, source=source, ballots=ballots)
    audit.record(actor=by, action="evaluation.batch_create", org=round.org, target=batch, data={"ballots": ballots})
    return batch


def all_cells(round: EvaluationRound) -> list[str]:
    subjects = round.members.filter(graded=True).order_by("pk").values_list("pk", flat=True)
    return [
        f"{s}:{d}:{g}" for s in subjects for d in range(len(round.dimensions) + 1) for g in range(len(round.grades))
    ]


def typing_digests(batch: PaperBatch, counts: Mapping[str, int], cells: Iterable[str]) -> dict[str, str]:
    """Every cell's typed count (zeros too, so which cells hold votes does not show), keyed with the server's
    secret and the batch's salt: equal typings give equal digests, and nothing in the database reads back."""
    key = f"pingyi.evaluation.paper:{batch.salt}"
    return {
        cell: salted_hmac(key, f"{cell}={counts.get(cell, 0)}", algorithm="sha256").hexdigest()[:32] for cell in cells
    }


def tally_digest(batch: PaperBatch, counts: Mapping[str, int]) -> str:
    """The agreed tally's digest, salted per batch: a recount of the paper can be checked against it (with
    the salt kept on the batch), while the audit entry, which carries only the digest, cannot be tested
    against guesses."""
    return hashlib.sha256((batch.salt + json.dumps(dict(counts), sort_keys=True)).encode()).hexdigest()


@dataclass(frozen=True)
class EntryResult:
    batch: PaperBatch
    waiting: bool  # the first entry: a second person must type the batch in too
    mismatched: list[str]  # cell keys where the two entries differ


def _check_batch_counts(round: EvaluationRound, batch: PaperBatch, counts: Mapping[str, int]) -> dict[str, int]:
    subjects = set(round.members.filter(graded=True).values_list("pk", flat=True))
    clean: dict[str, int] = {}
    per_member_dim: dict[tuple[int, int], int] = defaultdict(int)
    for key, value in counts.items():
        try:
            subject, dim, grade = (int(part) for part in key.split(":"))
        except ValueError as exc:
            raise ValidationError(_("录入内容无效，请刷新页面后重新录入。")) from exc
        if subject not in subjects or not 0 <= dim <= len(round.dimensions) or not 0 <= grade < len(round.grades):
            raise ValidationError(_("录入内容无效，请刷新页面后重新录入。"))
        if value < 0:
            raise ValidationError(_("票数不能为负数。"))
        if value:
            clean[key] = value
            per_member_dim[(subject, dim)] += value
    over = [k for k, total in per_member_dim.items() if total > batch.ballots]
    if over:
        raise ValidationError(
            _("有 %(count)d 处合计票数超过本批 %(ballots)d 张，请核对。")
            % {"count": len(over), "ballots": batch.ballots}
        )
    return clean


@transaction.atomic
def enter_batch(*, batch: PaperBatch, counts: Mapping[str, int], by: Any) -> EntryResult:
    """Type in a batch's tally. Two different people enter it; when their entries agree it is counted
    into the counters and the typed counts are erased, keeping the agreed tally's hash (ADR 0004)."""
    round = lock_round(batch.round)
    batch = PaperBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == PaperBatch.Status.COUNTED:
        raise ValidationError(_("这批纸质票已经核对计入，不能再录入。"))
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能录入纸质票。"))
    clean = _check_batch_counts(round, batch, counts)
    user = audit.user_of(by)
    others = list(batch.entries.exclude(by=user))
    if len(others) >= 2:
        raise ValidationError(_("这批纸质票已有两人录入，请由他们核对修改。"))
    cells = all_cells(round)
    mine = typing_digests(batch, clean, cells)
    PaperEntry.objects.update_or_create(batch=batch, by=user, defaults={"counts": mine})
    audit.record(actor=by, action="evaluation.batch_entry", org=round.org, target=batch)
    if not others:
        return EntryResult(batch=batch, waiting=True, mismatched=[])
    other = others[0].counts
    mismatched = [cell for cell in cells if mine[cell] != other.get(cell)]
    if mismatched:
        batch.status = PaperBatch.Status.MISMATCH
        batch.save(update_fields=["status"])
        return EntryResult(batch=batch, waiting=False, mismatched=mismatched)
    amounts = {tuple(int(p) for p in key.split(":")): value for key, value in clean.items()}
    increment_counters(round, batch.source, amounts)  # type: ignore[arg-type]
    batch.status = PaperBatch.Status.COUNTED
    batch.digest = tally_digest(batch, clean)
    batch.save(update_fields=["status", "digest"])
    batch.entries.update(counts={})
    transaction.on_commit(lambda: storage.scrub_history())
    audit.record(
        actor=by,
        action="evaluation.batch_counted",
        org=round.org,
        target=batch,
        data={"ballots": batch.ballots, "digest": batch.digest},
    )
    return EntryResult(batch=batch, waiting=False, mismatched=[])
