"""Test builders: a branch with enough members to rate one another, and rounds in each state."""

from __future__ import annotations

import itertools
from typing import Any

from conftest import World, open_campaign
from pingyi.evaluation import services
from pingyi.evaluation.models import EvaluationRound, RoundMember, VoteCount
from pingyi.org.models import Person

_serial = itertools.count(1)


def new_round(world: World, *, opened: bool = True, title: str = "", **terms: Any) -> EvaluationRound:
    """A round of the branch; each call makes a new one (a repeated title would return the first)."""
    round = services.create_round(
        campaign=open_campaign(world, "democratic-evaluation"),
        org=world.orgs["branch"],
        title=title or f"民主评议党员{next(_serial)}",
        by=world.users["secretary"],
        **{"grades": ["优秀", "合格", "基本合格", "不合格"], **terms},
    )
    if opened:
        round = services.open_round(round=round, by=world.users["secretary"])
    return round


def member_of(round: EvaluationRound, person: Person) -> RoundMember:
    return RoundMember.objects.get(round=round, person=person)


def everyone_gives(round: EvaluationRound, rater: Person, grade: int) -> dict[int, int | None]:
    """A ballot giving every other graded member the same grade."""
    subjects = round.members.filter(graded=True).exclude(person=rater).values_list("pk", flat=True)
    return dict.fromkeys(subjects, grade)


def votes(**filters: Any) -> int:
    """All votes counted in the counters matching the filters, whatever the grade."""
    return sum(row.total for row in VoteCount.objects.filter(**filters))


def counts_of(**filters: Any) -> list[int]:
    """The per-grade counters of one counter row."""
    return VoteCount.objects.get(**filters).counts


def close(round: EvaluationRound, by: Any) -> EvaluationRound:
    """Close a round whatever its participation: below the target with the confirmation and a reason."""
    return services.close_round(round=round, by=by, below_target_confirmed=True, shortfall_reason="部分党员外出")
