"""Letters and reports come out in the official layout and say what they were given."""

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from pingyi.core.documents import Document, chinese_date, fonts, merge_docx
from pingyi.core.documents.layout import PT_PER_MM
from pingyi.core.qr import qr_png, qr_svg

from .rendering import libreoffice_pdf, measure

SENDER = "中共某局机关支部委员会"


def _sample() -> Document:
    doc = Document(title="关于民主评议结果的通报", recipient="各党支部")
    doc.heading("一、基本情况")
    doc.paragraph("本次评议共有32名党员参加。\n第二段<b>不是标记</b>。")
    doc.heading("（一）参评情况", level=2)
    doc.table(["姓名", "等次"], [["张三", "合格"], ["李四", None]])
    doc.signature(SENDER, date(2026, 11, 5))
    return doc


def test_docx_has_the_gbt9704_page_and_the_content() -> None:
    opened = docx.Document(io.BytesIO(_sample().to_docx()))
    section = opened.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    assert grid.get(qn("w:type")) == "lines"
    assert (section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips) // pitch == 22
    texts = [p.text for p in opened.paragraphs]
    assert texts[0] == "关于民主评议结果的通报"
    assert "各党支部：" in texts
    assert "第二段<b>不是标记</b>。" in texts
    assert texts[-2:] == [SENDER, "2026年11月5日"]
    assert opened.tables[0].cell(1, 0).text == "张三" and opened.tables[0].cell(2, 1).text == ""


