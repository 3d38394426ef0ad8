import pytest

from conftest import World, add_member
from pingyi.campaigns import progress
from pingyi.campaigns.models import Audience, Campaign
from pingyi.campaigns.progress import PeopleIndex, item_progress
from pingyi.org.models import PersonKind

pytestmark = pytest.mark.django_db


def test_audience_members_leaders_committee(world: World) -> None:
    leader = add_member(
        world,
        "李局长",
        posts=[
            {"org": world.orgs["bureau"], "title": "局长", "is_leadership": True},
            {"org": world.orgs["branch"], "title": "支部书记", "is_committee": True},
        ],
    )
    committee = add_member(
        world, "张委员", posts=[{"org": world.orgs["branch"], "title": "组织委员", "is_committee": True}]
    )
    probationary = add_member(world, "赵预备", probationary=True)
    add_member(world, "孙群众", kind=PersonKind.STAFF, category="")
    add_member(world, "外支部", org="other_branch")
    member = world.people["member"]
    branch = world.orgs["branch"]

    def ids(audience: str) -> set[int]:
        return set(progress.audience(org=branch, audience=audience).values_list("pk", flat=True))

    assert ids(Audience.MEMBERS) == {leader.pk, committee.pk, probationary.pk, member.pk}
    assert ids(Audience.LEADERS) == {leader.pk}
    assert ids(Audience.COMMITTEE) == {leader.pk, committee.pk}
    index = PeopleIndex([branch])
    for audience in Audience.values:
        assert {r.id for r in index.concerned(branch, audience)} == ids(audience)


def test_registered_rule_gives_done_expected_and_missing(
    world: World, campaign: Campaign, rule_done_by: dict[str, set[int]]
) -> None:
    other = add_member(world, "陈党员")
    away = add_member(world, "外出党员", status="away")
    rule_done_by["exams.sat"] = {world.people["member"].pk, other.pk}
    test_item = campaign.stages.get(order=1).work_items.get(code="hundred-question-test")
    result = item_progress(test_item, world.orgs["branch"], PeopleIndex([world.orgs["branch"]]))
    assert result.tracked
    assert (result.done, result.expected_count) == (2, 3)
    assert [p.name for p in result.missing] == [away.name]
    assert result.percent == 67 and not result.complete


def test_rule_ids_outside_the_audience_do_not_count(world: World, campaign: Campaign, rule_done_by) -> None:
    stranger = add_member(world, "外支部", org="other_branch")
    rule_done_by["exams.sat"] = {stranger.pk}

    def leaky(item, people):  # a careless provider ignoring the queryset it was given
        return {stranger.pk}

    progress.register_rule("exams.sat", "leaky")(leaky)
    item = campaign.stages.get(order=1).work_items.get(code="hundred-question-test")
    result = item_progress(item, world.orgs["branch"], PeopleIndex([world.orgs["branch"]]))
    assert (result.done, result.expected_count) == (0, 1)


def test_unregistered_rule_is_not_tracked_never_a_number(world: World, campaign: Campaign) -> None:
    item = campaign.stages.get(order=1).work_items.get(code="reflection")
    item.rule = "nobody.provides.this"
    assert progress.get_rule(item.rule) is None
    result = item_progress(item, world.orgs["branch"], PeopleIndex([world.orgs["branch"]]))
    assert not result.tracked and result.done_ids is None and result.missing == []
    assert result.expected_count == 1
    me = result.expected[0]
    assert result.is_done_by(me.id) is None


def test_a_rule_may_name_the_page_where_the_work_is_done(world: World, campaign: Campaign) -> None:
    item = campaign.stages.get(order=1).work_items.get(code="reflection")
    item.rule = "test.linked"
    progress.register_rule("test.linked", "linked", url_name="campaigns:detail")(lambda item, people: set())
    try:
        result = item_progress(item, world.orgs["branch"], PeopleIndex([world.orgs["branch"]]))
        assert result.url == f"/campaigns/{campaign.pk}/"
    finally:
        progress.unregister_rule("test.linked")
    assert item_progress(item, world.orgs["branch"], PeopleIndex([world.orgs["branch"]])).url == ""
