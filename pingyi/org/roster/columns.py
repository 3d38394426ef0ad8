"""The roster's columns and the header spellings found in real sheets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    field: str
    header: Promise  # the heading written by the template and the export
    aliases: tuple[str, ...]  # normalised spellings accepted on import


COLUMNS: tuple[Column, ...] = (
    Column("seq", _("序号"), ("序号", "编号")),
    Column("name", _("姓名"), ("姓名",)),
    Column("gender", _("性别"), ("性别",)),
    Column("id_number", _("公民身份号码"), ("公民身份号码", "身份证号", "身份证号码", "身份证", "身份号码")),
    Column("birth_date", _("出生日期"), ("出生日期", "出生年月", "出生年月日")),
    Column("category", _("人员类别"), ("人员类别", "党员类别", "类别")),
    Column("status", _("人员状态"), ("人员状态", "状态", "党员状态")),
    Column("joined_on", _("入党日期"), ("入党日期", "入党时间", "入党年月")),
    Column("confirmed_on", _("转正日期"), ("转正日期", "转正时间", "转正年月")),
    Column("branch", _("所在党支部"), ("所在党支部", "党支部", "所在支部", "支部")),
    Column("group", _("所在党小组"), ("所在党小组", "党小组", "科室", "所在科室")),
    Column("posts", _("职务"), ("职务", "现任职务", "党内职务")),
    Column("phone", _("联系电话"), ("联系电话", "手机号码", "手机", "电话", "手机号")),
)

BY_ALIAS = {alias: column for column in COLUMNS for alias in column.aliases}
BY_FIELD = {column.field: column for column in COLUMNS}

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_NOISE = re.compile(r"[\s*＊:：]")


def normalise_text(value: object) -> str:
    """NFKC turns full-width digits, letters and brackets into their plain forms."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def normalise_header(value: object) -> str:
    """'＊ 身份证号（18位）' -> '身份证号': spaces, asterisks and bracketed notes go."""
    text = _BRACKETED.sub("", normalise_text(value))
    return _NOISE.sub("", text)


def column_for(value: object) -> Column | None:
    return BY_ALIAS.get(normalise_header(value))
