"""Which sheet column holds which field: by its header, by its values, by what the user chose last time.

Rosters from different units name their columns differently, and one header can mean different
things: "人员类别" holds 正式/预备 in one unit's sheet and 在职/退休 in another's. So a column is
recognised by its header (the aliases in columns.py) and then by a sample of its values: when the
values plainly belong to another field (most of them are 在职、退休……, none 正式、预备), the values win.
The user sees the result before the check and may change it (a column to a field, or not imported);
their choice is remembered for the node and that layout of header (RosterLayout), and applies again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from pingyi.core.citizen_id import clean_phone

from . import cells
from .columns import BY_FIELD, COLUMNS, Column, column_for, normalise_header, normalise_text
from .reading import SheetCells

HEADER_SEARCH_ROWS = 20  # title rows and notes sit above the header; real headers start near the top
SAMPLE_ROWS = 200  # data rows whose values recognise a column
SHOWN_SAMPLES = 3
VALUES_WIN = 0.8  # share of a column's values that must fit another field for the values to win
IGNORE = ""  # the field of a column that is not imported

# How a column's field was decided, for the user.
HOW = {
    "header": gettext_lazy("按列名"),
    "values": gettext_lazy("按内容"),
    "remembered": gettext_lazy("上次导入时的设置"),
    "user": gettext_lazy("手动设置"),
    "none": gettext_lazy("未识别"),
}
REQUIRED = ("name", "id_number")

_ID_SHAPE = re.compile(r"^\d{17}[\dXx]$")


def _choice(choices: Mapping[str, str]) -> Callable[[str], bool]:
    return lambda text: re.sub(r"\s+", "", text) in choices


def _phone(text: str) -> bool:
    try:
        clean_phone(text)
    except Exception:
        return False
    return True


# Fields a column can be told by its values alone. An ID number is recognised by its shape, not its check
# digit: one mistyped number must not hide the column (the check names that row).
RECOGNISERS: dict[str, Callable[[str], bool]] = {
    "id_number": lambda text: bool(_ID_SHAPE.match(re.sub(r"\s+", "", text))),
    "phone": _phone,
    "gender": _choice(cells.GENDERS),
    "category": _choice(cells.CATEGORIES),
    "status": _choice(cells.STATUSES),
}


@dataclass
class SheetColumn:
    """One column of the sheet as the mapping page shows it."""

    index: int  # 1-based, as Excel counts
    header: str
    field: str  # a Column.field, or IGNORE
    how: str  # a key of HOW
    samples: list[str]
    note: str = ""

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)

    @property
    def how_label(self) -> str:
        return str(HOW[self.how])

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "header": self.header, "field": self.field, "how": self.how, "note": self.note}


@dataclass
class Layout:
    header_row: int
    columns: list[SheetColumn]

    @property
    def fingerprint(self) -> str:
        return fingerprint([c.header for c in self.columns])

    def fields(self) -> dict[int, Column]:
        return {c.index: BY_FIELD[c.field] for c in self.columns if c.field}

    def as_dict(self) -> dict[str, Any]:
        return {"header_row": self.header_row, "columns": [c.as_dict() for c in self.columns]}


class LayoutError(ValueError):
    """No header row could be found."""


def fingerprint(headers: list[str]) -> str:
    """The same layout of header gives the same fingerprint, whatever the spacing or notes in brackets."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]


def find_header(sheet: SheetCells) -> int:
    for number in list(sheet.rows)[:HEADER_SEARCH_ROWS]:
        found = {column_for(v) for v in sheet.rows[number]} - {None}
        if BY_FIELD["name"] in found and len(found) >= 2:
            return number
    raise LayoutError(_("找不到表头：前%(n)d行中没有包含“姓名”等列名的一行") % {"n": HEADER_SEARCH_ROWS})


