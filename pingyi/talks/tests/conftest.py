from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign, CampaignTemplate
from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory, Person


def add_member(world: World, name: str, *, committee: bool = False, leader: bool = False, **fields: Any) -> Person:
    fields.setdefault("category", MemberCategory.FORMAL)
    person = org_services.save_person(org=fields.pop("org", world.orgs["branch"]), by=None, name=name, **fields)
    posts = []
    if committee:
        posts.append({"org": world.orgs["branch"], "title": "支部委员", "is_leadership": False, "is_committee": True})
    if leader:
        posts.append({"org": world.orgs["bureau"], "title": "副局长", "is_leadership": True, "is_committee": False})
    if posts:
        org_services.set_posts(person=person, posts=posts, by=None)
    return person


def open_campaign(world: World, code: str = "democratic-evaluation") -> Campaign:
    """Started ten days ago, so talks held today fall in the counted year."""
    return campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code=code),
        title="",
        starts_on=timezone.localdate() - timedelta(days=10),
        by=world.users["secretary"],
    )


@pytest.fixture
def campaign(world: World) -> Campaign:
    return open_campaign(world)


@pytest.fixture
def committee_member(world: World) -> Person:
    """A committee member with a login of their own (the committee persona has no member record)."""
    person = add_member(world, "陈支委", committee=True)
    person.user = world.users["committee"]
    person.save(update_fields=["user"])
    return person
