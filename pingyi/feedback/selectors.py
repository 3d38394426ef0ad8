"""The secretary's roster of feedback: every member, their feedback's state, who has not acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pingyi.campaigns.models import Campaign
from pingyi.org.models import Person

from .models import Feedback, FeedbackStatus
from .services import members_of


@dataclass(frozen=True)
class RosterRow:
    person: Person
    feedback: Feedback | None

    @property
    def state(self) -> str:
        return self.feedback.status if self.feedback else "none"


@dataclass(frozen=True)
class Roster:
    rows: list[RosterRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def count_none(self) -> int:
        return self.count("none")

    @property
    def count_draft(self) -> int:
        return self.count(FeedbackStatus.DRAFT)

    @property
    def count_sent(self) -> int:
        return self.count(FeedbackStatus.SENT)

    @property
    def count_acknowledged(self) -> int:
        return self.count(FeedbackStatus.ACKNOWLEDGED)

    @property
    def waiting(self) -> list[RosterRow]:
        """Delivered and not yet acknowledged: whom the secretary should remind."""
        return [r for r in self.rows if r.state == FeedbackStatus.SENT]


def roster(campaign: Campaign, state: str = "") -> Roster:
    people = list(members_of(campaign))
    feedback = {f.person_id: f for f in Feedback.objects.filter(campaign=campaign).defer("basis")}
    rows = [RosterRow(p, feedback.get(p.pk)) for p in people]
    if state:
        rows = [r for r in rows if r.state == state]
    return Roster(rows)


def own_feedback(user: Any, campaign: Campaign) -> Feedback | None:
    return (
        Feedback.objects.filter(campaign=campaign, person__user=user)
        .exclude(status=FeedbackStatus.DRAFT)
        .select_related("person")
        .first()
    )