def test_docx_sets_28_characters_a_line_in_chinese_fonts_word_can_find() -> None:
    opened = docx.Document(io.BytesIO(_sample().to_docx()))
    normal = opened.styles["Normal"].element
    spacing = int(normal.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20  # points
    width = opened.sections[0].page_width.pt - opened.sections[0].left_margin.pt - opened.sections[0].right_margin.pt
    assert 28 * (16 + spacing) <= width < 29 * (16 + spacing)
    lang = opened.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    body_run = next(p for p in opened.paragraphs if p.text.startswith("本次")).runs[0]
    assert 'w:eastAsia="仿宋_GB2312"' in body_run._r.xml
    table = next(p for p in opened.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    named = [("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")]
    for name, alternative in named:
        assert f'w:name="{name}"><w:altName w:val="' in table and alternative in table
    assert table.count('<w:charset w:val="86"/>') >= 5  # GB2312, not a Western or Japanese face


def test_page_numbers_carry_songti_digits_included() -> None:
    footer = docx.Document(io.BytesIO(_sample().to_docx())).sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ")
    for run in footer.runs:
        fonts_element = run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts_element.get(qn("w:ascii")) == "宋体" and fonts_element.get(qn("w:eastAsia")) == "宋体"


def test_pdf_prints_the_same_text_with_page_numbers() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_sample().to_pdf()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "民主评议结果" in text.replace(" ", "").replace("\n", "")
    assert "— 1 —" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "<b>" in text  # user text is printed, not read as markup


def test_every_character_is_drawn_in_a_face_that_has_it() -> None:
    """No empty boxes: not for a rare character in a name (U+20000), nor for a non-breaking space."""
    doc = Document(title="通报")
    doc.paragraph("参评党员：张𠀀、王\u00a0五、李䶮。")
    doc.signature(SENDER, date(2026, 11, 5))
    faces, fallbacks = fonts.configured()
    by_name = {face.metrics.postscript_name: face for face in [*faces.values(), *fallbacks]}
    chars = [c for page in measure(doc.to_pdf()) for line in page for c in line.chars]
    assert {"𠀀", "䶮", "张"} <= {c.text for c in chars}
    for c in chars:
        assert by_name[c.font].has(c.text), (c.text, c.font)
    assert not [c for c in chars if c.text in ("\u00a0", "") and c.x0 < 40]  # nothing stray before the sender


def _ends_with_a_full_page() -> Document:
    """A title, its blank line and 20 lines of body: the page is full when the signature comes."""
    doc = Document(title="关于某事项的通知")
    doc.paragraph("党" * (26 + 28 * 18) + "组织。")
    doc.signature(SENDER, date(2026, 11, 5))
    return doc


@pytest.mark.parametrize("renderer", ["app", "libreoffice"])
def test_the_signature_goes_to_the_next_page_with_the_last_line_of_the_body(renderer: str, tmp_path: Path) -> None:
    doc = _ends_with_a_full_page()
    pdf = doc.to_pdf() if renderer == "app" else libreoffice_pdf(doc.to_docx(), tmp_path)
    pages = [[line for line in page if line.size == 16] for page in measure(pdf)]
    assert len(pages) == 2
    last = pages[-1]
    assert [line.text for line in last][-2:] == [SENDER, "2026年11月5日"]
    assert last[0].text.endswith("组织。")  # the body's last line came along: the signature is not alone
    assert len(pages[0]) == 19  # 20 lines of body fit the first page; the last one left with the signature


@pytest.mark.parametrize("renderer", ["app", "libreoffice"])
def test_the_sender_is_centred_over_the_date_four_characters_from_the_right(renderer: str, tmp_path: Path) -> None:
    doc = _sample()
    pdf = doc.to_pdf() if renderer == "app" else libreoffice_pdf(doc.to_docx(), tmp_path)
    lines = {line.text: line for page in measure(pdf) for line in page}
    sender, on = lines[SENDER], lines["2026年11月5日"]
    # LibreOffice puts about 1 mm between digits and Chinese (it ignores the file's autoSpaceDN="0", which Word
    # honours), so its date is 6 mm wider than the one the sender was centred on: half of that is the allowance.
    allowance = 1 if renderer == "app" else 3.5
    assert (sender.x0 + sender.x1) / 2 == pytest.approx((on.x0 + on.x1) / 2, abs=allowance)
    assert on.x1 == pytest.approx(210 - 26 - 4 * 15.75 / PT_PER_MM, abs=1)
    assert on.baseline - sender.baseline == pytest.approx(29.6 / PT_PER_MM, abs=0.1)


def _collection() -> Document:
    doc = Document(title="学习心得汇编")
    doc.toc()
    for n in range(4):
        if n:
            doc.page_break()
        doc.heading(f"{'张王李赵'[n]}同志：第{n + 1}篇心得")
        for _ in range(3 + 9 * n):
            doc.paragraph("认真学习党章党规，对照检查自身不足，明确今后努力方向，切实把学习成果转化为工作动力。")
    return doc


@pytest.mark.parametrize("renderer", ["app", "libreoffice"])
def test_the_table_of_contents_lists_each_piece_once_with_the_page_it_starts_on(renderer: str, tmp_path: Path) -> None:
    doc = _collection()
    pdf = doc.to_pdf() if renderer == "app" else libreoffice_pdf(doc.to_docx(), tmp_path)
    pages = measure(pdf)
    starts = {line.text: n for n, page in enumerate(pages[1:], start=2) for line in page if "同志：第" in line.text}
    entries = [re.fullmatch(r"(.+篇心得)\.*(\d+)", line.text) for line in pages[0] if "同志：第" in line.text]
    assert len(entries) == 4 and len(starts) == 4  # one list, nothing twice
    for entry in entries:
        assert entry is not None and int(entry[2]) == starts[entry[1]], entry
    assert sorted(starts.values()) == [2, 3, 5, 7]  # the third piece runs to two pages


def test_the_word_table_of_contents_is_one_field_that_word_refreshes() -> None:
    opened = docx.Document(io.BytesIO(_collection().to_docx()))
    body = opened.element.body.xml
    assert body.count("TOC \\o") == 1 and "在 Word 中" not in body
    assert opened.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    listed = [p.text for p in opened.paragraphs if "同志：第" in p.text]
    assert len(listed) == 8  # four entries in the field's result, four headings: no static copy


def test_many_letters_merge_into_one_file_page_per_letter() -> None:
    letters = [Document(title=f"致第{i}位党员的反馈") for i in range(3)]
    opened = docx.Document(io.BytesIO(merge_docx(letters)))
    titles = [p.text for p in opened.paragraphs if p.text.startswith("致第")]
    assert titles == ["致第0位党员的反馈", "致第1位党员的反馈", "致第2位党员的反馈"]
    assert [p.paragraph_format.page_break_before for p in opened.paragraphs if p.text.startswith("致第")] == [
        None,
        True,
        True,
    ]


def test_dates_are_written_without_leading_zeros() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"


def test_qr_codes_encode_the_link() -> None:
    png = qr_png("https://example.org/o/abc")
    assert png.startswith(b"\x89PNG")
    assert "<svg" in qr_svg("https://example.org/o/abc")
    doc = Document(title="意见征求表").image(png, width_mm=25)
    assert docx.Document(io.BytesIO(doc.to_docx())).inline_shapes[0].width == Mm(25)


def test_word_files_are_still_made_on_a_machine_without_the_pdf_faces(settings: Any) -> None:
    from pingyi.core.documents import fonts as document_fonts

    settings.DOCUMENT_FONTS = {"body": "/nonexistent.ttf"}
    document_fonts.configured.cache_clear()
    try:
        opened = docx.Document(io.BytesIO(_collection().to_docx()))
        assert [p.text for p in opened.paragraphs if "同志：第" in p.text][:4] == [
            f"{name}同志：第{n}篇心得" for n, name in enumerate("张王李赵", start=1)
        ]
        assert docx.Document(io.BytesIO(_sample().to_docx())).paragraphs[-1].text == "2026年11月5日"
    finally:
        document_fonts.configured.cache_clear()
