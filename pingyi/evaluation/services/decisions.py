"""The committee's opinion and grade for each member, within the cap on the top grade."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit

from ..models import (
    Decision,
    DecisionChange,
    EvaluationRound,
    RoundMember,
)
from .rounds import lock_round


def top_grade_limit(round: EvaluationRound, graded: int) -> int:
    """How many members may receive the top grade: the cap's share of the graded members, rounded down."""
    return graded * round.top_cap_num // round.top_cap_den


@transaction.atomic
def decide(
    *,
    member: RoundMember,
    grade: int | None,
    opinion: str,
    reason: str,
    record_notes: str = "",
    change_reason: str = "",
    by: Any,
) -> Decision:
    """Set the committee's opinion and grade. The vote informs it; nothing here reads the tally.

    The cap on the top grade is checked under the round's lock, so two decisions at once cannot
    both take the last place. A change to a settled decision keeps a history row and needs a reason.
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
            decided_by=user,
            decided_at=now,
        )
        audit.record(
            actor=by, action="evaluation.decide", org=round.org, target=member, data={"grade": _label(round, grade)}
        )
        return decision
    if (decision.grade, decision.opinion, decision.reason, decision.record_notes) == (
        grade,
        opinion,
        reason,
        record_notes,
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
    decision.decided_by, decision.decided_at = user, now
    decision.save()
    audit.record(
        actor=by,
        action="evaluation.decision_change",
        org=round.org,
        target=member,
        data={"before": before, "after": _label(round, grade), "reason": change_reason},
    )
    return decision


def _label(round: EvaluationRound, grade: int | None) -> str:
    return "" if grade is None else round.grades[grade]
