"""Work item 征求意见 (opinions.solicited): a leader who held a symposium or made a visit has done it."""

from datetime import date

import pytest

from conftest import World, add_member, open_campaign
from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import PeopleIndex, get_rule, item_progress
from pingyi.opinions import services

pytestmark = pytest.mark.django_db


def test_leaders_who_went_out_to_listen_have_done_the_item(world: World) -> None:
    campaign = open_campaign(world)
    director = add_member(
        world, "张局长", posts=[{"org": world.orgs["bureau"], "title": "局长", "is_leadership": True}]
    )
    deputy = add_member(
        world, "林副局长", posts=[{"org": world.orgs["bureau"], "title": "副局长", "is_leadership": True}]
    )
    item = WorkItem.objects.get(stage__campaign=campaign, rule="opinions.solicited")
    round_ = services.create_round(org=world.orgs["branch"], campaign=campaign, title="征求意见", by=None)
    progress = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert progress.tracked and progress.done == 0 and progress.expected_count == 2
    services.record_symposium(round=round_, title="座谈会", held_on=date(2005, 3, 2), hosts=[director], by=None)
    services.record_visit(
        round=round_, visited="东垅村", visited_on=date(2005, 3, 3), visitors=[world.people["member"]], by=None
    )
    progress = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert progress.done_ids == frozenset({director.pk})
    assert [r.name for r in progress.missing] == [deputy.name]
    assert progress.url == f"/opinions/campaign/{campaign.pk}/"


def test_a_round_of_another_campaign_does_not_count(world: World) -> None:
    campaign = open_campaign(world)
    other = open_campaign(world, title="另一个活动")
    director = add_member(
        world, "张局长", posts=[{"org": world.orgs["bureau"], "title": "局长", "is_leadership": True}]
    )
    round_ = services.create_round(org=world.orgs["branch"], campaign=other, title="征求意见", by=None)
    services.record_symposium(round=round_, title="座谈会", held_on=date(2005, 3, 2), hosts=[director], by=None)
    item = WorkItem.objects.get(stage__campaign=campaign, rule="opinions.solicited")
    rule = get_rule("opinions.solicited")
    assert rule is not None
    assert item_progress(item, campaign.org, PeopleIndex([campaign.org])).done == 0
