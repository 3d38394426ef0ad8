"""The roll-up sums the kept rows once, grouped by the branches' parents, and hands each child its share:
at every depth the children add up to the whole, whether a branch sits deep, right under the root, or is
the root."""

import pytest

from conftest import World, add_member
from pingyi.org import services as org_services
from pingyi.org.models import OrgType
from pingyi.reports import selectors, tallies

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


def test_children_add_up_to_the_whole_at_every_depth(counted: World) -> None:
    for root in ("province", "city", "district", "bureau", "branch"):
        view = selectors.rollup(counted.orgs[root])
        whole = selectors.totals(selectors.branch_rows(counted.orgs[root]))
        assert (view.totals.branches, view.totals.members, view.totals.dirty) == (
            whole.branches, whole.members, whole.dirty
        ), root  # fmt: skip
        if view.children:
            assert sum(c.totals.members for c in view.children) == view.totals.members
            assert sum(c.totals.branches for c in view.children) == view.totals.branches


def test_a_branch_right_under_the_root_is_its_own_child_and_a_deep_one_counts_for_its_ancestor(
    counted: World,
) -> None:
    view = selectors.rollup(counted.orgs["district"])
    shares = {row.org.code: row.totals.branches for row in view.children}
    assert shares == {"BUREAU": 1, "OTHER": 1, "DIRECT": 1}
    assert {row.org.code: row.totals.members for row in view.children}["DIRECT"] == 1
    assert selectors.rollup(counted.orgs["branch"]).totals.branches == 1  # the root itself is a branch
