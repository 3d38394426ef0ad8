"""The roster as Excel: the blank template and a node's members, in the layout the import reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from pingyi.core.spreadsheets import CODE, DATE, NUMBER, TEXT, Column, Sheet
from pingyi.org.models import OrgUnit, Person

from .columns import COLUMNS

# ID numbers and phones are text formatted as text: Excel would turn 18 digits into a float that loses digits.
KINDS = {"seq": NUMBER, "id_number": CODE, "phone": CODE, "birth_date": DATE, "joined_on": DATE, "confirmed_on": DATE}
WIDTHS = {"seq": 6, "name": 10, "id_number": 22, "posts": 24, "branch": 20, "group": 14, "phone": 15}


def template_workbook() -> bytes:
    sheet = _sheet(_("党员名册（导入模板）"))
    example = {
        "seq": _("示例"),
        "name": _("张三"),
        "gender": _("男"),
        "id_number": "11010519491231002X",
        "birth_date": date(1949, 12, 31),
        "category": _("正式党员"),
        "status": _("在职"),
        "joined_on": date(1975, 7, 1),
        "confirmed_on": date(1976, 7, 1),
        "branch": _("局机关党支部"),
        "group": _("第一党小组"),
        "posts": _("支部书记、局长"),
        "phone": "13800138000",
    }
    sheet.row(_values(example), font=Font(italic=True, color="888888"))
    sheet.comment(2, 1, _("第3行为示例，导入时会被忽略"))
    sheet.comment(2, 4, _("请保持“文本”格式，否则18位号码会丢失末几位"))
    sheet.comment(2, 12, _("一人多个职务用顿号分隔"))
    return sheet.to_bytes()


def roster_workbook(*, org: OrgUnit, people: Iterable[Person], see_private: bool) -> bytes:
    today = timezone.localdate()
    title = _("%(org)s党员名册（%(date)s导出）") % {
        "org": org.name,
        "date": f"{today.year}年{today.month}月{today.day}日",
    }
    sheet = _sheet(title)
    count = 0
    for count, person in enumerate(people, start=1):
        sheet.row(_values(_person_values(count, person, see_private)))
    sheet.totals([_("合计 %(n)d 人") % {"n": count}])
    return sheet.to_bytes()


def _person_values(seq: int, person: Person, see_private: bool) -> dict[str, Any]:
    return {
        "seq": seq,
        "name": person.name,
        "gender": person.get_gender_display() if person.gender else "",
        "id_number": person.id_number if see_private else person.masked_id_number,
        "birth_date": person.birth_date if see_private else None,  # digits 7-14 of the ID number
        "category": person.get_category_display() if person.category else "",
        "status": person.get_status_display(),
        "joined_on": person.joined_on,
        "confirmed_on": person.confirmed_on,
        "branch": person.org.name,
        "group": person.group.name if person.group else "",
        "posts": "、".join(p.title for p in person.posts.all()),
        "phone": person.phone if see_private else person.masked_phone,
    }


def _sheet(title: str) -> Sheet:
    columns = [Column(str(c.header), KINDS.get(c.field, TEXT), width=WIDTHS.get(c.field, 12)) for c in COLUMNS]
    return Sheet(_("党员名册"), title=title, columns=columns)


def _values(values: dict[str, Any]) -> list[Any]:
    return [values.get(column.field) for column in COLUMNS]
