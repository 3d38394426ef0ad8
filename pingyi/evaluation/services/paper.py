"""Paper ballots: members marked as having voted on paper, and batch tallies typed twice by two clerks."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
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
    if ballots <= 0:
        raise ValidationError(_("票数必须大于 0。"))
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
    PaperEntry.objects.update_or_create(batch=batch, by=user, defaults={"counts": clean})
    audit.record(actor=by, action="evaluation.batch_entry", org=round.org, target=batch)
    if not others:
        return EntryResult(batch=batch, waiting=True, mismatched=[])
    other = others[0].counts
    mismatched = sorted(k for k in set(clean) | set(other) if clean.get(k, 0) != other.get(k, 0))
    if mismatched:
        batch.status = PaperBatch.Status.MISMATCH
        batch.save(update_fields=["status"])
        return EntryResult(batch=batch, waiting=False, mismatched=mismatched)
    amounts = {tuple(int(p) for p in key.split(":")): value for key, value in clean.items()}
    increment_counters(round, batch.source, amounts)  # type: ignore[arg-type]
    batch.status = PaperBatch.Status.COUNTED
    batch.digest = hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()
    batch.save(update_fields=["status", "digest"])
    batch.entries.update(counts={})
    audit.record(
        actor=by,
        action="evaluation.batch_counted",
        org=round.org,
        target=batch,
        data={"ballots": batch.ballots, "digest": batch.digest},
    )
    return EntryResult(batch=batch, waiting=False, mismatched=[])
