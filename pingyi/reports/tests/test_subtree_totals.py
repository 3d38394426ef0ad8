"""The roll-up reads each node's kept sums (NodeTally), and those sums stay equal to the branch rows under the
node whatever changes them: a recount, a new day, a branch moved to another node. At every depth the children
add up to the whole, whether a branch sits deep, right under the root, or is the root."""

import importlib
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from conftest import World, add_member, open_campaign
from pingyi.org import services as org_services
from pingyi.org.models import OrgType, OrgUnit
from pingyi.reports import selectors, tallies
from pingyi.reports.models import BranchTally, NodeTally

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(world: World) -> World:
    district = world.orgs["district"]
    world.orgs["direct"] = org_services.create_org_unit(
        parent=district, type=OrgType.BRANCH, code="DIRECT", name="区委直属支部", by=None
    )
    add_member(world, "直属党员", org=world.orgs["direct"])
    for name in ("branch", "other_branch", "direct"):
        tallies.refresh_branch(world.orgs[name])
    return world


def assert_sums_equal_the_branch_rows(world: World) -> None:
    assert tallies.node_drift(world.orgs["province"]) == []
    for root in ("province", "city", "district", "bureau", "other_bureau", "branch"):
        node = OrgUnit.objects.get(pk=world.orgs[root].pk)  # its path as it is now, after a move
        assert selectors.rollup(node).totals == selectors.totals(selectors.branch_rows(node)), root


def test_children_add_up_to_the_whole_at_every_depth(counted: World) -> None:
    assert_sums_equal_the_branch_rows(counted)
    for root in ("province", "city", "district", "bureau", "branch"):
        view = selectors.rollup(counted.orgs[root])
        if view.children:
            assert sum(c.totals.members for c in view.children) == view.totals.members
            assert sum(c.totals.branches for c in view.children) == view.totals.branches
    assert selectors.rollup(counted.orgs["province"]).totals.members == 2


def test_a_branch_right_under_the_root_is_its_own_child_and_a_deep_one_counts_for_its_ancestor(
    counted: World,
) -> None:
    view = selectors.rollup(counted.orgs["district"])
    shares = {row.org.code: row.totals.branches for row in view.children}
    assert shares == {"BUREAU": 1, "OTHER": 1, "DIRECT": 1}
    assert {row.org.code: row.totals.members for row in view.children}["DIRECT"] == 1
    assert selectors.rollup(counted.orgs["branch"]).totals.branches == 1  # the root itself is a branch


def test_a_recount_moves_every_ancestor_by_the_difference(counted: World) -> None:
    open_campaign(counted)
    add_member(counted, "新党员")
    tallies.refresh_branch(counted.orgs["branch"])
    assert_sums_equal_the_branch_rows(counted)
    province = NodeTally.objects.get(org=counted.orgs["province"])
    assert (province.members, province.without_campaign, province.branches) == (3, 2, 3)
    assert province.required_expected > 0


def test_a_new_day_moves_the_sums_with_the_rows(counted: World) -> None:
    campaign = open_campaign(counted, starts_on=timezone.localdate() - timedelta(days=90))
    tallies.refresh_branch(counted.orgs["branch"])
    assert BranchTally.objects.get(org=counted.orgs["branch"]).overdue > 0, campaign  # stage 1 is past its end
    # counted a day ago with nothing overdue yet, the nodes' sums saying the same
    tallies.add_branches([counted.orgs["branch"].pk], sign=-1)
    BranchTally.objects.update(counted_on=F("counted_on") - timedelta(days=1), overdue=0, overdue_items=0)
    tallies.add_branches([counted.orgs["branch"].pk])
    assert tallies.recount_dates() == 3
    assert_sums_equal_the_branch_rows(counted)
    assert NodeTally.objects.get(org=counted.orgs["province"]).overdue > 0


def test_a_moved_branch_takes_its_sums_to_its_new_ancestors(counted: World) -> None:
    world = counted
    world.orgs["city2"] = org_services.create_org_unit(
        parent=world.orgs["province"], type=OrgType.CITY, code="P-C2", name="另一市", by=None
    )
    org_services.move_org_unit(org=world.orgs["bureau"], new_parent=world.orgs["city2"], by=None)
    assert_sums_equal_the_branch_rows(world)
    assert NodeTally.objects.get(org=world.orgs["city2"]).members == 1  # 王党员, with the bureau's branch
    assert NodeTally.objects.get(org=world.orgs["district"]).members == 1  # 直属党员 stays
    # a recount after the move adds its difference to the new path, not the old one
    add_member(world, "新党员")
    tallies.refresh_branch(world.orgs["branch"])
    assert_sums_equal_the_branch_rows(world)
    assert NodeTally.objects.get(org=world.orgs["city2"]).members == 2


def test_the_checker_notices_sums_that_drifted(counted: World) -> None:
    NodeTally.objects.filter(org=counted.orgs["city"]).update(members=F("members") + 1)
    assert tallies.node_drift(counted.orgs["province"]) == [f"{counted.orgs['city'].pk} members: kept 3, counted 2"]


def test_a_new_branch_counts_at_once_as_empty_and_waiting(counted: World) -> None:
    district = counted.orgs["district"]
    assert not tallies.needs_recount(district)
    org_services.create_org_unit(parent=district, type=OrgType.BRANCH, code="NEW", name="新建支部", by=None)
    assert tallies.needs_recount(district)  # the page's cheap check starts a recount
    view = selectors.rollup(district)
    assert (view.totals.branches, view.totals.without_members, view.totals.dirty) == (4, 2, 1)  # and 民政局
    assert_sums_equal_the_branch_rows(counted)


def test_upgrading_gives_branches_without_a_row_one_the_page_sees_and_sums_them(counted: World) -> None:
    """Migration 0003 on a database whose branches were never counted: each gets an empty row marked dirty
    (the page's cheap check then has them counted), and the node sums match the branch rows."""
    from django.apps import apps

    migration = importlib.import_module("pingyi.reports.migrations.0003_node_tally")
    BranchTally.objects.filter(org=counted.orgs["other_branch"]).delete()
    NodeTally.objects.all().delete()
    migration.sum_branches(apps, None)
    assert BranchTally.objects.get(org=counted.orgs["other_branch"]).dirty_since is not None
    assert tallies.needs_recount(counted.orgs["other_bureau"])
    assert_sums_equal_the_branch_rows(counted)
