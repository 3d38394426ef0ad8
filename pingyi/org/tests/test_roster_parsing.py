"""Messy sheets as people really send them; parsing needs no database."""

import io
from datetime import date

from openpyxl import Workbook

from pingyi.org.roster.parsing import parse_sheet
from pingyi.org.tests.sheets import make_id, member_row, xlsx


def _errors(data: bytes) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in parse_sheet(data).errors]


def test_title_rows_above_the_header_are_skipped() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["某区劳动和社会保障局"])
    sheet.append(["党员名册"])
    sheet.append(["填表日期：2005年3月"])
    sheet.append(["姓名", "公民身份号码"])
    sheet.append(["王明", make_id(1)])
    out = io.BytesIO()
    book.save(out)
    parsed = parse_sheet(out.getvalue())
    assert not parsed.errors
    assert [(r.row, r.values["name"]) for r in parsed.rows] == [(5, "王明")]


def test_merged_cells_fill_every_row_they_span() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["党员名册"])
    sheet.merge_cells("A1:D1")
    sheet.append(["姓名", "公民身份号码", "人员状态", "所在党小组"])
    sheet.append(["王明", make_id(1), "在职", "第一党小组"])
    sheet.append(["李红", make_id(2, male=False), None, None])
    sheet.merge_cells("C3:C4")
    sheet.merge_cells("D3:D4")
    out = io.BytesIO()
    book.save(out)
    parsed = parse_sheet(out.getvalue())
    assert not parsed.errors
    assert [r.values["status"] for r in parsed.rows] == ["serving", "serving"]
    assert [r.values["group"] for r in parsed.rows] == ["第一党小组", "第一党小组"]


def test_full_width_digits_and_trailing_spaces() -> None:
    number = make_id(3)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    parsed = parse_sheet(xlsx([member_row(3, name="王 明  ", id=full_width + "  ", status="在职 ")]))
    assert not parsed.errors
    assert parsed.rows[0].values["id_number"] == number
    assert parsed.rows[0].values["name"] == "王明"


def test_header_variants_in_any_order() -> None:
    header = ["手机号码", "身份证号码（18位）", "出生年月", "＊姓 名", "党员类别", "状态"]
    data = xlsx([["13800138000", make_id(4), "1970.01", "王明", "预备党员", "离岗退养"]], header=header)
    parsed = parse_sheet(data)
    assert not parsed.errors
    values = parsed.rows[0].values
    assert values["phone"] == "13800138000"
    assert values["category"] == "probationary"
    assert values["status"] == "left_post"


def test_gender_and_birth_date_come_from_the_id_number() -> None:
    parsed = parse_sheet(xlsx([member_row(0, id=make_id(0, born=date(1960, 5, 4), male=False))]))
    assert not parsed.errors
    assert parsed.rows[0].values["gender"] == "F"
    assert parsed.rows[0].values["birth_date"] == date(1960, 5, 4)


def test_month_only_birth_date_agrees_with_the_id() -> None:
    assert not parse_sheet(xlsx([member_row(0, birth="1970年1月", gender="男")])).errors


def test_conflicts_with_the_id_number_are_errors() -> None:
    errors = _errors(xlsx([member_row(0, birth="1971-01-01", gender="女")]))
    assert (3, "出生日期", "出生日期与公民身份号码不符（号码中为1970年1月1日）") in errors
    assert (3, "性别", "性别与公民身份号码不符（号码显示为男）") in errors


def test_numeric_id_cell_is_an_error_with_the_fix() -> None:
    [(row, column, message)] = _errors(xlsx([member_row(0, id=110105197001010011)]))
    assert (row, column) == (3, "公民身份号码")
    assert "存成了数字" in message


def test_bad_check_digit_names_row_and_column() -> None:
    bad = make_id(0)[:-1] + ("0" if make_id(0)[-1] != "0" else "1")
    assert _errors(xlsx([member_row(0), member_row(1, id=bad)])) == [
        (4, "公民身份号码", "公民身份号码校验位不对，请核对是否抄错")
    ]


def test_duplicate_ids_name_both_rows() -> None:
    errors = _errors(xlsx([member_row(0), member_row(1), member_row(2, id=make_id(0))]))
    assert (3, "公民身份号码", "与第5行的公民身份号码重复") in errors
    assert (5, "公民身份号码", "与第3行的公民身份号码重复") in errors


def test_each_date_form_in_a_sheet() -> None:
    header = ["姓名", "公民身份号码", "入党日期"]
    rows = [
        ["甲", make_id(1), "2001.07"],
        ["乙", make_id(2), "2001年7月"],
        ["丙", make_id(3), "2001-07-01"],
        ["丁", make_id(4), "2001/7/1"],
        ["戊", make_id(5), 37073],
        ["己", make_id(6), date(2001, 7, 1)],
    ]
    parsed = parse_sheet(xlsx(rows, header=header))
    assert not parsed.errors
    assert {r.values["joined_on"] for r in parsed.rows} == {date(2001, 7, 1)}


def test_example_totals_and_blank_rows_are_ignored() -> None:
    rows = [["示例", "张三", "", make_id(9)], member_row(0), [None] * 8, ["合计 1 人"]]
    parsed = parse_sheet(xlsx(rows))
    assert not parsed.errors
    assert [r.row for r in parsed.rows] == [4]


def test_missing_name_and_id_are_errors() -> None:
    errors = _errors(xlsx([member_row(0, name=" ", id="", category="预备党员")]))
    assert errors == [(3, "公民身份号码", "公民身份号码不能为空"), (3, "姓名", "姓名不能为空")]


def test_not_a_workbook_or_no_header() -> None:
    assert "无法读取" in _errors(b"not a zip")[0][2]
    assert "找不到表头" in _errors(xlsx([["a", "b"]], header=["甲", "乙"]))[0][2]
    assert "公民身份号码" in _errors(xlsx([["王明", "男"]], header=["姓名", "性别"]))[0][2]
