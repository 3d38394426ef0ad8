"""The roster as Excel: the blank template and a node's members, in the layout the import reads."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.org.models import OrgUnit, Person

from .columns import COLUMNS

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"  # stops Excel turning 18-digit ID numbers into floats that lose digits
WIDTHS = {"seq": 6, "name": 10, "id_number": 22, "posts": 24, "branch": 20, "group": 14, "phone": 15}


def template_workbook() -> bytes:
    sheet, book = _sheet(_("党员名册（导入模板）"))
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
    _write_row(sheet, 3, example)
    for cell in sheet[3]:
        cell.font = Font(italic=True, color="888888")
    sheet.cell(2, 1).comment = Comment(_("第3行为示例，导入时会被忽略"), "Pingyi")
    sheet.cell(2, 4).comment = Comment(_("请保持“文本”格式，否则18位号码会丢失末几位"), "Pingyi")
    sheet.cell(2, 12).comment = Comment(_("一人多个职务用顿号分隔"), "Pingyi")
    return _save(book)


def roster_workbook(*, org: OrgUnit, people: Iterable[Person], see_private: bool) -> bytes:
    today = timezone.localdate()
    title = _("%(org)s党员名册（%(date)s导出）") % {
        "org": org.name,
        "date": f"{today.year}年{today.month}月{today.day}日",
    }
    sheet, book = _sheet(title)
    count = 0
    for count, person in enumerate(people, start=1):
        _write_row(sheet, count + 2, _person_values(count, person, see_private))
    total_row = count + 3
    sheet.cell(total_row, 1).value = _("合计 %(n)d 人") % {"n": count}
    sheet.cell(total_row, 1).font = Font(bold=True)
    return _save(book)


def _person_values(seq: int, person: Person, see_private: bool) -> dict[str, Any]:
    return {
        "seq": seq,
        "name": person.name,
        "gender": person.get_gender_display() if person.gender else "",
        "id_number": person.id_number if see_private else person.masked_id_number,
        "birth_date": person.birth_date,
        "category": person.get_category_display() if person.category else "",
        "status": person.get_status_display(),
        "joined_on": person.joined_on,
        "confirmed_on": person.confirmed_on,
        "branch": person.org.name,
        "group": person.group.name if person.group else "",
        "posts": "、".join(p.title for p in person.posts.all()),
        "phone": person.phone if see_private else person.masked_phone,
    }


def _sheet(title: str) -> tuple[Worksheet, Workbook]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("党员名册"))
    sheet.cell(1, 1).value = title
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(2, index)
        cell.value = str(column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.field, 12)
    sheet.freeze_panes = "A3"
    return sheet, book


def _write_row(sheet: Worksheet, row: int, values: dict[str, Any]) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row, index)
        value = values.get(column.field)
        cell.value = value if value not in (None, "") else None
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif column.field in ("id_number", "phone"):
            cell.number_format = TEXT_FORMAT


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
