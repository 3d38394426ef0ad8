"""Evaluation: the rounds the person took part in, their self-assessment and the committee's opinion.

What anyone voted is not here because it is nowhere: the counters never refer to a voter (ADR 0004).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingyi.core.personal import ERASED, RetentionRule, rows

from .models import Decision, DecisionChange, EvaluationRound, Exclusion, Participation, RoundMember, SelfAssessment


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    members = RoundMember.objects.filter(person=person)
    return {
        "evaluation_rounds": rows(members, "round__title", "round__status", "graded"),
        "voted_in": rows(Participation.objects.filter(member__in=members), "round__title", "on_paper"),
        "self_assessments": rows(
            SelfAssessment.objects.filter(member__in=members), "member__round__title", "text", "grade"
        ),
        "evaluation_decisions": rows(
            Decision.objects.filter(member__in=members),
            "member__round__title",
            "grade",
            "opinion",
            "reason",
            "record_notes",
            "decided_at",
        ),
        "exclusions": rows(Exclusion.objects.filter(member__in=members), "round__title", "reason", "status"),
    }


def blockers(person: Any) -> list[str]:
    open_rounds = RoundMember.objects.filter(person=person).exclude(round__status=EvaluationRound.Status.CLOSED)
    if open_rounds.exists():
        return [_("正在参加尚未结束的民主评议：评议结束后才能匿名化。")]
    return []


def anonymise(person: Any) -> dict[str, int]:
    """Grades and participation stay (the round's tallies and notices hold); the words about the person go."""
    members = RoundMember.objects.filter(person=person)
    decisions = Decision.objects.filter(member__in=members)
    return {
        "self_assessments": SelfAssessment.objects.filter(member__in=members).update(text=ERASED),
        "evaluation_decisions": decisions.update(opinion=ERASED, reason=ERASED, record_notes=""),
        "decision_changes": DecisionChange.objects.filter(decision__in=decisions).update(
            old_opinion=ERASED, new_opinion=ERASED, reason=ERASED
        ),
        "exclusions": Exclusion.objects.filter(member__in=members).update(reason=ERASED),
    }


def _clear_exclusion_reasons(cutoff: dt.datetime) -> int:
    """Reasons for leaving someone out of the count are often about health: kept a year after the round."""
    old = Exclusion.objects.filter(round__status=EvaluationRound.Status.CLOSED, round__closed_at__lt=cutoff)
    return old.exclude(reason=ERASED).update(reason=ERASED)


RETENTION = [
    RetentionRule("evaluation.exclusion_reasons", gettext_lazy("不计入参评人数的原因"), 365, _clear_exclusion_reasons)
]
