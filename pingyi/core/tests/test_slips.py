"""Rating slips fit the page: eight to a sheet, each code cut out with its own QR code and address."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

import pdfplumber
import pytest
from PIL import Image

from pingyi.core.documents.layout import PT_PER_MM
from pingyi.core.documents.slips import CELL_MM, Slip, slip_sheet

URL = "https://pingyi.example.org/evaluation/rate/3f9c2a7b5d1e4c8a9b0f/"


def _slips(n: int) -> list[Slip]:
    return [
        Slip(
            heading="2026年度局机关党支部民主评议党员群众测评",
            code=f"测评码：K{k:03d}",
            link=f"{URL}#K{k:03d}",
            address=URL,
            note="用手机扫码，或打开上面的网址输入测评码。无记名，不需登录；每个测评码只能使用一次。",
        )
        for k in range(n)
    ]


def _cell(x: float, top: float) -> tuple[int, int]:
    """Which slip a point (mm from the left and the top) belongs to."""
    return int(x // CELL_MM[0]), int(top // CELL_MM[1])


def test_eight_slips_to_a_page_and_everything_of_a_slip_inside_its_own_cell() -> None:
    pdf = slip_sheet(_slips(11))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) == 2
        for number, page in enumerate(opened.pages):
            codes = [w for w in page.extract_words() if w["text"].startswith("测评码")]
            assert len(codes) == (8 if number == 0 else 3)
            cells = {_cell(w["x0"] / PT_PER_MM, w["top"] / PT_PER_MM) for w in codes}
            assert len(cells) == len(codes)  # one code per cell
            for image in page.images:  # each QR code in a cell that holds a code, clear of the cut lines
                left, right = image["x0"] / PT_PER_MM, image["x1"] / PT_PER_MM
                top, bottom = image["top"] / PT_PER_MM, image["bottom"] / PT_PER_MM
                assert _cell(left, top) == _cell(right, bottom) and _cell(left, top) in cells
            assert len(page.images) == len(codes)
            for char in page.chars:  # no text crosses a cut line or runs off the page
                assert _cell(char["x0"] / PT_PER_MM, char["top"] / PT_PER_MM) == _cell(
                    char["x1"] / PT_PER_MM - 0.01, char["bottom"] / PT_PER_MM - 0.01
                ), char["text"]
            dashed = [line for line in page.lines if line.get("dash")]
            assert len(dashed) == 4  # one cut between the columns, three between the rows


def test_each_qr_code_opens_the_code_printed_beside_it(tmp_path: object) -> None:
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbarimg or pdftoppm missing (apt-get install zbar-tools poppler-utils; .ci/run does)")
    pdf = slip_sheet(_slips(8))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        printed = {
            _cell(w["x0"] / PT_PER_MM, w["top"] / PT_PER_MM): w["text"].removeprefix("测评码：")
            for w in opened.pages[0].extract_words()
            if w["text"].startswith("测评码")
        }
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-", f"{work}/p"], input=pdf, check=True)
        page = Image.open(f"{work}/p-1.png")
        scale = page.width / 210
        for (column, row), code in printed.items():
            box = [column * CELL_MM[0], row * CELL_MM[1], (column + 1) * CELL_MM[0], (row + 1) * CELL_MM[1]]
            page.crop(tuple(round(v * scale) for v in box)).save(f"{work}/cell.png")
            decoded = subprocess.run(["zbarimg", "-q", "--raw", f"{work}/cell.png"], capture_output=True, text=True)
            assert decoded.stdout.strip() == f"{URL}#{code}"
