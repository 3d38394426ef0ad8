from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PeopleIndex, item_progress
from pingyi.opinions.models import Opinion, OpinionRound
from pingyi.org.models import Person
from pingyi.talks import services
from pingyi.talks.models import Talk

pytestmark = pytest.mark.django_db


def campaign_url(campaign: Campaign) -> str:
    return reverse("talks:campaign", kwargs={"campaign_id": campaign.pk})


def record_url(campaign: Campaign) -> str:
    return reverse("talks:record", kwargs={"campaign_id": campaign.pk})


def talk(world: World, campaign: Campaign, side_a: list[Person], side_b: list[Person], summary: str = "摘要") -> Talk:
    return services.record_talk(
        campaign=campaign,
        held_on=timezone.localdate(),
        topic="谈工作",
        summary=summary,
        side_a=side_a,
        side_b=side_b,
        by=world.users["secretary"],
    ).talk


def form(campaign: Campaign, side_a: list[Person], side_b: list[Person], **extra: Any) -> dict[str, Any]:
    data = {
        "held_on": timezone.localdate().isoformat(),
        "side_a": [p.pk for p in side_a],
        "side_b": [p.pk for p in side_b],
        "topic": "谈思想",
        "summary": "谈了学习体会",
        "opinion-TOTAL_FORMS": "3",
        "opinion-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", ["committee", "office", "supervisor", "member", "outsider"])
def test_a_talk_summary_is_hidden_from_everyone_who_was_not_in_it(
    world: World, campaign: Campaign, persona: str
) -> None:
    a, b = add_member(world, "甲"), add_member(world, "乙")
    secret = talk(world, campaign, [a], [b], summary="只给当事人看的话")
    response = world.client(persona).get(reverse("talks:detail", kwargs={"talk_id": secret.pk}))
    assert response.status_code == 404
    listing = world.client(persona).get(campaign_url(campaign))
    assert "只给当事人看的话" not in listing.content.decode()


