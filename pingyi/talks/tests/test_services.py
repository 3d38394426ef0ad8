from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.core.models import AuditEntry
from pingyi.opinions.models import Channel, Opinion, OpinionRound
from pingyi.org import services as org_services
from pingyi.talks import services
from pingyi.talks.models import RaisedOpinion, Side, Talk
from pingyi.talks.selectors import coverage_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def record(world: World, campaign: Campaign, side_a: list, side_b: list, **extra: Any) -> services.Recorded:
    fields = {"held_on": TODAY(), "topic": "谈思想", "summary": "交换了意见", **extra}
    return services.record_talk(campaign=campaign, side_a=side_a, side_b=side_b, by=world.users["secretary"], **fields)


def test_a_talk_is_recorded_with_its_two_sides_and_an_audit_entry_without_the_summary(
    world: World, campaign: Campaign
) -> None:
    chen = add_member(world, "陈党员")
    result = record(world, campaign, [chen], [world.people["member"]], summary="不该出现在日志里")
    talk = result.talk
    assert result.created and talk.org == world.orgs["branch"] and talk.campaign == campaign
    assert {(p.person_id, p.side) for p in talk.participants.all()} == {
        (chen.pk, Side.A),
        (world.people["member"].pk, Side.B),
    }
    entry = AuditEntry.objects.get(action="talks.recorded")
    assert "不该出现在日志里" not in str(entry.data)


def test_recording_the_same_talk_twice_keeps_one(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    first = record(world, campaign, [chen], [world.people["member"]])
    again = record(world, campaign, [chen], [world.people["member"]])
    assert not again.created and again.talk == first.talk and Talk.objects.count() == 1
    assert AuditEntry.objects.filter(action="talks.recorded").count() == 1


def test_opinions_raised_become_opinions_of_the_chosen_round(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    talk = record(
        world,
        campaign,
        [chen],
        [world.people["member"]],
        round=round,
        opinions=[services.OpinionInput("窗口服务态度要改进", world.people["member"]), services.OpinionInput("  ")],
    ).talk
    opinion = Opinion.objects.get()
    assert opinion.round == round and opinion.channel == Channel.TALK
    assert opinion.concerns_person == world.people["member"] and opinion.text == "窗口服务态度要改进"
    assert talk.raised_opinions.get().opinion == opinion


def test_without_a_round_the_opinions_stay_with_the_talk(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    talk = record(world, campaign, [chen], [world.people["member"]], opinions=[services.OpinionInput("多下基层")]).talk
    assert not Opinion.objects.exists()
    assert [(r.text, r.opinion) for r in talk.raised_opinions.all()] == [("多下基层", None)]


def test_a_round_of_another_branch_is_refused(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    elsewhere = OpinionRound.objects.create(org=world.orgs["other_branch"], title="别处")
    with pytest.raises(ValidationError):
        record(
            world, campaign, [chen], [world.people["member"]], round=elsewhere, opinions=[services.OpinionInput("x")]
        )
    assert not Talk.objects.exists()


def test_a_crash_while_storing_the_opinions_leaves_nothing_behind(
    world: World, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    calls = []
    real = services.opinion_services.record_opinion

    def failing(**kwargs: Any) -> Opinion:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services.opinion_services, "record_opinion", failing)
    with pytest.raises(RuntimeError):
        record(
            world,
            campaign,
            [chen],
            [world.people["member"]],
            round=round,
            opinions=[services.OpinionInput("一"), services.OpinionInput("二")],
        )
    assert not Talk.objects.exists() and not Opinion.objects.exists() and not RaisedOpinion.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="talks.").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"side_a": []}, "谈话双方都至少要有一人"),
        ({"side_b": "same"}, "同一人不能既是谈话人又是谈话对象"),
        ({"held_on": "tomorrow"}, "谈话日期不能晚于今天"),
        ({"summary": "长" * 2001}, "谈话摘要请控制在2000字以内"),
        ({"side_b": "outsider"}, "谈话人员须是本组织的党员"),
    ],
)
def test_bad_talks_are_refused_with_a_reason(world: World, campaign: Campaign, change: dict, message: str) -> None:
    chen = add_member(world, "陈党员")
    stranger = add_member(world, "外单位", org="other_branch")
    fields: dict[str, Any] = {"side_a": [chen], "side_b": [world.people["member"]]}
    for key, value in change.items():
        if value == "same":
            value = [chen]
        elif value == "outsider":
            value = [stranger]
        elif value == "tomorrow":
            value = TODAY() + timedelta(days=1)
        fields[key] = value
    side_a, side_b = fields.pop("side_a"), fields.pop("side_b")
    with pytest.raises(ValidationError, match=message):
        record(world, campaign, side_a, side_b, **fields)
    assert not Talk.objects.exists()


def test_coverage_counts_talks_of_the_year_up_to_the_campaigns_end(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    member = world.people["member"]
    record(world, campaign, [chen], [member], held_on=campaign.ends_on - timedelta(days=365))  # a year and a day
    assert coverage_for(campaign).done_count == 0
    record(world, campaign, [chen], [member], held_on=TODAY() - timedelta(days=100))
    cov = coverage_for(campaign)
    assert (cov.required_count, cov.done_count) == (1, 1)


def test_a_campaign_requirement_adds_required_pairs_and_is_added_once(world: World, campaign: Campaign) -> None:
    leader = add_member(world, "张局长", leader=True)
    in_charge = add_member(world, "就业股党员", group="group")
    post = {"org": world.orgs["group"], "title": "分管领导", "is_leadership": True, "is_committee": False}
    org_services.set_posts(person=leader, posts=[post], by=None)
    before = coverage_for(campaign).required_count
    requirement = services.add_requirement(
        campaign=campaign, name="领导与分管", left="leader", right="charge", same_group="never", by=None
    )
    again = services.add_requirement(
        campaign=campaign, name="又一次", left="leader", right="charge", same_group="never", by=None
    )
    assert again == requirement
    cov = coverage_for(campaign)
    pairs = {pair for pair, names in cov.required.items() if "领导与分管" in names}
    assert pairs == {tuple(sorted((leader.pk, in_charge.pk))), tuple(sorted((leader.pk, world.people["member"].pk)))}
    assert cov.required_count == before  # those pairs were already owed under the member requirement
    services.remove_requirement(requirement=requirement, by=None)
    assert not campaign.talk_requirements.exists()
    assert AuditEntry.objects.filter(action__in=["talks.requirement_added", "talks.requirement_removed"]).count() == 2
