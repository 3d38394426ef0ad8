"""The one way Pingyi writes an .xlsx: a title row, a header row, rows, a totals row; safe and printable.

Safe: text is always stored as text. A name or an opinion that starts with = + - @ or a tab or a
carriage return is not a formula ("=HYPERLINK(...)" stays the words the public typed): it is
written as a string cell with Excel's quote prefix, so Excel and LibreOffice show it as typed and
keep it text when someone edits the cell. Dates are dates, numbers are numbers, and a column of
codes (ID numbers, phones) is text formatted as text, so 18 digits never turn into a float.

Printable: A4, portrait or landscape by width, fitted to one page wide, the title and header rows
repeated on every page, panes frozen under the header, page numbers in the footer.

    sheet = Sheet(_("文稿统计"), title="……", columns=[Column(_("姓名")), Column(_("字数"), kind=NUMBER)])
    sheet.row(["张三", 1200])
    sheet.totals([_("合计"), 1200])
    data = sheet.to_bytes()
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

TEXT, NUMBER, DATE, DATETIME, CODE = "text", "number", "date", "datetime", "code"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", CODE: "@"}
TITLE_SIZE, BODY_SIZE, TITLE_LINE_HEIGHT = 16, 11, 30  # points; a column's width counts body characters
LANDSCAPE_FROM = 100  # characters of column width that no longer fit a portrait A4 page at a legible size
_THIN = Side(style="thin", color="999999")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float | None = None  # in characters; None fits the column to what it holds
    wrap: bool = False


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


class Sheet:
    def __init__(self, name: str, *, title: str, columns: Sequence[Column]) -> None:
        self.book = Workbook()
        sheet = self.book.active
        assert sheet is not None
        self.sheet = sheet
        self.sheet.title = str(name)[:31]
        self.columns = list(columns)
        self._widths = [_display_width(str(c.header)) for c in self.columns]
        first = self.sheet.cell(1, 1)
        first.value = str(title)
        first.data_type = "s"
        first.font = Font(bold=True, size=TITLE_SIZE)
        first.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self._title_width = _display_width(str(title)) * TITLE_SIZE / BODY_SIZE
        self.sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(self.columns))
        for index, column in enumerate(self.columns, start=1):
            cell = self.sheet.cell(2, index)
            write(cell, str(column.header))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _GRID
        self.next_row = 3

    def row(self, values: Sequence[Any], *, font: Font | None = None) -> int:
        """One row of values in the columns' order; returns its row number."""
        number = self.next_row
        for index, (column, value) in enumerate(zip(self.columns, values, strict=False), start=1):
            cell = self.sheet.cell(number, index)
            write(cell, value, column.kind)
            cell.border = _GRID
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
            if font:
                cell.font = font
            self._widths[index - 1] = max(self._widths[index - 1], _display_width(_shown(value)))
        self.next_row += 1
        return number

    def totals(self, values: Sequence[Any]) -> int:
        return self.row(values, font=Font(bold=True))

    def comment(self, row: int, column: int, text: str) -> None:
        self.sheet.cell(row, column).comment = Comment(text, "Pingyi")

    def to_bytes(self) -> bytes:
        widths = []
        for index, column in enumerate(self.columns, start=1):
            width = column.width or min(max(self._widths[index - 1] + 2, 6), 60 if column.wrap else 40)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
            widths.append(width)
        # A title wider than the columns wraps (a merged cell does not grow by itself, and Calc and Excel
        # print what does not fit as cut off): as many lines as it needs, each as tall as one line was.
        lines = max(1, math.ceil(self._title_width / sum(widths)))
        self.sheet.row_dimensions[1].height = TITLE_LINE_HEIGHT * lines
        self._print_setup(landscape=sum(widths) > LANDSCAPE_FROM)
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def _print_setup(self, *, landscape: bool) -> None:
        sheet = self.sheet
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "1:2"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")


def write(cell: Cell, value: Any, kind: str = TEXT) -> None:
    """Put one value in a cell by what it is; text never becomes a formula."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, datetime):
        cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell.number_format = FORMATS[DATETIME]
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = FORMATS[DATE]
    elif isinstance(value, int | float) and not isinstance(value, bool) and kind != CODE:
        cell.value = value
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would read "=…" as a formula
        if is_formula_like(text):
            cell.quotePrefix = True  # and Excel would make it one when the cell is edited
        if kind == CODE:
            cell.number_format = FORMATS[CODE]


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    return "" if value is None else str(value)


def _display_width(text: str) -> int:
    """Column width in Excel's units: a Chinese character takes two."""
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)
