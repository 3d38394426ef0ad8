"""Reading a roster workbook's cells in bounded time and memory.

An .xlsx is a zip of XML. A small upload can expand a thousandfold (0.7 MB became 95 MB, 68 s and
1.9 GB when openpyxl loaded it whole), so before anything is parsed the archive's declared sizes are
checked against caps: zipfile never yields more than a member's declared size, so the declared sizes
bound what the parser can be fed. The first sheet is then read as a stream: openpyxl's reader opens
the workbook (shared strings, styles for dates), and each `<row>` element is parsed and dropped
as it comes, counting rows and merged ranges against their caps. Merged ranges sit after the rows in
the sheet's XML, so the rows are kept (at most `max_rows` of them, `max_columns` wide) and merged values
are filled in at the end; a reader that wants only the top of the sheet (the header and a sample)
stops early and gets no merged values, which is all a column's recognition needs.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW_TAG, MERGE_TAG = f"{SHEET_NS}row", f"{SHEET_NS}mergeCell"


@dataclass(frozen=True)
class Limits:
    """Caps on what one roster may hold; settings PINGYI_ROSTER_MAX_* override them."""

    sheet_bytes: int = 32 * 2**20  # the first sheet's XML, expanded (20,000 rows of 13 columns take ~13 MB)
    strings_bytes: int = 8 * 2**20  # the shared-strings table, expanded
    other_bytes: int = 4 * 2**20  # any other XML part (styles, workbook, theme), expanded
    total_bytes: int = 48 * 2**20  # every XML part together, expanded
    members: int = 500  # parts in the archive
    rows: int = 20_000  # rows of the sheet, blank ones included
    columns: int = 60  # columns read; cells further right are ignored
    merged: int = 5_000  # merged ranges


def limits() -> Limits:
    return Limits(
        **{
            name: getattr(settings, f"PINGYI_ROSTER_MAX_{name.upper()}")
            for name in Limits.__dataclass_fields__
            if hasattr(settings, f"PINGYI_ROSTER_MAX_{name.upper()}")
        }
    )


class RosterFileError(ValueError):
    """The file as a whole cannot be read, or is larger than a roster can be."""


@dataclass
class SheetCells:
    rows: dict[int, list[Any]] = field(default_factory=dict)  # Excel row number -> values, `columns` wide
    complete: bool = True  # False when the reader stopped early (no merged values then)


def _too_big() -> RosterFileError:
    return RosterFileError(
        _(
            "这个文件解压后太大，不像是一份名册（可能含有大量空白行、格式或隐藏内容）。"
            "请只保留名册所在的工作表，另存为新的 .xlsx 后重新上传。"
        )
    )


def check_archive(data: bytes, cap: Limits) -> None:
    """Refuse a file whose parts would expand past the caps, before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RosterFileError(_("无法读取这个文件，请确认是 Excel .xlsx 格式")) from exc
    if len(members) > cap.members:
        raise _too_big()
    xml = [m for m in members if m.filename.endswith((".xml", ".rels"))]
    sheets = sorted((m for m in xml if m.filename.startswith("xl/worksheets/")), key=lambda m: m.filename)
    for member in xml:
        if member.filename.startswith("xl/worksheets/"):
            limit = cap.sheet_bytes
        elif member.filename.endswith("sharedStrings.xml"):
            limit = cap.strings_bytes
        else:
            limit = cap.other_bytes
        if member.file_size > limit:
            raise _too_big()
    # Only the first sheet is read; the others are never decompressed, so they do not count.
    read = [m for m in xml if not m.filename.startswith("xl/worksheets/")] + sheets[:1]
    if sum(m.file_size for m in read) > cap.total_bytes:
        raise _too_big()


def read_cells(
    data: bytes,
    cap: Limits | None = None,
    *,
    stop_after: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SheetCells:
    """The first sheet's values by row. `stop_after`: stop once that many rows are read (the top of the sheet)."""
    cap = cap or limits()
    check_archive(data, cap)
    try:
        reader = _open(data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError, StopIteration) as exc:
        raise RosterFileError(_("无法读取这个文件，请确认是 Excel .xlsx 格式")) from exc
    try:
        return _read_first_sheet(reader, cap, stop_after, progress)
    except SyntaxError as exc:  # expat's ParseError: the XML inside is broken
        raise RosterFileError(_("无法读取这个文件，请确认是 Excel .xlsx 格式")) from exc
    finally:
        reader.archive.close()


def _open(data: bytes) -> Any:
    """openpyxl's reader up to the styles, without building its worksheets: a read-only worksheet scans its
    whole XML for a size when the file gives none, which is a pass over a hostile file that we need not make."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    reader.sheet_path = next(
        rel.target
        for _sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    )
    return reader


def _read_first_sheet(
    reader: Any, cap: Limits, stop_after: int | None, progress: Callable[[int], None] | None
) -> SheetCells:
    book = reader.wb
    # openpyxl's own row parser (shared strings, numbers, dates from the styles) over our own stream.
    parser = WorkSheetParser(
        None,
        reader.shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    result = SheetCells()
    merged: list[str] = []
    seen = 0
    with reader.archive.open(reader.sheet_path) as source:
        for row_number, values in _rows(source, parser, merged, cap):
            seen += 1
            if seen > cap.rows or row_number > cap.rows + 1000:
                raise RosterFileError(
                    _("名册超过 %(n)d 行（含空行）。请删去多余的空白行，或分成几个文件导入。") % {"n": cap.rows}
                )
            if any(v is not None and v != "" for v in values):
                result.rows[row_number] = values
            if progress and seen % 1000 == 0:
                progress(seen)
            if stop_after is not None and seen >= stop_after:
                result.complete = False
                return result
    _fill_merged(result.rows, merged, cap.columns)
    return result


def _rows(source: Any, parser: WorkSheetParser, merged: list[str], cap: Limits) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) as the XML streams past; every element is dropped once read."""
    depth = 0
    parent = None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 2:
                parent = element  # sheetData or mergeCells: its children are cleared away below
            continue
        depth -= 1
        if element.tag == ROW_TAG:
            number, cells = parser.parse_row(element)
            values: list[Any] = [None] * cap.columns
            for cell in cells:
                column = cell["column"]
                if column <= cap.columns:
                    values[column - 1] = cell["value"]
            element.clear()
            if parent is not None:
                parent.remove(element)
            yield number, values
        elif element.tag == MERGE_TAG:
            merged.append(element.get("ref", ""))
            if len(merged) > cap.merged:
                raise RosterFileError(_("合并单元格过多，不像是一份名册。请取消合并后重新上传。"))
            element.clear()
            if parent is not None:
                parent.remove(element)
        elif depth >= 2:
            continue  # a cell or value inside a row: the row handles it
        else:
            element.clear()


def _fill_merged(rows: dict[int, list[Any]], merged: list[str], columns: int) -> None:
    """A merged cell holds its value only in the top-left corner; every row it spans means it."""
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        assert min_col and min_row and max_col and max_row
        top = rows.get(min_row)
        if top is None or min_col > columns:
            continue
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            if number not in rows:
                # Rows that only a merged range reaches are kept only while the range is a roster's size.
                if max_row - min_row > 1000:
                    continue
                rows[number] = [None] * columns
            for col in range(min_col, min(max_col, columns) + 1):
                rows[number][col - 1] = value
    for number in sorted(rows):
        rows[number] = rows.pop(number)  # back in row order after rows a range added
