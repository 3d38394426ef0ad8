"""Progress states (not yet due, not started, in progress, overdue, done, excused) and who acts versus whom
an item is about. Runs on SQLite and PostgreSQL alike (CI runs the suite on both)."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World, add_member, open_campaign
from pingyi.campaigns import progress, services
from pingyi.campaigns.models import Actors, Audience, Campaign, Excusal, Stage, WorkItem
from pingyi.campaigns.progress import NODE, PeopleIndex, Report, State, item_progress, state_for
from pingyi.campaigns.selectors import home_page
from pingyi.org import services as org_services
from pingyi.org.models import Role

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def provider() -> Iterator[dict[str, Report]]:
    """`reports["study.attendance"] = Report(...)`: what a test provider answers for that rule."""
    reports: dict[str, Report] = {}
    names = ["study.attendance", "exams.sat", "evaluation.opinion_formed", "evaluation.notified"]
    saved = {name: progress.get_rule(name) for name in names}
    for name in names:
        progress.register_rule(name, name)(lambda item, people, name=name: reports.get(name, Report()))
    yield reports
    for name, rule in saved.items():
        progress.unregister_rule(name)
        if rule is not None:
            progress.register_rule(name, rule.label, rule.url_name)(rule.func)


def item_in(stage_status: str, due: date) -> WorkItem:
    stage = Stage(status=stage_status, starts_on=due - timedelta(days=30), ends_on=due + timedelta(days=10))
    return WorkItem(stage=stage, due_on=due, audience=Audience.MEMBERS)


@pytest.mark.parametrize(
    ("stage_status", "due", "report", "expected"),
    [
        (Stage.Status.PENDING, TODAY + timedelta(days=40), Report(), State.NOT_YET_DUE),
        (Stage.Status.OPEN, TODAY + timedelta(days=5), Report(), State.NOT_STARTED),
        (Stage.Status.OPEN, TODAY, Report(), State.NOT_STARTED),  # the deadline day itself is still in time
        (Stage.Status.OPEN, TODAY + timedelta(days=5), Report(started={7}), State.IN_PROGRESS),
        (Stage.Status.OPEN, TODAY - timedelta(days=1), Report(started={7}), State.OVERDUE),
        (Stage.Status.OPEN, TODAY - timedelta(days=1), Report(), State.OVERDUE),
        (Stage.Status.CLOSED, TODAY + timedelta(days=5), Report(), State.OVERDUE),  # the stage ended without it
        (Stage.Status.OPEN, TODAY - timedelta(days=9), Report(done={7}), State.DONE),
        (Stage.Status.PENDING, TODAY + timedelta(days=40), Report(done={7}), State.DONE),
    ],
)
def test_a_state_from_the_record_and_the_calendar(
    stage_status: str, due: date, report: Report, expected: State
) -> None:
    assert state_for(item_in(stage_status, due), 7, report, {}, today=TODAY) == expected


def test_excused_unless_done() -> None:
    item = item_in(Stage.Status.OPEN, TODAY - timedelta(days=3))
    assert state_for(item, 7, Report(), {7: "长期外出"}, today=TODAY) == State.EXCUSED
    assert state_for(item, 7, Report(done={7}), {7: "长期外出"}, today=TODAY) == State.DONE


def campaign_due_later(world: World) -> Campaign:
    """A campaign opened today: its first stage runs for weeks, the others have not begun."""
    return open_campaign(world, starts_on=timezone.localdate())


def test_an_item_with_weeks_to_run_is_not_overdue_and_one_past_its_deadline_is(
    world: World, provider: dict[str, Report]
) -> None:
    campaign = campaign_due_later(world)
    chen = add_member(world, "陈党员")
    item = campaign.stages.get(order=1).work_items.get(code="attendance")
    provider["study.attendance"] = Report(started={chen.pk}, left={chen.pk: "还差 9 次"})
    result = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert result.state_of(world.people["member"].pk) == State.NOT_STARTED
    assert result.state_of(chen.pk) == State.IN_PROGRESS and result.left[chen.pk] == "还差 9 次"
    assert result.overdue == [] and len(result.missing) == 2

    WorkItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    item.refresh_from_db()
    result = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert {r.id for r in result.overdue} == {world.people["member"].pk, chen.pk}


def test_a_later_stage_is_not_yet_due(world: World, provider: dict[str, Report]) -> None:
    campaign = campaign_due_later(world)
    item = campaign.stages.get(order=2).work_items.get(code="evaluation-opinion")
    result = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert result.counts[State.NOT_YET_DUE] == 1 and result.overdue == []


def test_a_recorded_excusal_is_shown_with_its_reason_and_leaves_the_expected_count(
    world: World, provider: dict[str, Report]
) -> None:
    campaign = campaign_due_later(world)
    away = add_member(world, "冯外出", status="away")
    item = campaign.stages.get(order=1).work_items.get(code="hundred-question-test")
    provider["exams.sat"] = Report(done={world.people["member"].pk})
    services.excuse(campaign=campaign, person=away, work_item=item, reason="外出务工，已电话联系", by=None)
    result = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert result.state_of(away.pk) == State.EXCUSED and result.reasons[away.pk] == "外出务工，已电话联系"
    assert (result.done, result.expected_count, result.percent, result.complete) == (1, 1, 100, True)
    assert result.missing == []


def test_an_excusal_for_the_whole_campaign_covers_every_item_and_a_provider_may_excuse_too(
    world: World, provider: dict[str, Report]
) -> None:
    campaign = campaign_due_later(world)
    old = add_member(world, "唐老党员", status="retired")
    services.excuse(campaign=campaign, person=old, reason="年老体弱", by=None)
    services.excuse(campaign=campaign, person=old, reason="再登记一次", by=None)  # a double submit
    assert Excusal.objects.filter(person=old).count() == 1
    attendance = campaign.stages.get(order=1).work_items.get(code="attendance")
    assert item_progress(attendance, campaign.org, PeopleIndex([campaign.org])).state_of(old.pk) == State.EXCUSED
    provider["exams.sat"] = Report(excused={world.people["member"].pk: "经上级批准不参加"})
    test = campaign.stages.get(order=1).work_items.get(code="hundred-question-test")
    result = item_progress(test, campaign.org, PeopleIndex([campaign.org]))
    assert result.reasons == {old.pk: "年老体弱", world.people["member"].pk: "经上级批准不参加"}


def test_an_excusal_needs_a_reason_and_a_member_of_the_campaign(world: World) -> None:
    campaign = campaign_due_later(world)
    with pytest.raises(ValidationError, match="原因"):
        services.excuse(campaign=campaign, person=world.people["member"], reason="  ", by=None)
    stranger = add_member(world, "外支部", org=world.orgs["other_branch"])
    with pytest.raises(ValidationError, match="本组织"):
        services.excuse(campaign=campaign, person=stranger, reason="外出", by=None)


def test_a_node_wide_item_has_one_subject_done_by_the_node(world: World, provider: dict[str, Report]) -> None:
    campaign = campaign_due_later(world)
    item = campaign.stages.get(order=2).work_items.get(code="notification")
    assert (item.audience, item.actors) == (Audience.BRANCH, Actors.SECRETARY) and not item.per_person
    result = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert [r.id for r in result.expected] == [NODE] and result.state_of(NODE) == State.NOT_YET_DUE
    provider["evaluation.notified"] = Report(done={NODE})
    assert item_progress(item, campaign.org, PeopleIndex([campaign.org])).complete


def committee_member(world: World) -> Any:
    person = add_member(
        world, "张委员", posts=[{"org": world.orgs["branch"], "title": "组织委员", "is_committee": True}]
    )
    person.user = get_user_model().objects.create_user("zhang")
    person.save(update_fields=["user"])
    return person


def task_codes(user: Any) -> dict[str, bool]:
    """Item code -> whether it is the user's own part (True) or work they do for others (False)."""
    return {t.progress.item.code: t.own for card in home_page(user).tasks for t in card.tasks}


