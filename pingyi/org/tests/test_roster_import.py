"""The import service against the tree: all or nothing, idempotent, and the export round trip."""

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org import services
from pingyi.org.models import OrgType, Person, Post
from pingyi.org.roster.export import roster_workbook, template_workbook
from pingyi.org.roster.importer import import_roster
from pingyi.org.roster.parsing import parse_sheet
from pingyi.org.selectors import people_in
from pingyi.org.tests.sheets import make_id, member_row, xlsx

pytestmark = pytest.mark.django_db


def _import(world: World, data: bytes, **kwargs: Any) -> Any:
    return import_roster(data=data, org=world.orgs["branch"], by=world.users["secretary"], **kwargs)


def test_clean_file_creates_members_with_derived_fields(world: World) -> None:
    result = _import(world, xlsx([member_row(0, name="张三"), member_row(1, category="预备党员")]))
    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, [])
    person = Person.objects.get(name="张三")
    assert person.org == world.orgs["branch"]
    assert (person.gender, person.birth_date.isoformat(), person.kind) == ("M", "1970-01-01", "member")


def test_reimporting_the_same_file_changes_nothing(world: World) -> None:
    data = xlsx([member_row(n, phone="13900000000") for n in range(5)])
    _import(world, data)
    entries = AuditEntry.objects.count()
    again = _import(world, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.count() == entries


def test_changed_row_is_updated_and_blank_cells_keep_what_is_stored(world: World) -> None:
    _import(world, xlsx([member_row(0, phone="13900000000", status="在职")]))
    result = _import(world, xlsx([member_row(0, phone="", status="退休")]))
    assert (result.created, result.updated) == (0, 1)
    person = Person.objects.get(id_number=make_id(0))
    assert (person.status, person.phone) == ("retired", "13900000000")


def test_branch_and_group_columns_resolve_inside_the_subtree(world: World) -> None:
    header = ["姓名", "公民身份号码", "所在党支部", "所在党小组", "职务"]
    rows = [
        ["王明", make_id(1), "局机关党支部", "第一党小组", "支部书记、局长"],
        ["李四", make_id(2), "民政局机关党支部", "", ""],
    ]
    result = _import(world, xlsx(rows, header=header))
    assert [(e.row, e.column) for e in result.errors] == [(4, "所在党支部")]
    assert "找不到" in result.errors[0].message
    assert not Person.objects.filter(name="王明").exists()  # nothing until the whole file is clean

    result = _import(world, xlsx(rows[:1], header=header))
    person = Person.objects.get(name="王明")
    assert person.group == world.orgs["group"]
    posts = {p.title: (p.is_committee, p.is_leadership) for p in person.posts.all()}
    assert posts == {"支部书记": (True, False), "局长": (False, True)}


def test_unknown_group_is_an_error(world: World) -> None:
    rows = [["王明", make_id(1), "第九党小组"]]
    result = _import(world, xlsx(rows, header=["姓名", "公民身份号码", "党小组"]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "所在党小组")]


def test_id_registered_outside_the_subtree_does_not_say_where(world: World) -> None:
    services.save_person(org=world.orgs["other_branch"], by=None, name="外人", id_number=make_id(7))
    result = _import(world, xlsx([member_row(7)]))
    [error] = result.errors
    assert error.row == 3
    assert "本组织以外" in error.message
    assert "民政" not in error.message
    assert Person.objects.get(id_number=make_id(7)).org == world.orgs["other_branch"]


def test_posts_held_elsewhere_stay_where_they_are(world: World) -> None:
    header = ["姓名", "公民身份号码", "职务"]
    _import(world, xlsx([["王明", make_id(1), "支部书记"]], header=header))
    person = Person.objects.get(name="王明")
    posts = [
        {"org": world.orgs["branch"], "title": "支部书记", "is_committee": True},
        {"org": world.orgs["bureau"], "title": "局长", "is_leadership": True},
    ]
    services.set_posts(person=person, posts=posts, by=None)
    result = _import(world, xlsx([["王明", make_id(1), "支部书记、局长"]], header=header))
    assert (result.updated, result.unchanged) == (0, 1)
    assert Post.objects.get(person=person, title="局长").org == world.orgs["bureau"]


def _roster(world: World) -> bytes:
    org = world.orgs["branch"]
    return roster_workbook(org=org, people=people_in(org, kind="member"), see_private=True)


def test_export_then_reimport_changes_nothing(world: World) -> None:
    header = ["姓名", "公民身份号码", "入党日期", "转正日期", "所在党小组", "职务", "联系电话", "人员状态"]
    rows = [
        ["王明", make_id(1), "1990.07", "1991年7月", "第一党小组", "支部书记、局长", "13900000001", "在职"],
        ["李红", make_id(2, male=False), "2001/7/1", "", "", "", "", "离岗退养"],
    ]
    _import(world, xlsx(rows, header=header))
    # The fixture's member is stored as male with no birth date, but the ID number says female, born 1949-12-31:
    # the import would rightly refuse the gender and fill in the date, so make the record agree with its ID first.
    member = world.people["member"]
    services.save_person(org=member.org, by=None, person=member, gender="F", birth_date=date(1949, 12, 31))
    entries = AuditEntry.objects.count()
    exported = _roster(world)
    result = _import(world, exported)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)  # with the fixture's member
    assert AuditEntry.objects.count() == entries


