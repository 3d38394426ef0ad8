"""The one .xlsx writer: user text stays text in the clients that open it, and the sheet prints."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pingyi.core.spreadsheets import CODE, DATE, DATETIME, NUMBER, Column, Sheet

ATTACKS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _sheet() -> bytes:
    sheet = Sheet(
        "表",
        title="=标题也是文本",
        columns=[
            Column("序号", NUMBER),
            Column("内容"),
            Column("身份证号", CODE),
            Column("日期", DATE),
            Column("时间", DATETIME),
        ],
    )
    for n, attack in enumerate(ATTACKS, start=1):
        sheet.row([n, attack, "11010519491231002X" if n == 1 else "110105194912310021", date(2026, 11, n), None])
    sheet.row([7, "正常", "", None, datetime(2026, 11, 5, 1, 30, tzinfo=ZoneInfo("UTC"))])
    sheet.totals(["合计", "7 条"])
    return sheet.to_bytes()


def _opened() -> Worksheet:
    sheet = load_workbook(io.BytesIO(_sheet())).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_text_that_looks_like_a_formula_is_stored_as_text_with_a_quote_prefix() -> None:
    sheet = _opened()
    assert sheet.cell(1, 1).value == "=标题也是文本" and sheet.cell(1, 1).data_type == "s"
    for row, attack in enumerate(ATTACKS, start=3):
        cell = sheet.cell(row, 2)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (attack, "s", True), attack
    assert sheet.cell(9, 2).value == "正常" and not sheet.cell(9, 2).quotePrefix


def test_numbers_dates_and_codes_keep_their_kind() -> None:
    sheet = _opened()
    assert sheet.cell(3, 1).value == 1 and sheet.cell(3, 1).data_type == "n"
    assert sheet.cell(4, 3).value == "110105194912310021" and sheet.cell(4, 3).number_format == "@"
    assert sheet.cell(3, 4).value == datetime(2026, 11, 1) and sheet.cell(3, 4).number_format == "yyyy-mm-dd"
    assert sheet.cell(9, 5).value == datetime(2026, 11, 5, 9, 30)  # local time (Asia/Shanghai), not UTC


def test_the_sheet_prints_on_a4_with_its_title_and_header_on_every_page() -> None:
    sheet = _opened()
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation in ("portrait", "landscape")
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.freeze_panes == "A3"
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.cell(10, 1).value == "合计" and sheet.cell(10, 1).font.b
    assert sheet.column_dimensions["B"].width >= 8  # fitted to the longest text, not left at the default


def _calc(xlsx: bytes, to: str, workdir: Path) -> Path:
    """The sheet as LibreOffice Calc converts it (`to`: a --convert-to filter); the path of what it wrote."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui; .ci/run does)")
    (workdir / "in.xlsx").write_bytes(xlsx)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{workdir}/profile",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(workdir),
            str(workdir / "in.xlsx"),
        ],
        env={"HOME": str(workdir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
        timeout=180,
    )
    return workdir / f"in.{to.partition(':')[0]}"


def test_libreoffice_reads_the_attacks_as_the_words_typed(tmp_path: Path) -> None:
    """A real client: LibreOffice Calc converts the sheet to CSV; nothing was evaluated (no "点我", no 2)."""
    written = _calc(_sheet(), "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"), newline="")))
    assert [row[1] for row in rows[2:8]] == [a.replace("\r", "\n") for a in ATTACKS]  # CSV writes CR as LF


def test_a_title_wider_than_the_columns_prints_whole(tmp_path: Path) -> None:
    """A register of two narrow columns under a long title: Calc prints every character of the title."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler is not installed (.ci/run installs it)")
    title = "第一党支部学习教育专题学习考勤登记表（二〇二六年十一月二十六日下午三时，党员活动室）"
    sheet = Sheet("考勤", title=title, columns=[Column("姓名"), Column("状态")])
    sheet.row(["张三", "出席"])
    pdf = _calc(sheet.to_bytes(), "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert title in "".join(text.split())