def test_an_ordinary_members_list_holds_only_what_they_can_do(world: World, provider: dict[str, Report]) -> None:
    campaign = campaign_due_later(world)
    for stage in campaign.stages.order_by("order")[:1]:
        for lookback in stage.lookback_items.all():
            services.check_lookback_item(item=lookback, by=world.users["secretary"])
        services.sign_off_stage(stage=stage, by=world.users["secretary"])  # stage 2 (分析评议) is open
    zhang = committee_member(world)
    mine = task_codes(world.users["member"])
    assert mine == {
        "heart-to-heart": True,
        "self-analysis": True,
        "organisational-life-meeting": True,
        "feedback": True,
    }
    assert "evaluation-opinion" not in mine  # the committee forms it about them; they cannot do it
    assert "solicit-opinions" not in mine and "democratic-life-meeting" not in mine  # leaders only
    assert "notification" not in mine  # the secretary's

    committee = task_codes(zhang.user)
    assert committee["evaluation-opinion"] is False  # done for every member, not for themselves
    assert committee["self-analysis"] is True


def test_the_secretary_role_brings_the_node_wide_items_it_does(world: World, provider: dict[str, Report]) -> None:
    campaign = campaign_due_later(world)
    first = campaign.stages.get(order=1)
    for lookback in first.lookback_items.all():
        services.check_lookback_item(item=lookback, by=world.users["secretary"])
    services.sign_off_stage(stage=first, by=world.users["secretary"])
    secretary = world.people["member"]  # a member who is also the branch secretary
    org_services.grant_role(user=world.users["member"], org=world.orgs["branch"], role=Role.SECRETARY, by=None)
    world.users["member"] = get_user_model().objects.get(pk=world.users["member"].pk)  # fresh role cache
    assert task_codes(world.users["member"])["notification"] is False
    assert secretary.pk  # the person is unchanged: the task comes from the role


def test_the_members_home_says_what_is_left_and_what_is_not_yet_due(world: World, provider: dict[str, Report]) -> None:
    campaign = campaign_due_later(world)
    member = world.people["member"]
    provider["study.attendance"] = Report(started={member.pk}, left={member.pk: "还需参加 9 次集中学习"})
    page = world.client("member").get(reverse("portal:home")).content.decode()
    card = page.split('data-item="attendance"', 1)[1].split("data-item=", 1)[0]
    assert "还需参加 9 次集中学习" in card and "进行中" in card and "已逾期" not in card
    assert campaign.stages.get(order=1).is_open
