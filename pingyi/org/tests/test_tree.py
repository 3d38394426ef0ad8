import pytest
from django.core.exceptions import ValidationError

from conftest import World
from pingyi.org import services
from pingyi.org.models import OrgType, OrgUnit, OrgUnitChange, Person


def test_subtree_is_a_prefix_query(world: World) -> None:
    codes = set(OrgUnit.objects.in_subtree(world.orgs["bureau"]).values_list("code", flat=True))
    assert codes == {"BUREAU", "BRANCH", "BRANCH-G1"}
    assert Person.objects.in_subtree(world.orgs["district"]).count() == 1
    assert Person.objects.in_subtree(world.orgs["other_bureau"]).count() == 0


def test_moving_a_subtree_rewrites_every_path_below_and_keeps_history(world: World) -> None:
    branch, group = world.orgs["branch"], world.orgs["group"]
    services.move_org_unit(org=branch, new_parent=world.orgs["other_bureau"], by=world.users["admin"])
    branch.refresh_from_db()
    group.refresh_from_db()
    assert branch.path == f"{world.orgs['other_bureau'].path}{branch.pk}/"
    assert group.path == f"{branch.path}{group.pk}/"
    assert (branch.depth, group.depth) == (4, 5)
    assert set(OrgUnit.objects.in_subtree(world.orgs["bureau"]).values_list("code", flat=True)) == {"BUREAU"}
    assert Person.objects.in_subtree(world.orgs["other_bureau"]).count() == 1
    moved = OrgUnitChange.objects.get(org=branch, kind=OrgUnitChange.Kind.MOVED)
    assert (moved.old_parent, moved.new_parent) == (world.orgs["bureau"], world.orgs["other_bureau"])


def test_a_node_cannot_move_under_its_own_subtree(world: World) -> None:
    with pytest.raises(ValidationError):
        services.move_org_unit(org=world.orgs["bureau"], new_parent=world.orgs["group"], by=None)


def test_renaming_keeps_the_old_name(world: World) -> None:
    services.rename_org_unit(org=world.orgs["branch"], name="局机关第一党支部", by=None)
    change = OrgUnitChange.objects.get(org=world.orgs["branch"], kind=OrgUnitChange.Kind.RENAMED)
    assert (change.old_name, change.new_name) == ("局机关党支部", "局机关第一党支部")


def test_roles_follow_a_moved_subtree(world: World) -> None:
    from pingyi.org.permissions import Cap, can

    branch = world.orgs["branch"]
    services.move_org_unit(org=branch, new_parent=world.orgs["other_bureau"], by=None)
    branch.refresh_from_db()
    office = world.users["office"]
    assert not can(office, Cap.VIEW_ORG, branch)
    fresh_secretary = type(world.users["secretary"]).objects.get(username="secretary")
    assert can(fresh_secretary, Cap.MANAGE_PEOPLE, branch)


def test_create_sets_path_and_depth(db) -> None:
    root = services.create_org_unit(parent=None, type=OrgType.PROVINCE, code="R", name="R", by=None)
    child = services.create_org_unit(parent=root, type=OrgType.CITY, code="R1", name="R1", by=None)
    assert (root.path, root.depth) == (f"/{root.pk}/", 0)
    assert (child.path, child.depth) == (f"/{root.pk}/{child.pk}/", 1)
