"""The page measured as a reader measures it: a long document rendered to PDF twice — by the app's own
renderer and by LibreOffice from the .docx — and read back character by character (pdfplumber).

GB/T 9704-2012 (DOMAIN.md): 22 lines of 28 characters of 3号 filling a 156 × 225 mm type area 37 mm from
the top and 28 mm from the left; title 小标宋, body 仿宋, headings 黑体 and 楷体, page numbers 4号 宋体
7 mm below the type area; every font embedded.
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from pingyi.core.documents import Document, fonts
from pingyi.core.documents.layout import PT_PER_MM

from .rendering import Line, libreoffice_pdf, measure, unembedded_fonts

TITLE = "关于开展民主评议党员工作情况的通报"
SENDER = "中共某局机关支部委员会"
# Ideographs only, so every full line holds exactly 28 characters and the paragraph ends at "。".
WORDS = "根据上级党组织统一部署我局机关党支部认真组织开展民主评议党员工作全体党员积极参加取得较好效果"
CHAR_MM = (16 - 0.25) / PT_PER_MM
PITCH_MM = 29.6 / PT_PER_MM


def long_document() -> Document:
    doc = Document(title=TITLE, recipient="各党支部")
    doc.heading("一、基本情况")
    for n in range(24):
        if n == 9:
            doc.heading("（一）参评情况", level=2)
        if n == 16:
            doc.heading("二、评定结果")
        length = 40 + (n * 37) % 150
        doc.paragraph((WORDS * 6)[n % 7 : n % 7 + length] + "。")
    doc.signature(SENDER, date(2026, 11, 5))
    return doc


@pytest.fixture(scope="module")
def app_pdf() -> list[list[Line]]:
    return measure(long_document().to_pdf())


@pytest.fixture(scope="module")
def office_pdf(tmp_path_factory: pytest.TempPathFactory) -> list[list[Line]]:
    return measure(libreoffice_pdf(long_document().to_docx(), tmp_path_factory.mktemp("lo")))


@pytest.fixture(params=["app", "libreoffice"])
def pages(request: pytest.FixtureRequest) -> list[list[Line]]:
    return request.getfixturevalue("app_pdf" if request.param == "app" else "office_pdf")


def _type_lines(page: list[Line]) -> list[Line]:
    return [line for line in page if line.baseline < 262 + 3]


def _page_number(page: list[Line]) -> Line:
    (line,) = [line for line in page if line.baseline > 262 + 3]
    return line


def test_a_full_page_holds_22_lines_filling_the_type_area(pages: list[list[Line]]) -> None:
    assert len(pages) >= 4
    for page in pages[1:-1]:
        lines = _type_lines(page)
        assert len(lines) == 22, [line.text for line in lines]
        assert lines[0].top == pytest.approx(37, abs=1)  # 天头 37 mm
        assert lines[-1].bottom == pytest.approx(37 + 225, abs=1)  # the 225 mm type area, filled
        gaps = [b.baseline - a.baseline for a, b in itertools.pairwise(lines)]
        assert max(gaps) - min(gaps) < 0.15 and sum(gaps) / len(gaps) == pytest.approx(PITCH_MM, abs=0.05)


def test_a_full_line_holds_28_characters_between_the_margins(pages: list[list[Line]]) -> None:
    lines = [line for page in pages[1:] for line in _type_lines(page) if line.size == 16]
    full = [
        (line, following)
        for line, following in zip(lines, [*lines[1:], None], strict=True)
        if not line.text.endswith("。")
        and not line.text.startswith(("一、", "二、", "（一）"))
        and line.text not in (SENDER, "2026年11月5日")
    ]
    assert len(full) > 60
    for line, _following in full:
        indented = line.x0 > 28 + CHAR_MM
        chars = line.chars[:-1] if line.chars[-1].x0 > 210 - 26 - 0.5 else line.chars  # a mark hanging in the margin
        assert len(chars) == (26 if indented else 28), line.text
        assert line.x0 == pytest.approx(28 + (2 * CHAR_MM if indented else 0), abs=1)
        assert chars[-1].x1 == pytest.approx(210 - 26, abs=1)  # right margin 26 mm


def test_each_role_has_its_own_face(pages: list[list[Line]]) -> None:
    lines = [line for page in pages for line in page]

    def face_of(text: str) -> set[str]:
        return next(line for line in lines if line.text.startswith(text)).fonts

    roles = {
        "title": face_of(TITLE),
        "body": face_of(WORDS[:10]),
        "heading1": face_of("一、基本情况"),
        "heading2": face_of("（一）参评情况"),
        "page_number": _page_number(pages[0]).fonts,
    }
    assert all(len(names) == 1 for names in roles.values()), roles
    assert len({next(iter(names)) for names in roles.values()}) == 5, roles
    assert next(line for line in lines if line.text.startswith(TITLE)).size == 22
    assert next(line for line in lines if line.text.startswith("一、")).size == 16


def test_the_app_pdf_uses_the_configured_faces(app_pdf: list[list[Line]]) -> None:
    faces, _ = fonts.configured()
    first = app_pdf[0]
    assert first[0].fonts == {faces["title"].metrics.postscript_name}
    assert any(line.fonts == {faces["heading1"].metrics.postscript_name} for line in first)
    assert _page_number(first).fonts == {faces["page_number"].metrics.postscript_name}
    body = faces["body"].metrics.postscript_name
    assert sum(line.fonts == {body} for line in app_pdf[1]) >= 20


def test_page_numbers_stand_7_mm_below_the_type_area_outside_edge_one_character_in(pages: list[list[Line]]) -> None:
    for number, page in enumerate(pages, start=1):
        line = _page_number(page)
        assert line.text.replace(" ", "") == f"—{number}—"
        assert line.top == pytest.approx(262 + 7, abs=1)
        one_character = 14 / PT_PER_MM
        if number % 2:
            assert line.x1 == pytest.approx(210 - 26 - one_character, abs=1)
        else:
            assert line.x0 == pytest.approx(28 + one_character, abs=1)


def test_both_formats_set_the_same_lines_on_the_same_pages(
    app_pdf: list[list[Line]], office_pdf: list[list[Line]]
) -> None:
    assert [[line.text for line in page] for page in app_pdf] == [[line.text for line in page] for page in office_pdf]


def test_every_font_is_embedded(tmp_path: Path) -> None:
    doc = long_document()
    assert unembedded_fonts(doc.to_pdf()) == []
    assert unembedded_fonts(libreoffice_pdf(doc.to_docx(), tmp_path)) == []
