"""Masking that masks (issue 17, item 4): the birth date is digits 7-14 of the ID number, so it is private
under the same capability; and who was shown unmasked numbers is logged."""

import io

from openpyxl import load_workbook

from conftest import World
from pingyi.core.models import PrivateDataView
from pingyi.org.models import Person

BIRTH = "1949年12月31日"  # as the pages write dates (pingyi/formats)


def _person_page(world: World, persona: str) -> str:
    return world.client(persona).get(f"/org/person/{world.people['member'].pk}/").content.decode()


def test_roles_without_see_private_see_neither_the_number_nor_the_birth_date(world: World) -> None:
    for persona in ["committee", "supervisor"]:
        html = _person_page(world, persona)
        assert "110***********002X" in html and "11010519491231002X" not in html
        assert BIRTH not in html and "1949" not in html, persona


def test_see_private_and_the_person_themselves_see_both(world: World) -> None:
    for persona in ["secretary", "office", "member"]:
        html = _person_page(world, persona)
        assert "11010519491231002X" in html and BIRTH in html, persona


def _export(world: World, persona: str) -> list:
    response = world.client(persona).get("/org/unit/BRANCH/roster/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def test_the_roster_export_leaves_out_the_birth_date_when_masked(world: World) -> None:
    masked = _export(world, "committee")
    assert "110***********002X" in masked
    assert not [c for c in masked if "1949" in str(c)]
    full = _export(world, "secretary")
    assert "11010519491231002X" in full and any("1949-12-31" in str(c) for c in full)  # a date cell


def test_the_api_has_no_birth_date_and_masks_the_number(world: World) -> None:
    body = world.client("supervisor").get("/api/orgs/BRANCH/people").content.decode()
    assert "110***********002X" in body and "1949" not in body


def test_who_was_shown_unmasked_numbers_is_logged(world: World) -> None:
    member = world.people["member"]
    _person_page(world, "secretary")
    _person_page(world, "committee")  # masked: nothing to log
    _person_page(world, "member")  # their own record
    world.client("office").get("/org/unit/BRANCH/")
    _export(world, "secretary")
    world.client("secretary").get("/api/orgs/BRANCH/people")
    rows = list(PrivateDataView.objects.order_by("id").values_list("username", "what", "subject", "count"))
    people = Person.objects.filter(org__path__startswith=world.orgs["branch"].path).count()
    assert rows == [
        ("secretary", "org.person", f"org.person:{member.pk}", 1),
        ("office", "org.people", "", people),
        ("secretary", "org.roster_export", "", 1),
        ("secretary", "api.org_people", "", people),
    ]