def test_export_layout_title_header_rows_and_total(world: World) -> None:
    sheet = load_workbook(io.BytesIO(_roster(world))).worksheets[0]
    assert "局机关党支部党员名册" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:4] == ["序号", "姓名", "性别", "公民身份号码"]
    assert sheet["B3"].value == "王党员"
    assert sheet["A4"].value == "合计 1 人"


def test_masked_export_for_roles_without_see_private(world: World) -> None:
    org = world.orgs["branch"]
    data = roster_workbook(org=org, people=people_in(org, kind="member"), see_private=False)
    parsed = parse_sheet(data)
    assert parsed.errors  # a masked ID cannot be imported back
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["D3"].value == "110***********002X"
    assert sheet["M3"].value == "138****8000"


def test_template_example_row_is_ignored(world: World) -> None:
    result = _import(world, template_workbook())
    assert (result.total, result.created, result.errors) == (0, 0, [])


BIG = 1000


def _big_file(bad_row: int | None = None) -> bytes:
    rows = [member_row(n) for n in range(BIG)]
    if bad_row:
        rows[bad_row - 3][3] = "110105197001010000"  # Excel row = index + 3 (title and header above)
    return xlsx(rows)


def test_a_bad_row_at_900_imports_nothing(world: World) -> None:
    before = Person.objects.count()
    result = _import(world, _big_file(bad_row=900))
    assert [(e.row, e.column) for e in result.errors] == [(900, "公民身份号码")]
    assert (result.created, result.skipped) == (0, BIG)
    assert Person.objects.count() == before


def test_a_crash_while_writing_row_900_leaves_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """People are inserted 500 at a time: the first batch is written, then the batch holding row 900 fails."""
    before, entries = Person.objects.count(), AuditEntry.objects.count()
    real = Person.objects.bulk_create
    written = {"rows": 0}

    def crash_in_the_batch_holding_row_900(objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        if written["rows"] + len(objs) >= 900 - 2:
            raise RuntimeError("disk full")
        written["rows"] += len(objs)
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Person.objects, "bulk_create", crash_in_the_batch_holding_row_900)
    with pytest.raises(RuntimeError):
        _import(world, _big_file())
    assert written["rows"] == services.CREATE_BATCH, "the first batch was written before the crash"
    assert Person.objects.count() == before
    assert AuditEntry.objects.count() == entries


def test_skip_invalid_imports_the_good_rows(world: World) -> None:
    result = _import(world, _big_file(bad_row=900), skip_invalid=True)
    assert (result.created, result.skipped, len(result.errors)) == (BIG - 1, 1, 1)
    assert not Person.objects.filter(name="党员0897").exists()
    assert Person.objects.filter(org=world.orgs["branch"]).count() == BIG  # 999 and the fixture's member


def test_dry_run_writes_nothing(world: World) -> None:
    result = _import(world, xlsx([member_row(0)]), dry_run=True)
    assert result.created == 1
    assert not Person.objects.filter(id_number=make_id(0)).exists()


def test_ambiguous_branch_name_is_an_error(world: World) -> None:
    services.create_org_unit(parent=world.orgs["group"], type=OrgType.OFFICE, code="DUP", name="局机关党支部", by=None)
    rows = [["王明", make_id(1), "局机关党支部"]]
    result = _import(world, xlsx(rows, header=["姓名", "公民身份号码", "所在党支部"]))
    assert "同名" in result.errors[0].message


def test_export_keeps_formula_like_text_as_text_and_prints(world: World) -> None:
    member = world.people["member"]
    services.save_person(org=member.org, by=None, person=member, name='=HYPERLINK("http://evil.example","点我")')
    sheet = load_workbook(io.BytesIO(_roster(world))).worksheets[0]
    name = sheet["B3"]
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://evil.example","点我")', "s", True)
    assert sheet["D3"].data_type == "s" and sheet["D3"].number_format == "@"  # the ID number stays text
    assert sheet["E3"].is_date or sheet["E3"].value is None
    assert sheet.print_title_rows == "$1:$2" and sheet.freeze_panes == "A3" and sheet.page_setup.fitToWidth == 1
