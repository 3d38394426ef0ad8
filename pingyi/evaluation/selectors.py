"""Reads other apps rely on. Keep these signatures: written feedback (pingyi.feedback) calls them."""

from __future__ import annotations

from dataclasses import dataclass

from pingyi.campaigns.models import Campaign
from pingyi.org.models import Person


@dataclass(frozen=True)
class CommitteeOpinion:
    grade_label: str  # e.g. 合格
    opinion: str  # the committee's evaluation opinion text
    reason: str


def committee_opinion(person: Person, campaign: Campaign) -> CommitteeOpinion | None:
    """The branch committee's settled opinion on a member in the campaign's evaluation, if one exists.

    None until an evaluation round of the campaign has closed and the committee has set the opinion.
    """
    return None  # the evaluation round models (issue 5) replace this body with the real lookup
