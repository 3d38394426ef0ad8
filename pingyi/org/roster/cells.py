"""Turning one messy cell into a clean value, or a reason in Chinese why not.

Plain functions of the cell value: no database, so they are cheap to test.
Each raises CellError with the message shown to the user.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from pingyi.core.citizen_id import clean_id_number, clean_phone
from pingyi.org.models import Gender, MemberCategory, MemberStatus

from .columns import normalise_text


class CellError(ValueError):
    pass


_DATE_TEXT = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:(\d{1,2})\s*日?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
# Excel serials for 1900-2100; a bare number outside this is not a date.
_SERIAL_RANGE = (1, 73051)

GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE}
CATEGORIES = {
    "正式党员": MemberCategory.FORMAL,
    "正式": MemberCategory.FORMAL,
    "预备党员": MemberCategory.PROBATIONARY,
    "预备": MemberCategory.PROBATIONARY,
}
STATUSES = {
    "在职": MemberStatus.SERVING,
    "在岗": MemberStatus.SERVING,
    "退休": MemberStatus.RETIRED,
    "外出": MemberStatus.AWAY,
    "外出党员": MemberStatus.AWAY,
    "流动党员": MemberStatus.AWAY,
    "离岗退养": MemberStatus.LEFT_POST,
    "离岗": MemberStatus.LEFT_POST,
}
POST_SEPARATORS = re.compile(r"[、，,；;/\n]+")
COMMITTEE_WORDS = ("书记", "委员")
LEADERSHIP_WORDS = ("局长", "副局长", "主任", "副主任", "党组成员", "所长", "站长", "队长", "院长", "科长")


def is_blank(value: object) -> bool:
    return normalise_text(value) == ""


def parse_text(value: object) -> str:
    return re.sub(r"\s+", " ", normalise_text(value))


def parse_name(value: object) -> str:
    # Names in rosters are often padded to align ("王  明"); the spaces are not part of the name.
    return re.sub(r"\s+", "", normalise_text(value))


def parse_date(value: object) -> tuple[date, bool]:
    """Return (date, has_day). Month-only forms like 2001.07 give the 1st with has_day False."""
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = normalise_text(value)
    match = _DATE_TEXT.match(text) or _COMPACT.match(text)
    if not match:
        raise CellError(_("无法识别的日期“%(value)s”，请写成 2001-07-01 或 2001.07") % {"value": text})
    year, month, day = match.groups()
    return _make_date(int(year), int(month), int(day) if day else None, text)


def _date_from_number(value: float) -> tuple[date, bool]:
    whole = int(value)
    if 1900 <= whole <= 2100:
        # 2001.07 typed into a number cell; 2001.1 is how Excel keeps 2001.10.
        month = round((value - whole) * 100)
        if month == 0:
            raise CellError(_("日期“%(value)s”只有年份，请写明年月") % {"value": whole})
        return _make_date(whole, month, None, str(value))
    if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        converted = from_excel(value)
        if isinstance(converted, datetime):
            return converted.date(), True
    raise CellError(_("无法识别的日期“%(value)s”，请写成 2001-07-01 或 2001.07") % {"value": value})


def _make_date(year: int, month: int, day: int | None, text: str) -> tuple[date, bool]:
    try:
        result = date(year, month, day or 1)
    except ValueError:
        raise CellError(_("日期“%(value)s”不存在") % {"value": text}) from None
    if result > date.today():
        raise CellError(_("日期“%(value)s”晚于今天") % {"value": text})
    if result.year < 1900:
        raise CellError(_("日期“%(value)s”早于1900年") % {"value": text})
    return result, day is not None


def parse_id_number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(_("公民身份号码被存成了数字，末几位已经丢失；请把这一列设为“文本”格式后重新填写"))
    text = re.sub(r"\s+", "", normalise_text(value))
    if _SCIENTIFIC.match(text):
        raise CellError(_("公民身份号码被存成了数字，末几位已经丢失；请把这一列设为“文本”格式后重新填写"))
    try:
        return clean_id_number(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def parse_phone(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if isinstance(value, int) else normalise_text(value)
    try:
        return clean_phone(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def parse_choice(value: object, choices: Mapping[str, str]) -> str:
    text = re.sub(r"\s+", "", normalise_text(value))
    if text in choices:
        return choices[text]
    allowed = "、".join(dict.fromkeys(choices))
    raise CellError(_("“%(value)s”不是可选值，应为：%(allowed)s") % {"value": text, "allowed": allowed})


def parse_posts(value: object) -> list[str]:
    titles = [t.strip() for t in POST_SEPARATORS.split(normalise_text(value))]
    return list(dict.fromkeys(t for t in titles if t))


def post_flags(title: str) -> dict[str, bool]:
    return {
        "is_committee": any(word in title for word in COMMITTEE_WORDS),
        "is_leadership": any(word in title for word in LEADERSHIP_WORDS),
    }
