from datetime import date, datetime

import pytest

from pingyi.org.roster import cells
from pingyi.org.roster.columns import column_for, normalise_header


@pytest.mark.parametrize(
    ("value", "expected", "has_day"),
    [
        ("2001.07", date(2001, 7, 1), False),
        ("2001年7月", date(2001, 7, 1), False),
        ("2001年7月1日", date(2001, 7, 1), True),
        ("2001-07-01", date(2001, 7, 1), True),
        ("2001/7/1", date(2001, 7, 1), True),
        ("２００１．０７", date(2001, 7, 1), False),  # full-width
        (" 2001.07 ", date(2001, 7, 1), False),
        ("20010701", date(2001, 7, 1), True),
        (37073, date(2001, 7, 1), True),  # Excel serial
        (37073.0, date(2001, 7, 1), True),
        (2001.07, date(2001, 7, 1), False),  # 2001.07 typed into a number cell
        (2001.1, date(2001, 10, 1), False),  # Excel keeps 2001.10 as 2001.1
        (datetime(2001, 7, 1, 0, 0), date(2001, 7, 1), True),
        (date(2001, 7, 1), date(2001, 7, 1), True),
    ],
)
def test_every_date_form(value: object, expected: date, has_day: bool) -> None:
    assert cells.parse_date(value) == (expected, has_day)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("去年", "无法识别"), ("2001.13", "不存在"), ("2099-01-01", "晚于今天"), (2001, "只有年份")],
)
def test_bad_dates_say_why(value: object, reason: str) -> None:
    with pytest.raises(cells.CellError, match=reason):
        cells.parse_date(value)


@pytest.mark.parametrize("value", [110105194912310020, 1.10105194912310e17, "1.10105E+17"])
def test_id_stored_as_number_is_refused_with_the_fix(value: object) -> None:
    with pytest.raises(cells.CellError) as err:
        cells.parse_id_number(value)
    assert "存成了数字" in str(err.value)
    assert "文本" in str(err.value)


def test_id_full_width_and_spaces_are_cleaned() -> None:
    assert cells.parse_id_number(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"


def test_id_bad_check_digit() -> None:
    with pytest.raises(cells.CellError, match="校验位"):
        cells.parse_id_number("110105194912310021")


def test_phone_as_number_and_full_width() -> None:
    assert cells.parse_phone(13800138000) == "13800138000"
    assert cells.parse_phone("１３８ ００１３ ８０００") == "13800138000"
    with pytest.raises(cells.CellError, match="手机号"):
        cells.parse_phone("12345")


def test_choices_and_posts() -> None:
    assert cells.parse_choice(" 预备党员 ", cells.CATEGORIES) == "probationary"
    assert cells.parse_choice("离岗退养", cells.STATUSES) == "left_post"
    with pytest.raises(cells.CellError, match="在职"):
        cells.parse_choice("上班", cells.STATUSES)
    assert cells.parse_posts("支部书记、局长；；组织委员/ 副主任") == ["支部书记", "局长", "组织委员", "副主任"]
    assert cells.post_flags("支部书记") == {"is_committee": True, "is_leadership": False}
    assert cells.post_flags("副局长") == {"is_committee": False, "is_leadership": True}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("＊姓 名", "name"),
        ("身份证号码（18位）", "id_number"),
        ("公民身份号码 ", "id_number"),
        ("出生年月", "birth_date"),
        ("入党时间(年月)", "joined_on"),
        ("党员类别", "category"),
        ("状态", "status"),
        ("手机号码", "phone"),
        ("科室", "group"),
        ("党支部", "branch"),
    ],
)
def test_header_variants(header: str, field: str) -> None:
    column = column_for(header)
    assert column is not None, normalise_header(header)
    assert column.field == field
