"""Reading a roster workbook into clean rows and row errors, without touching the database."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.core.citizen_id import id_birth_date, id_gender

from . import cells
from .columns import BY_FIELD, Column, column_for, normalise_text

HEADER_SEARCH_ROWS = 20  # title rows and notes sit above the header; real headers start near the top
EXAMPLE_MARK = "示例"
TOTAL_MARKS = ("合计", "总计")


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number, as the user sees it; 0 for the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class SheetRow:
    row: int
    values: dict[str, Any]  # only the fields the sheet gives a value for
    birth_has_day: bool = True


@dataclass
class ParsedSheet:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}


class RosterFileError(ValueError):
    """The file as a whole cannot be read."""


def open_sheet(data: bytes) -> Worksheet:
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RosterFileError(_("无法读取这个文件，请确认是 Excel .xlsx 格式")) from exc
    sheet = book.worksheets[0]
    _fill_merged_cells(sheet)
    return sheet


def _fill_merged_cells(sheet: Worksheet) -> None:
    """A merged cell holds its value only in the top-left corner; every row it spans means it."""
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value


def find_header(sheet: Worksheet) -> tuple[int, dict[int, Column]]:
    for cells_in_row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        mapping: dict[int, Column] = {}
        for cell in cells_in_row:
            column = column_for(cell.value)
            if column and column not in mapping.values():
                mapping[cell.column] = column
        if BY_FIELD["name"] in mapping.values() and len(mapping) >= 2:
            return cells_in_row[0].row, mapping
    raise RosterFileError(_("找不到表头：前%(n)d行中没有包含“姓名”等列名的一行") % {"n": HEADER_SEARCH_ROWS})


def parse_sheet(data: bytes) -> ParsedSheet:
    result = ParsedSheet()
    try:
        sheet = open_sheet(data)
        header_row, mapping = find_header(sheet)
    except RosterFileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    result.fields = {c.field for c in mapping.values()}
    if "id_number" not in result.fields:
        result.errors.append(RowError(header_row, "", _("表头中没有“公民身份号码”列，无法核对人员")))
        return result
    first_seen: dict[str, int] = {}
    for cells_in_row in sheet.iter_rows(min_row=header_row + 1):
        raw = {mapping[c.column]: c.value for c in cells_in_row if c.column in mapping}
        if _skipped(raw):
            continue
        row = cells_in_row[0].row
        parsed, errors = parse_row(row, raw)
        result.errors += errors
        number = parsed.values.get("id_number")
        if number in first_seen:
            other = first_seen[number]
            header = str(BY_FIELD["id_number"].header)
            result.errors.append(RowError(other, header, _("与第%(row)d行的公民身份号码重复") % {"row": row}))
            result.errors.append(RowError(row, header, _("与第%(row)d行的公民身份号码重复") % {"row": other}))
        elif number:
            first_seen[number] = row
        result.rows.append(parsed)
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _skipped(raw: dict[Column, Any]) -> bool:
    texts = [normalise_text(v) for v in raw.values()]
    filled = [t for t in texts if t]
    if not filled:
        return True
    if any(t.startswith(EXAMPLE_MARK) for t in filled):
        return True
    return filled[0].startswith(TOTAL_MARKS)


_PARSERS = {
    "name": cells.parse_name,
    "gender": lambda v: cells.parse_choice(v, cells.GENDERS),
    "id_number": cells.parse_id_number,
    "category": lambda v: cells.parse_choice(v, cells.CATEGORIES),
    "status": lambda v: cells.parse_choice(v, cells.STATUSES),
    "joined_on": lambda v: cells.parse_date(v)[0],
    "confirmed_on": lambda v: cells.parse_date(v)[0],
    "branch": cells.parse_text,
    "group": cells.parse_text,
    "posts": cells.parse_posts,
    "phone": cells.parse_phone,
}


def parse_row(row: int, raw: dict[Column, Any]) -> tuple[SheetRow, list[RowError]]:
    parsed = SheetRow(row=row, values={})
    errors: list[RowError] = []
    for column, value in raw.items():
        if column.field == "seq" or cells.is_blank(value):
            continue
        try:
            if column.field == "birth_date":
                parsed.values["birth_date"], parsed.birth_has_day = cells.parse_date(value)
            else:
                parsed.values[column.field] = _PARSERS[column.field](value)
        except cells.CellError as exc:
            errors.append(RowError(row, str(column.header), str(exc)))
    if "name" not in parsed.values and not any(e.column == str(BY_FIELD["name"].header) for e in errors):
        errors.append(RowError(row, str(BY_FIELD["name"].header), _("姓名不能为空")))
    id_header = str(BY_FIELD["id_number"].header)
    if "id_number" in parsed.values:
        errors += _derive_from_id(parsed)
    elif not any(e.column == id_header for e in errors):
        errors.append(RowError(row, id_header, _("公民身份号码不能为空")))
    return parsed, errors


def _derive_from_id(parsed: SheetRow) -> list[RowError]:
    """The ID number already holds birth date and gender: fill them in, or check the sheet agrees."""
    number = parsed.values["id_number"]
    born: date | None = id_birth_date(number)
    gender = id_gender(number)
    errors = []
    given_birth = parsed.values.get("birth_date")
    if given_birth and born:
        same = given_birth == born if parsed.birth_has_day else given_birth.replace(day=1) == born.replace(day=1)
        if not same:
            message = _("出生日期与公民身份号码不符（号码中为%(date)s）") % {"date": born.isoformat()}
            errors.append(RowError(parsed.row, str(BY_FIELD["birth_date"].header), message))
    given_gender = parsed.values.get("gender")
    if given_gender and given_gender != gender:
        shown = _("男") if gender == "M" else _("女")
        message = _("性别与公民身份号码不符（号码显示为%(gender)s）") % {"gender": shown}
        errors.append(RowError(parsed.row, str(BY_FIELD["gender"].header), message))
    parsed.values["birth_date"] = born
    parsed.values["gender"] = gender
    return errors
