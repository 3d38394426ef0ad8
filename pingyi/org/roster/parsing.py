"""Reading a roster workbook into clean rows and row errors, without touching the database."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pingyi.core.citizen_id import id_birth_date, id_gender

from . import cells
from .columns import BY_FIELD, Column, normalise_text
from .mapping import Layout, LayoutError, propose
from .reading import Limits, RosterFileError, read_cells

EXAMPLE_MARK = "示例"
TOTAL_MARKS = ("合计", "总计")

__all__ = ["ParsedSheet", "RosterFileError", "RowError", "SheetRow", "parse_sheet", "read_layout"]


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
    layout: Layout | None = None

    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}


def read_layout(
    data: bytes,
    remembered: Callable[[list[str]], Mapping[str, str] | None] | None = None,
    cap: Limits | None = None,
) -> Layout:
    """The header and the proposed mapping, from the top of the sheet only (fast, for the mapping page).

    `remembered(headers)` gives the choice last confirmed for this layout of header, if any.
    Raises RosterFileError for a file that cannot be a roster (unreadable, too large, no header).
    """
    try:
        top = read_cells(data, cap, stop_after=_TOP_ROWS)
        layout = propose(top)
        choice = remembered([c.header for c in layout.columns]) if remembered else None
        return propose(top, choice) if choice else layout
    except LayoutError as exc:
        raise RosterFileError(str(exc)) from exc


_TOP_ROWS = 20 + 200  # header search rows and the sample of data rows


def parse_sheet(
    data: bytes,
    *,
    chosen: Mapping[int, str] | None = None,
    remembered: Mapping[str, str] | None = None,
    cap: Limits | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParsedSheet:
    """Every row, read with the proposed mapping, or `chosen` (column number -> field, "" to ignore)."""
    result = ParsedSheet()
    try:
        sheet = read_cells(data, cap, progress=progress)
        layout = propose(sheet, remembered)
    except (RosterFileError, LayoutError) as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    if chosen is not None:
        for column in layout.columns:
            if column.index in chosen:
                column.field, column.how = chosen[column.index], "user"
    result.layout = layout
    mapping = layout.fields()
    header_row = layout.header_row
    result.fields = {c.field for c in mapping.values()}
    missing = [str(BY_FIELD[f].header) for f in ("name", "id_number") if f not in result.fields]
    if missing:
        message = _("没有对应“%(fields)s”的列，无法核对人员；请在列的对应关系中指定") % {"fields": "、".join(missing)}
        result.errors.append(RowError(header_row, "", message))
        return result
    first_seen: dict[str, int] = {}
    for row, values in sheet.rows.items():
        if row <= header_row:
            continue
        raw = {column: values[index - 1] for index, column in mapping.items()}
        if all(cells.is_blank(v) for v in raw.values()) or _skipped(values):
            continue
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


def _skipped(values: list[Any]) -> bool:
    """Blank rows, the template's example row and a totals row are not people (whichever columns are read)."""
    texts = [normalise_text(v) for v in values]
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
            shown = date_format(born, "SHORT_DATE_FORMAT")
            message = _("出生日期与公民身份号码不符（号码中为%(date)s）") % {"date": shown}
            errors.append(RowError(parsed.row, str(BY_FIELD["birth_date"].header), message))
    given_gender = parsed.values.get("gender")
    if given_gender and given_gender != gender:
        shown = _("男") if gender == "M" else _("女")
        message = _("性别与公民身份号码不符（号码显示为%(gender)s）") % {"gender": shown}
        errors.append(RowError(parsed.row, str(BY_FIELD["gender"].header), message))
    parsed.values["birth_date"] = born
    parsed.values["gender"] = gender
    return errors