def test_participants_and_the_secretary_read_the_summary(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    held = talk(world, campaign, [chen], [world.people["member"]], summary="只给当事人看的话")
    url = reverse("talks:detail", kwargs={"talk_id": held.pk})
    for persona in ("member", "secretary"):
        page = world.client(persona).get(url).content.decode()
        assert "只给当事人看的话" in page and "陈党员" in page


def test_the_secretary_sees_the_matrix_and_who_still_owes_whom(world: World, campaign: Campaign) -> None:
    chen, li = add_member(world, "陈党员"), add_member(world, "李党员")
    talk(world, campaign, [chen], [world.people["member"]])
    page = world.client("secretary").get(campaign_url(campaign)).content.decode()
    assert "应谈 3 对，已谈 1 对（33%）" in page
    member = world.people["member"]
    assert f'data-pair="{chen.pk}-{member.pk}" data-state="done"' in page
    assert f'data-pair="{chen.pk}-{li.pk}" data-state="owed"' in page
    assert f"?a={chen.pk}&amp;b={li.pk}" in page  # an owed pair links to the form with both names filled in


def test_a_member_sees_only_their_own_line_and_talks(world: World, campaign: Campaign) -> None:
    chen, li = add_member(world, "陈党员"), add_member(world, "李党员")
    talk(world, campaign, [chen], [li], summary="别人的谈话")
    page = world.client("member").get(campaign_url(campaign)).content.decode()
    assert "我还需要谈话的同志" in page and "陈党员" in page and "李党员" in page
    assert 'id="talk-matrix"' not in page and "谈话规则" not in page and "别人的谈话" not in page
    assert "谈工作" not in page  # the talk between two others is not listed


def test_office_and_supervisor_see_totals_only(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    talk(world, campaign, [chen], [world.people["member"]])
    for persona in ("office", "supervisor"):
        page = world.client(persona).get(campaign_url(campaign)).content.decode()
        assert "应谈 1 对，已谈 1 对（100%）" in page
        assert "陈党员" not in page and "记录谈话" not in page


def test_the_coverage_page_does_not_query_per_person_or_talk(
    world: World, campaign: Campaign, django_assert_max_num_queries: Any
) -> None:
    people = [add_member(world, f"党员{i}") for i in range(12)]
    for other in people[1:]:
        talk(world, campaign, [people[0]], [other])
    client = world.client("secretary")
    with django_assert_max_num_queries(12):
        client.get(campaign_url(campaign))


def test_the_secretary_records_a_talk_through_the_form(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    response = world.client("secretary").post(record_url(campaign), form(campaign, [chen], [world.people["member"]]))
    assert response.status_code == 302 and response["Location"] == campaign_url(campaign)
    held = Talk.objects.get()
    assert held.summary == "谈了学习体会" and held.recorded_by == world.users["secretary"]


def test_the_form_refuses_a_talk_without_someone_to_talk_to(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    response = world.client("secretary").post(record_url(campaign), form(campaign, [chen], []))
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not Talk.objects.exists()


def test_opinions_without_a_round_need_a_choice_and_are_not_lost(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    data = form(campaign, [chen], [world.people["member"]], **{"opinion-0-text": "办事流程太繁琐"})
    client = world.client("secretary")
    response = client.post(record_url(campaign), data)
    page = response.content.decode()
    assert response.status_code == 200 and "本活动还没有开展征求意见" in page
    assert "办事流程太繁琐" in page and not Talk.objects.exists()  # the typed opinion is still in the form
    client.post(record_url(campaign), {**data, "without_round": "on"})
    assert Talk.objects.get().raised_opinions.get().text == "办事流程太繁琐" and not Opinion.objects.exists()


def test_a_single_round_is_preselected_and_receives_the_opinion(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="本次征求意见")
    client = world.client("secretary")
    page = client.get(record_url(campaign)).content.decode()
    assert f'<option value="{round.pk}" selected>' in page
    data = form(campaign, [chen], [world.people["member"]], round=round.pk, **{"opinion-0-text": "多下基层"})
    client.post(record_url(campaign), data)
    assert Opinion.objects.get().round == round


def test_a_double_submit_records_one_talk(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    client = world.client("secretary")
    data = form(campaign, [chen], [world.people["member"]])
    client.post(record_url(campaign), data)
    second = client.post(record_url(campaign), data, follow=True)
    assert Talk.objects.count() == 1 and "这次谈话已经记录过了" in second.content.decode()


def test_a_member_records_their_own_talk_and_cannot_record_others(world: World, campaign: Campaign) -> None:
    chen, li = add_member(world, "陈党员"), add_member(world, "李党员")
    client = world.client("member")
    page = client.get(record_url(campaign)).content.decode()
    assert 'name="side_a"' not in page and "王党员" in page
    # side_a in the post is ignored: the member is the one talking.
    client.post(record_url(campaign), form(campaign, [li], [chen]))
    held = Talk.objects.get()
    assert {(p.person.name, p.side) for p in held.participants.all()} == {("王党员", "a"), ("陈党员", "b")}


def test_requirements_page_adds_a_campaign_requirement(world: World, campaign: Campaign) -> None:
    url = reverse("talks:requirements", kwargs={"campaign_id": campaign.pk})
    data = {"name": "领导与分管", "left": "leader", "right": "charge", "same_group": "never"}
    assert (
        world.client("committee").post(url, data).status_code == 403
    )  # the committee records talks; set-up is not theirs
    client = world.client("secretary")
    refused = client.post(url, {"name": "", "left": "charge", "right": "member", "same_group": "never"})
    assert refused.status_code == 200 and not campaign.talk_requirements.exists()
    client.post(url, data)
    assert campaign.talk_requirements.get().name == "领导与分管"
    assert "领导与分管" in world.client("committee").get(url).content.decode()


def test_the_work_item_counts_members_who_owe_no_talk(world: World, campaign: Campaign) -> None:
    chen, li = add_member(world, "陈党员"), add_member(world, "李党员")
    member = world.people["member"]
    talk(world, campaign, [chen], [member, li])
    item = WorkItem.objects.get(stage__campaign=campaign, rule="talks.covered")
    progress = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert progress.done_ids == {chen.pk}  # member and li still owe each other
    assert progress.url == campaign_url(campaign)
    talk(world, campaign, [li], [member])
    assert item_progress(item, campaign.org, PeopleIndex([campaign.org])).complete


def test_talks_of_another_year_do_not_count(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    services.record_talk(
        campaign=campaign,
        held_on=campaign.ends_on - timedelta(days=400),
        topic="去年的谈话",
        summary="摘要",
        side_a=[chen],
        side_b=[world.people["member"]],
        by=None,
    )
    page = world.client("secretary").get(campaign_url(campaign)).content.decode()
    assert "应谈 1 对，已谈 0 对（0%）" in page


def test_a_date_outside_the_counted_year_is_refused_with_the_first_date_that_counts(
    world: World, campaign: Campaign
) -> None:
    chen = add_member(world, "陈党员")
    earliest = campaign.ends_on - timedelta(days=364)
    data = form(campaign, [chen], [world.people["member"]], held_on=(earliest - timedelta(days=1)).isoformat())
    response = world.client("secretary").post(record_url(campaign), data)
    assert f"本活动只统计{earliest.year}年{earliest.month}月{earliest.day}日以后的谈话" in response.content.decode()
    assert not Talk.objects.exists()
