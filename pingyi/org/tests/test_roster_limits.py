"""Hostile or oversized workbooks are refused early, in bounded time and memory (issue 17, item 6)."""

import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World
from pingyi.org.models import RosterUpload
from pingyi.org.roster.importer import MAX_REPORTED_ERRORS, import_roster
from pingyi.org.roster.parsing import parse_sheet
from pingyi.org.roster.reading import Limits, RosterFileError, check_archive
from pingyi.org.tests.sheets import inline_row, make_id, member_row, with_sheet_xml, xlsx

MB = 2**20


def _peak(call: Callable[[], Any]) -> tuple[Any, int, float]:
    """What `call` returned, the peak of Python memory it allocated, and the seconds it took."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        value = call()
        return value, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def _expanding(rows: int, pad: int) -> Iterator[str]:
    yield inline_row(1, ["姓名", "公民身份号码"])
    filler = "x" * pad
    for n in range(2, rows + 2):
        yield f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{filler}</t></is></c></row>'


def test_a_small_file_that_expands_a_hundredfold_is_refused_before_parsing() -> None:
    bomb = with_sheet_xml(_expanding(400_000, 200))  # ~2 MB on disk, ~108 MB of XML
    assert len(bomb) < 3 * MB
    parsed, peak, seconds = _peak(lambda: parse_sheet(bomb))
    assert [(e.row, "解压后太大" in e.message) for e in parsed.errors] == [(0, True)]
    assert peak < 2 * MB  # only the archive's directory was read
    assert seconds < 1


def test_a_sheet_within_the_size_caps_but_past_the_row_cap_streams_to_its_refusal() -> None:
    def rows() -> Iterator[str]:
        yield inline_row(1, ["姓名", "公民身份号码"])
        for n in range(2, 60_000):  # far columns too: only the first `columns` are kept
            yield f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>'

    sheet = with_sheet_xml(rows())
    cap = Limits(rows=5_000)
    parsed, peak, _seconds = _peak(lambda: parse_sheet(sheet, cap=cap))
    assert [(e.row, "超过 5000 行" in e.message) for e in parsed.errors] == [(0, True)]
    # 5,000 rows of 60 columns kept at most; the other 55,000 rows were never read.
    assert peak < 8 * MB


def test_a_row_number_far_below_the_data_is_refused_without_reading_the_gap() -> None:
    sheet = with_sheet_xml([inline_row(1, ["姓名", "公民身份号码"]), inline_row(1_000_000, ["王明", make_id(1)])])
    parsed, peak, seconds = _peak(lambda: parse_sheet(sheet))
    assert "超过" in parsed.errors[0].message
    assert peak < 4 * MB and seconds < 2


def test_a_flood_of_merged_ranges_is_refused() -> None:
    sheet = with_sheet_xml([inline_row(1, ["姓名", "公民身份号码"])], merged=(f"A{n}:B{n}" for n in range(2, 200_000)))
    parsed, peak, _seconds = _peak(lambda: parse_sheet(sheet))
    assert "合并单元格过多" in parsed.errors[0].message
    assert peak < 8 * MB


def test_too_many_parts_or_a_large_shared_string_table_is_refused() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t/></si>" * 1_000_000 + b"</sst>")
    with pytest.raises(RosterFileError, match="解压后太大"):
        check_archive(out.getvalue(), Limits())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(600):
            archive.writestr(f"part{n}.xml", b"")
    with pytest.raises(RosterFileError, match="解压后太大"):
        check_archive(out.getvalue(), Limits())


def test_a_roster_at_the_caps_is_still_read() -> None:
    """The caps leave room for real rosters: 2,000 rows with merged cells read as before."""
    rows = [inline_row(1, ["姓名", "公民身份号码", "所在党小组"])]
    rows += [inline_row(n + 2, [f"党员{n}", make_id(n), "第一党小组" if n == 0 else ""]) for n in range(2_000)]
    parsed = parse_sheet(with_sheet_xml(rows, merged=["C2:C2001"]))
    assert not parsed.errors
    assert len(parsed.rows) == 2_000 and {r.values["group"] for r in parsed.rows} == {"第一党小组"}


@pytest.mark.django_db
def test_the_upload_form_refuses_a_bomb_and_stores_nothing(world: World) -> None:
    bomb = with_sheet_xml(_expanding(400_000, 200))
    url = reverse("org:roster_upload", kwargs={"org_code": "BRANCH"})
    response, peak, _seconds = _peak(
        lambda: world.client("secretary").post(url, {"file": SimpleUploadedFile("名册.xlsx", bomb)})
    )
    assert response.status_code == 200
    assert "解压后太大" in response.content.decode()
    assert not RosterUpload.objects.exists()
    assert peak < 24 * MB  # the upload itself (2 MB, held by the request and the form) and the page


@pytest.mark.django_db
def test_a_report_keeps_a_bounded_number_of_row_errors(world: World) -> None:
    bad = [member_row(n, birth="1999-01-01") for n in range(MAX_REPORTED_ERRORS + 50)]
    report = import_roster(data=xlsx(bad), org=world.orgs["branch"], by=None, dry_run=True).as_dict()
    assert report["error_rows"] == MAX_REPORTED_ERRORS + 50 == report["error_count"]
    assert len(report["errors"]) == MAX_REPORTED_ERRORS
