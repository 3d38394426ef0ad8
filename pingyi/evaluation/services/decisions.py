"""The committee's opinion and grade for each member, within the cap on the top grade."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit

from ..models import (
    CORRECTION_LABELS,
    FAILED_LABEL,
    MAX_CORRECTION_DAYS,
    Decision,
    DecisionChange,
    EvaluationRound,
    RoundMember,
)
from ..selectors import top_grade_limit
from .rounds import lock_round


def _check_deadline(round: EvaluationRound, grade: int | None, correct_by: date | None) -> date | None:
    """不合格 means 限期改正: a deadline after today and at most a year away. Other grades have none."""
    if grade is None or round.grades[grade] != FAILED_LABEL:
        return None
    today = timezone.localdate()
    last = today + timedelta(days=MAX_CORRECTION_DAYS)
    if correct_by is None:
        raise ValidationError(_("评为不合格的，须限期改正：请填写改正期限（不超过一年）。"))
    if not today < correct_by <= last:
        raise ValidationError(_("改正期限须在今天之后、一年之内（%(last)s 以前）。") % {"last": last})
    return correct_by


@transaction.atomic
def decide(
    *,
    member: RoundMember,
    grade: int | None,
    opinion: str,
    reason: str,
    record_notes: str = "",
    correct_by: date | None = None,
    change_reason: str = "",
    by: Any,
) -> Decision:
    """Set the committee's opinion and grade. The vote informs it; nothing here reads the tally.

    The cap on the top grade is checked under the round's lock, so two decisions at once cannot
    both take the last place. A change to a settled decision keeps a history row and needs a reason.
    不合格 carries the deadline to correct (限期改正, at most a year).
    """
    round = lock_round(member.round)
    if not round.is_closed:
        raise ValidationError(_("测评结束后才能形成评定意见。"))
    opinion, reason, record_notes = opinion.strip(), reason.strip(), record_notes.strip()
    if not opinion or not reason:
        raise ValidationError(_("请填写评议意见和理由。"))
    if member.graded:
        if grade is None or not 0 <= grade < len(round.grades):
            raise ValidationError(_("请选择等次。"))
    elif grade is not None:
        raise ValidationError(_("预备党员参加评议，但不评定等次。"))
    correct_by = _check_deadline(round, grade, correct_by)
    if grade == 0:
        graded = round.members.filter(graded=True).count()
        limit = top_grade_limit(round, graded)
        taken = Decision.objects.filter(member__round=round, grade=0).exclude(member=member).count()
        if taken >= limit:
            raise ValidationError(
                _("“%(grade)s”等次最多 %(limit)d 人（参加评定 %(graded)d 人的 %(num)d/%(den)d），已有 %(taken)d 人。")
                % {
                    "grade": round.grades[0],
                    "limit": limit,
                    "graded": graded,
                    "num": round.top_cap_num,
                    "den": round.top_cap_den,
                    "taken": taken,
                }
            )
    now, user = timezone.now(), audit.user_of(by)
    decision = Decision.objects.select_for_update().filter(member=member).first()
    if decision is None:
        decision = Decision.objects.create(
            member=member,
            grade=grade,
            opinion=opinion,
            reason=reason,
            record_notes=record_notes,
            correct_by=correct_by,
            decided_by=user,
            decided_at=now,
        )
        audit.record(
            actor=by, action="evaluation.decide", org=round.org, target=member, data={"grade": _label(round, grade)}
        )
        return decision
    if (decision.grade, decision.opinion, decision.reason, decision.record_notes, decision.correct_by) == (
        grade,
        opinion,
        reason,
        record_notes,
        correct_by,
    ):
        return decision
    change_reason = change_reason.strip()
    if not change_reason:
        raise ValidationError(_("评定意见已经形成，修改时请写明变更理由。"))
    DecisionChange.objects.create(
        decision=decision,
        changed_by=user,
        changed_at=now,
        old_grade=decision.grade,
        new_grade=grade,
        old_opinion=decision.opinion,
        new_opinion=opinion,
        reason=change_reason,
    )
    before = _label(round, decision.grade)
    decision.grade, decision.opinion, decision.reason, decision.record_notes = grade, opinion, reason, record_notes
    decision.correct_by, decision.decided_by, decision.decided_at = correct_by, user, now
    decision.save()
    audit.record(
        actor=by,
        action="evaluation.decision_change",
        org=round.org,
        target=member,
        data={"before": before, "after": _label(round, grade), "reason": change_reason},
    )
    return decision


@transaction.atomic
def decide_remaining(
    *, round: EvaluationRound, members: Iterable[RoundMember], grade: int, opinion: str, reason: str, by: Any
) -> int:
    """Settle the plain cases at once: each chosen member still without a decision gets the same grade
    (probationary members: none), opinion and reason. Each is a decision of its own, audited on its own
    and changed later like any other; all or none are saved (the cap on the top grade included).
    基本合格 and 不合格 are decided one by one, with their own reasons (and the deadline to correct).
    Members decided meanwhile (another committee member, a repeated submit) are left as they are.
    Returns how many were decided."""
    round = lock_round(round)
    if not 0 <= grade < len(round.grades):
        raise ValidationError(_("请选择等次。"))
    if round.grades[grade] in CORRECTION_LABELS:
        raise ValidationError(
            _("“%(grade)s”须逐人评定，写明理由和整改要求，不能一并评定。") % {"grade": round.grades[grade]}
        )
    chosen = RoundMember.objects.filter(round=round, pk__in=[m.pk for m in members], decision__isnull=True)
    decided = 0
    for member in chosen.select_related("round").order_by("person__org__path", "person_id"):
        decide(member=member, grade=grade if member.graded else None, opinion=opinion, reason=reason, by=by)
        decided += 1
    return decided


def _label(round: EvaluationRound, grade: int | None) -> str:
    return "" if grade is None else round.grades[grade]
