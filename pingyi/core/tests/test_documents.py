"""Letters and reports come out in the official layout and say what they were given."""

import io
from datetime import date

import docx
import pypdf
from docx.shared import Mm

from pingyi.core.documents import Document, chinese_date, merge_docx
from pingyi.core.qr import qr_png, qr_svg


def _sample() -> Document:
    doc = Document(title="关于民主评议结果的通报", recipient="各党支部")
    doc.heading("一、基本情况")
    doc.paragraph("本次评议共有32名党员参加。\n第二段<b>不是标记</b>。")
    doc.heading("（一）参评情况", level=2)
    doc.table(["姓名", "等次"], [["张三", "合格"], ["李四", None]])
    doc.signature("中共某局机关支部委员会", date(2026, 11, 5))
    return doc


def test_docx_has_the_gbt9704_page_and_the_content() -> None:
    opened = docx.Document(io.BytesIO(_sample().to_docx()))
    section = opened.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    texts = [p.text for p in opened.paragraphs]
    assert texts[0] == "关于民主评议结果的通报"
    assert "各党支部：" in texts
    assert "第二段<b>不是标记</b>。" in texts
    assert texts[-1] == "2026年11月5日"
    assert opened.tables[0].cell(1, 0).text == "张三" and opened.tables[0].cell(2, 1).text == ""
    footer = opened.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ")
    body_run = next(p for p in opened.paragraphs if p.text.startswith("本次")).runs[0]
    assert 'w:eastAsia="仿宋_GB2312"' in body_run._r.xml


def test_pdf_prints_the_same_text_with_page_numbers() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_sample().to_pdf()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "民主评议结果" in text.replace(" ", "").replace("\n", "")
    assert "— 1 —" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "<b>" in text  # user text is printed, not read as markup


def test_many_letters_merge_into_one_file_page_per_letter() -> None:
    letters = [Document(title=f"致第{i}位党员的反馈") for i in range(3)]
    opened = docx.Document(io.BytesIO(merge_docx(letters)))
    titles = [p.text for p in opened.paragraphs if p.text.startswith("致第")]
    assert titles == ["致第0位党员的反馈", "致第1位党员的反馈", "致第2位党员的反馈"]
    assert opened.element.body.xml.count('w:type="page"') == 2


def test_dates_are_written_without_leading_zeros() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"


def test_qr_codes_encode_the_link() -> None:
    png = qr_png("https://example.org/o/abc")
    assert png.startswith(b"\x89PNG")
    assert "<svg" in qr_svg("https://example.org/o/abc")
    doc = Document(title="意见征求表").image(png, width_mm=25)
    assert docx.Document(io.BytesIO(doc.to_docx())).inline_shapes[0].width == Mm(25)