def propose(sheet: SheetCells, remembered: Mapping[str, str] | None = None) -> Layout:
    """The mapping the page shows first: remembered for this layout, else by header, corrected by values.

    `remembered` maps a column number (as text, from JSON) to a field or IGNORE.
    """
    header_row = find_header(sheet)
    header = sheet.rows[header_row]
    width = max((i + 1 for i, v in enumerate(header) if normalise_text(v)), default=0)
    data = [values for number, values in sheet.rows.items() if number > header_row][:SAMPLE_ROWS]
    columns = []
    for index in range(1, width + 1):
        texts = [normalise_text(row[index - 1]) for row in data]
        texts = [t for t in texts if t]
        columns.append(_recognise(index, normalise_text(header[index - 1]), texts))
    _one_column_per_field(columns)
    if remembered is not None:
        for column in columns:
            chosen = remembered.get(str(column.index))
            if chosen is not None and (chosen == IGNORE or chosen in BY_FIELD):
                column.field, column.how, column.note = chosen, "remembered", ""
    return Layout(header_row=header_row, columns=columns)


def _recognise(index: int, header: str, texts: list[str]) -> SheetColumn:
    samples = list(dict.fromkeys(texts))[:SHOWN_SAMPLES]
    by_header = column_for(header)
    fits = {name: sum(1 for t in texts if test(t)) / len(texts) for name, test in RECOGNISERS.items()} if texts else {}
    best = max(fits, key=lambda name: fits[name], default=None)
    by_values = best if best is not None and fits[best] >= VALUES_WIN else None
    column = SheetColumn(index, header, IGNORE, "none", samples)
    if by_header is not None and by_header.field == "seq":
        column.how = "header"  # a running number is recognised, and not imported
    elif by_header is not None:
        column.field, column.how = by_header.field, "header"
        header_fits = fits.get(by_header.field, 1.0) if by_header.field in RECOGNISERS else 1.0
        # The values override the header only for fields told apart by values, and only when the header's
        # own field fits few of them: a status column with a few typos stays a status column.
        if by_values and by_values != by_header.field and by_header.field in RECOGNISERS and header_fits < 0.5:
            column.field, column.how = by_values, "values"
            column.note = _("列名是“%(header)s”，但内容是%(samples)s等，是“%(field)s”") % {
                "header": header,
                "samples": "、".join(samples),
                "field": BY_FIELD[by_values].header,
            }
    elif by_values is not None:
        column.field, column.how = by_values, "values"
    return column


def _one_column_per_field(columns: list[SheetColumn]) -> None:
    """A field is read from one column: a header match beats a values match, the left column the right one."""
    order = sorted(columns, key=lambda c: (c.how != "header", c.index))
    taken: dict[str, SheetColumn] = {}
    for column in order:
        if not column.field:
            continue
        first = taken.get(column.field)
        if first is None:
            taken[column.field] = column
            continue
        column.note = _("与第%(col)s列（%(header)s）重复，未导入") % {"col": first.letter, "header": first.header}
        column.field, column.how = IGNORE, "none"


def field_choices() -> list[tuple[str, str]]:
    return [(IGNORE, _("不导入")), *((c.field, str(c.header)) for c in COLUMNS if c.field != "seq")]


def check_mapping(chosen: Mapping[int, str]) -> dict[int, str]:
    """Errors by column for a mapping the user chose: each field from one column, name and ID present."""
    errors: dict[int, str] = {}
    first: dict[str, int] = {}
    for index, name in sorted(chosen.items()):
        if not name:
            continue
        if name in first:
            errors[index] = _("“%(field)s”已由第%(col)s列导入，一个字段只能对应一列") % {
                "field": BY_FIELD[name].header,
                "col": get_column_letter(first[name]),
            }
        else:
            first[name] = index
    return errors


def missing_required(chosen: Mapping[int, str]) -> list[str]:
    return [str(BY_FIELD[name].header) for name in REQUIRED if name not in chosen.values()]
