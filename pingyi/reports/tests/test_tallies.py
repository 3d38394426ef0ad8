"""The kept counts equal what the branch's own pages count, follow every change, and move with the date."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import World, add_member, open_campaign
from pingyi.campaigns import progress, services
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PeopleIndex, Report, item_progress
from pingyi.org import services as org_services
from pingyi.org.models import OrgType, Person
from pingyi.rectification import services as rectification
from pingyi.reports import tallies
from pingyi.reports.models import BranchTally, ItemTally

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendance(world: World) -> Any:
    """A provider for study.attendance whose report the test sets."""
    answer: dict[str, Report] = {"report": Report()}
    saved = progress.get_rule("study.attendance")
    progress.register_rule("study.attendance", "attendance")(lambda item, people: answer["report"])
    yield answer
    progress.unregister_rule("study.attendance")
    if saved is not None:
        progress.register_rule(saved.name, saved.label, saved.url_name)(saved.func)


def live(campaign: Campaign) -> dict[str, int]:
    """What the branch page counts for the open stage, recomputed from the providers."""
    index = PeopleIndex([campaign.org])
    stage = campaign.current_stage
    assert stage is not None
    found = [item_progress(i, campaign.org, index) for i in stage.work_items.all()]
    required = [p for p in found if p.tracked and p.item.required and p.item.per_person]
    return {
        "required_expected": sum(p.expected_count for p in required),
        "required_done": sum(p.done for p in required),
        "overdue": sum(len(p.overdue) for p in found),
        "excused": sum(len(p.excused) for p in found),
    }


def kept(org: Any) -> dict[str, int]:
    row = BranchTally.objects.get(org=org)
    return {name: getattr(row, name) for name in ("required_expected", "required_done", "overdue", "excused")}


def test_the_kept_counts_equal_the_live_count_and_the_naive_one(world: World, attendance: Any) -> None:
    campaign = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=70))  # stage 1 is overdue
    chen, away = add_member(world, "陈党员"), add_member(world, "冯外出", status="away")
    services.excuse(campaign=campaign, person=away, reason="外出务工", by=None)
    attendance["report"] = Report(done={chen.pk})
    rectification.create_item(org=world.orgs["branch"], campaign=campaign, title="窗口排队", by=None)
    row = tallies.refresh_branch(world.orgs["branch"])
    assert kept(world.orgs["branch"]) == live(campaign)
    assert row.members == Person.objects.members().in_subtree(world.orgs["branch"]).count() == 3
    assert row.open_rectification == 1 and row.campaign == campaign and row.stage_order == 1
    assert row.overdue > 0 and row.excused > 0
    for counted in ItemTally.objects.filter(campaign=campaign):
        p = item_progress(counted.work_item, campaign.org, PeopleIndex([campaign.org]))
        assert (counted.subjects, counted.done, counted.excused) == (len(p.expected), p.done, len(p.excused))


def test_any_audited_write_under_the_branch_marks_its_row_and_a_refresh_clears_it(world: World) -> None:
    campaign = open_campaign(world)
    tallies.refresh_branch(world.orgs["branch"])
    tallies.refresh_branch(world.orgs["other_branch"])
    assert not BranchTally.objects.exclude(dirty_since=None).exists()
    services.excuse(campaign=campaign, person=world.people["member"], reason="病休", by=None)
    assert BranchTally.objects.get(org=world.orgs["branch"]).dirty_since is not None
    assert BranchTally.objects.get(org=world.orgs["other_branch"]).dirty_since is None
    assert set(tallies.stale(world.orgs["district"])) == {world.orgs["branch"]}
    assert tallies.refresh_stale(world.orgs["district"]) == 1
    assert not tallies.stale(world.orgs["district"]).exists()


def test_a_new_day_moves_the_overdue_count_without_asking_the_providers(
    world: World, attendance: Any, monkeypatch: Any
) -> None:
    campaign = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=3))
    item = campaign.stages.get(order=1).work_items.get(code="attendance")
    today = timezone.localdate()
    WorkItem.objects.filter(pk=item.pk).update(due_on=today - timedelta(days=1))
    tallies.refresh_branch(world.orgs["branch"])
    # As counted yesterday, when the item still had a day to run:
    BranchTally.objects.filter(org=world.orgs["branch"]).update(
        overdue=0, overdue_items=0, counted_on=today - timedelta(days=1)
    )

    def no_provider(*args: Any) -> None:
        raise AssertionError("a date change must not ask the providers")

    monkeypatch.setattr(tallies, "item_progress", no_provider)
    assert tallies.recount_dates(today) >= 1
    row = BranchTally.objects.get(org=world.orgs["branch"])
    assert (row.overdue, row.overdue_items, row.counted_on) == (1, 1, today)
    monkeypatch.undo()
    assert kept(world.orgs["branch"]) == live(campaign)


def test_a_branch_without_a_campaign_or_members_has_a_row_saying_so(world: World) -> None:
    empty = org_services.create_org_unit(
        parent=world.orgs["bureau"], type=OrgType.BRANCH, code="EMPTY", name="空支部", by=None
    )
    row = tallies.refresh_branch(empty)
    assert (row.members, row.campaign, row.required_expected) == (0, None, 0)


def test_the_nightly_command_leaves_no_branch_stale(world: World) -> None:
    open_campaign(world)
    assert tallies.stale(world.orgs["district"]).exists()
    call_command("refresh_tallies", stdout=StringIO())
    assert not tallies.stale(world.orgs["district"]).exists()
    assert BranchTally.objects.filter(org=world.orgs["branch"], dirty_since=None).exists()
