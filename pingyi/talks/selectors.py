"""Reads for the talk pages, the progress provider and the life-meeting prerequisites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from pingyi.campaigns.models import Audience, Campaign
from pingyi.campaigns.progress import audience
from pingyi.org.models import OrgUnit, Post, under

from .coverage import CHARGE, Coverage, Member, PairRequirement, covered_pairs, load_requirements, required_pairs
from .models import Talk, TalkParticipant


def window(campaign: Campaign) -> tuple[date, date]:
    """Talks count in the requirement set's period (a year) up to the campaign's end: at least once a year."""
    end = campaign.ends_on
    return end - timedelta(days=load_requirements().period_days - 1), end


def requirements_for(campaign: Campaign) -> list[PairRequirement]:
    return [
        *load_requirements().requirements,
        *(requirement.as_requirement() for requirement in campaign.talk_requirements.all()),
    ]


def members_of(org: OrgUnit, *, with_charge: bool = False) -> list[Member]:
    """The party members a campaign run by `org` concerns, with their group and posts."""
    people: Any = audience(org=org, audience=Audience.MEMBERS)  # annotated with the post flags
    rows = list(people.values_list("id", "name", "group_id", "group__path", "is_committee", "is_leader"))
    charge: dict[int, set[int]] = {}
    if with_charge:
        # A leader's charge: members of the groups or offices below the node where the leader holds a post.
        leaders = [row[0] for row in rows if row[5]]
        posts = (
            Post.objects.filter(under(org), person_id__in=leaders)
            .exclude(org=org)
            .values_list("person_id", "org__path")
        )
        for leader_id, path in posts:
            charge.setdefault(leader_id, set()).update(row[0] for row in rows if (row[3] or "").startswith(path))
    return [
        Member(
            id=pk,
            name=name,
            group_id=group_id,
            is_committee=is_committee,
            is_leader=is_leader,
            charge=frozenset(charge.get(pk, ())),
        )
        for pk, name, group_id, _path, is_committee, is_leader in rows
    ]


def talks_in(org: OrgUnit, start: date, end: date) -> QuerySet[Talk]:
    participants = Prefetch("participants", queryset=TalkParticipant.objects.select_related("person"))
    return (
        Talk.objects.in_subtree(org)
        .filter(held_on__range=(start, end))
        .select_related("org")
        .prefetch_related(participants)
    )


def coverage_for(
    campaign: Campaign, talks: list[Talk] | None = None, requirements: list[PairRequirement] | None = None
) -> Coverage:
    requirements = requirements_for(campaign) if requirements is None else requirements
    people = members_of(campaign.org, with_charge=any(requirement.right == CHARGE for requirement in requirements))
    if talks is None:
        talks = list(talks_in(campaign.org, *window(campaign)))
    required = required_pairs(people, requirements, large_branch_members=load_requirements().large_branch_members)
    return Coverage(people=people, required=required, covered=covered_pairs(t.sides() for t in talks))


@dataclass(frozen=True)
class PersonLine:
    """One person's line of the phone list: the talks they still owe."""

    person: Member
    owed: list[Member]


def owed_lines(cov: Coverage, person_ids: Iterable[int] | None = None) -> list[PersonLine]:
    """Everyone's line, or only the given people's."""
    by_id = {p.id: p for p in cov.people}
    people = cov.people if person_ids is None else [by_id[i] for i in person_ids if i in by_id]
    return [PersonLine(person=p, owed=[by_id[i] for i in cov.owed_ids(p.id)]) for p in people]


def matrix(cov: Coverage) -> list[tuple[Member, list[tuple[Member, str]]]]:
    return [(row, [(col, cov.state(row.id, col.id)) for col in cov.people]) for row in cov.people]
