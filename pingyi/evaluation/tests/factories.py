"""Test builders: a branch with enough members to rate one another, and rounds in each state."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD, World
from pingyi.campaigns import services as campaign_services
from pingyi.campaigns.models import Campaign, CampaignTemplate
from pingyi.evaluation import services
from pingyi.evaluation.models import EvaluationRound, RoundMember, VoteCount
from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory, Person

_serial = itertools.count(1)


def campaign(world: World) -> Campaign:
    if not CampaignTemplate.objects.filter(code="democratic-evaluation").exists():
        call_command("load_campaign_templates", verbosity=0)  # a transactional test flushed them
    return campaign_services.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=timezone.localdate(),
        by=world.users["secretary"],
    )


def add_members(world: World, count: int, *, probationary: int = 0) -> list[Person]:
    """Members of the branch with logins named rater1, rater2, … (the world's member is extra)."""
    people = []
    for n in range(1, count + probationary + 1):
        category = MemberCategory.PROBATIONARY if n > count else MemberCategory.FORMAL
        person = org_services.save_person(
            org=world.orgs["branch"], by=None, name=f"党员{n:02d}", category=category, group=world.orgs["group"]
        )
        user = get_user_model().objects.create_user(username=f"rater{n}", password=PASSWORD, first_name=person.name)
        person.user = user
        person.save(update_fields=["user"])
        world.users[f"rater{n}"] = user
        world.people[f"rater{n}"] = person
        people.append(person)
    return people


def new_round(world: World, *, opened: bool = True, title: str = "", **terms: Any) -> EvaluationRound:
    """A round of the branch; each call makes a new one (a repeated title would return the first)."""
    round = services.create_round(
        campaign=campaign(world), org=world.orgs["branch"], title=title or f"民主评议党员{next(_serial)}",
        by=world.users["secretary"],
        **{"grades": ["优秀", "合格", "基本合格", "不合格"], **terms},
    )  # fmt: skip
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
