"""Letters, minutes, notices and reports in the layout of Chinese official documents (GB/T 9704-2012).

Build a `Document` from blocks once; render it as Word (`to_docx`) for editing or as PDF
(`to_pdf`) for printing. The layout follows the standard: A4, top margin 37 mm, left 28 mm,
a type area of 156 × 225 mm (so right 26 mm, bottom 35 mm); the title in 2号 小标宋 centred;
body text in 3号 仿宋 with 22 lines per page and a two-character first-line indent; first-level
headings (一、) in 黑体, second-level ((一)) in 楷体; page numbers as "— 1 —" in 4号, odd pages
right, even pages left; the sender and the date at the foot, right-aligned.

    doc = Document(title="关于……的通报")
    doc.heading("一、基本情况")
    doc.paragraph("……")
    doc.table(["姓名", "等次"], [["张三", "合格"]])
    doc.signature("中共××支部委员会", date(2026, 11, 25))
    data = doc.to_docx()

The PDF uses the STSong-Light CID font that every PDF reader supplies, so nothing is embedded
and the file stays small; the Word file names the usual Windows fonts and falls back gracefully.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

# Sizes in points: 2号 = 22, 3号 = 16, 4号 = 14, 小四 = 12.
TITLE_PT = 22
BODY_PT = 16
SMALL_PT = 12
PAGE_NUMBER_PT = 14
LINE_PITCH_PT = 28.95  # 225 mm type area / 22 lines
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


@dataclass
class Block:
    kind: str  # title, subtitle, heading, paragraph, table, signature, page_break, toc, image
    text: str = ""
    level: int = 1
    indent: bool = True
    align: str = "justify"  # justify, left, center, right
    bold: bool = False
    small: bool = False
    rows: list[list[str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    image: bytes = b""
    width_mm: float = 30


class Document:
    """An ordered list of blocks; the two renderers give the same content the same layout."""

    def __init__(self, title: str = "", *, subtitle: str = "", recipient: str = "") -> None:
        self.blocks: list[Block] = []
        if title:
            self.title(title)
        if subtitle:
            self.blocks.append(Block("subtitle", subtitle, align="center", indent=False))
        if recipient:  # 主送机关: flush left, ending with a full-width colon
            self.paragraph(recipient.rstrip("：:") + "：", indent=False)

    def title(self, text: str) -> Document:
        self.blocks.append(Block("title", text, align="center", indent=False))
        return self

    def heading(self, text: str, level: int = 1) -> Document:
        """Level 1 is "一、" in 黑体, level 2 "（一）" in 楷体, level 3 "1." in bold 仿宋."""
        self.blocks.append(Block("heading", text, level=level))
        return self

    def paragraph(
        self, text: str, *, indent: bool = True, align: str = "justify", bold: bool = False, small: bool = False
    ) -> Document:
        """One paragraph per line of `text`; blank lines are dropped."""
        for line in text.splitlines() or [""]:
            if line.strip() or not text.strip():
                self.blocks.append(Block("paragraph", line.strip(), indent=indent, align=align, bold=bold, small=small))
        return self

    def table(self, headers: list[str], rows: list[list[Any]]) -> Document:
        self.blocks.append(Block("table", headers=list(headers), rows=[[_cell(v) for v in row] for row in rows]))
        return self

    def signature(self, sender: str, on: date | None = None) -> Document:
        """The sender and the date, right-aligned, a blank line below the body (落款)."""
        self.blocks.append(Block("paragraph", "", indent=False))
        if sender:
            self.blocks.append(Block("signature", sender, align="right", indent=False))
        if on:
            self.blocks.append(Block("signature", chinese_date(on), align="right", indent=False))
        return self

    def page_break(self) -> Document:
        self.blocks.append(Block("page_break"))
        return self

    def toc(self) -> Document:
        """A table of contents over the level-1 headings (Word fills page numbers on open; PDF lists titles)."""
        self.blocks.append(Block("toc"))
        return self

    def image(self, png: bytes, width_mm: float = 30, align: str = "center") -> Document:
        self.blocks.append(Block("image", image=png, width_mm=width_mm, align=align, indent=False))
        return self

    def to_docx(self) -> bytes:
        return _DocxRenderer(self).render()

    def to_pdf(self) -> bytes:
        return _PdfRenderer(self).render()


def chinese_date(on: date) -> str:
    """Dates in documents are written with Arabic numerals and no leading zeros: 2026年11月5日."""
    return f"{on.year}年{on.month}月{on.day}日"


def merge_docx(documents: list[Document]) -> bytes:
    """Several documents as one Word file, each starting on a new page."""
    merged = Document()
    for i, doc in enumerate(documents):
        if i:
            merged.page_break()
        merged.blocks.extend(doc.blocks)
    return merged.to_docx()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return chinese_date(value)
    return str(value)


# --- Word ---------------------------------------------------------------------------------

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


class _DocxRenderer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out = new_docx()
        section = self.out.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(25)
        section.start_type = WD_SECTION.NEW_PAGE
        style = self.out.styles["Normal"]
        style.font.size = Pt(BODY_PT)
        _set_font(style.element, FONT_BODY)
        self._page_numbers(section)

    def render(self) -> bytes:
        for block in self.doc.blocks:
            getattr(self, f"_{block.kind}")(block)
        buffer = io.BytesIO()
        self.out.save(buffer)
        return buffer.getvalue()

    def _paragraph_with(self, block: Block, text: str, font: str, size: float, bold: bool = False) -> Any:
        para = self.out.add_paragraph()
        fmt = para.paragraph_format
        fmt.alignment = _ALIGN[block.align]
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT if size >= BODY_PT else size * 1.5)
        fmt.space_before = fmt.space_after = Pt(0)
        if block.indent:
            fmt.first_line_indent = Pt(size * 2)
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _set_font(run._element, font)
        return para

    def _title(self, block: Block) -> None:
        para = self._paragraph_with(block, block.text, FONT_TITLE, TITLE_PT)
        para.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)
        para.paragraph_format.space_after = Pt(LINE_PITCH_PT)

    def _subtitle(self, block: Block) -> None:
        self._paragraph_with(block, block.text, FONT_H2, BODY_PT)

    def _heading(self, block: Block) -> None:
        font, bold = {1: (FONT_H1, False), 2: (FONT_H2, False)}.get(block.level, (FONT_BODY, True))
        para = self._paragraph_with(block, block.text, font, BODY_PT, bold)
        # An outline level lets Word's navigation pane and table of contents find the heading.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(block.level - 1))
        para._p.get_or_add_pPr().append(outline)

    def _paragraph(self, block: Block) -> None:
        self._paragraph_with(block, block.text, FONT_BODY, SMALL_PT if block.small else BODY_PT, block.bold)

    def _signature(self, block: Block) -> None:
        para = self._paragraph_with(block, block.text, FONT_BODY, BODY_PT)
        para.paragraph_format.right_indent = Pt(BODY_PT * 2)  # 右空二字

    def _page_break(self, block: Block) -> None:
        self.out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _toc(self, block: Block) -> None:
        self._paragraph_with(Block("paragraph", align="center", indent=False), "目　录", FONT_H1, BODY_PT)
        para = self.out.add_paragraph()
        _field(para, 'TOC \\o "1-2" \\h \\z \\u', "（在 Word 中右键“更新域”以显示页码）")
        for heading in (b for b in self.doc.blocks if b.kind == "heading" and b.level == 1):
            self._paragraph_with(Block("paragraph", indent=False, align="left"), heading.text, FONT_BODY, BODY_PT)
        self._page_break(block)

    def _table(self, block: Block) -> None:
        table = self.out.add_table(rows=1 + len(block.rows), cols=max(1, len(block.headers)))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, values in enumerate([block.headers, *block.rows]):
            for c, value in enumerate(values[: len(block.headers)]):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.paragraphs[0].add_run(value)
                run.font.size = Pt(SMALL_PT)
                run.bold = r == 0
                _set_font(run._element, FONT_H1 if r == 0 else FONT_BODY)
        self.out.add_paragraph()

    def _image(self, block: Block) -> None:
        para = self.out.add_paragraph()
        para.alignment = _ALIGN[block.align]
        para.add_run().add_picture(io.BytesIO(block.image), width=Mm(block.width_mm))

    def _page_numbers(self, section: Any) -> None:
        """ "— 1 —" in 4号: odd pages right, even pages left, each one character in from the edge."""
        self.out.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            para = footer.paragraphs[0]
            para.alignment = _ALIGN[align]
            indent = Pt(PAGE_NUMBER_PT)
            if align == "right":
                para.paragraph_format.right_indent = indent
            else:
                para.paragraph_format.left_indent = indent
            for piece in ("— ", None, " —"):
                if piece is None:
                    _field(para, "PAGE", "1", size=PAGE_NUMBER_PT)
                else:
                    run = para.add_run(piece)
                    run.font.size = Pt(PAGE_NUMBER_PT)
                    _set_font(run._element, "宋体")


def _set_font(element: Any, name: str) -> None:
    """python-docx sets only the Latin font; Chinese text needs the eastAsia attribute too."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _field(paragraph: Any, instruction: str, placeholder: str, size: float = BODY_PT) -> None:
    """A Word field (page number, table of contents) that Word computes when the file is opened."""

    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    shown.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --- PDF ----------------------------------------------------------------------------------


class _PdfRenderer:
    FONT = "STSong-Light"

    def __init__(self, doc: Document) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        if self.FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(self.FONT))
        self.doc = doc
        self.align = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}

        def style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=self.FONT, fontSize=size, leading=leading, wordWrap="CJK", **extra)

        self.styles = {
            "title": style("title", TITLE_PT, LINE_PITCH_PT * 1.3, alignment=TA_CENTER, spaceAfter=LINE_PITCH_PT),
            "body": style("body", BODY_PT, LINE_PITCH_PT),
            "small": style("small", SMALL_PT, SMALL_PT * 1.5),
            "cell": style("cell", SMALL_PT, SMALL_PT * 1.4),
        }

    def _para(self, text: str, base: str, *, align: str = "justify", indent: bool = False, bold: bool = False) -> Any:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        parent = self.styles[base]
        style = ParagraphStyle(
            f"{base}-{align}-{indent}",
            parent=parent,
            alignment=self.align[align],
            firstLineIndent=parent.fontSize * 2 if indent else 0,
        )
        markup = _escape(text) or "&nbsp;"
        return Paragraph(f"<b>{markup}</b>" if bold else markup, style)

    def render(self) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import Image, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

        flow: list[Any] = []
        for block in self.doc.blocks:
            if block.kind == "title":
                flow.append(self._para(block.text, "title", align="center"))
            elif block.kind in ("subtitle", "heading", "paragraph", "signature"):
                base = "small" if block.small else "body"
                flow.append(
                    self._para(
                        block.text,
                        base,
                        align=block.align,
                        indent=block.indent and block.kind != "signature",
                        bold=block.bold or (block.kind == "heading" and block.level >= 3),
                    )
                )
            elif block.kind == "table":
                data = [[self._para(v, "cell", align="left") for v in row] for row in [block.headers, *block.rows]]
                table = Table(
                    data,
                    repeatRows=1,
                    hAlign="CENTER",
                    colWidths=[156 * mm / max(1, len(block.headers))] * len(block.headers),
                )
                table.setStyle(
                    TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
                )
                flow += [table, Spacer(1, 6)]
            elif block.kind == "page_break":
                flow.append(PageBreak())
            elif block.kind == "toc":
                flow.append(self._para("目　录", "body", align="center"))
                for h in (b for b in self.doc.blocks if b.kind == "heading" and b.level == 1):
                    flow.append(self._para(h.text, "body", align="left"))
                flow.append(PageBreak())
            elif block.kind == "image":
                reader = Image(io.BytesIO(block.image), width=block.width_mm * mm, height=block.width_mm * mm)
                reader.hAlign = block.align.upper() if block.align != "justify" else "CENTER"
                flow.append(reader)
        buffer = io.BytesIO()
        pdf = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            topMargin=MARGINS_MM["top"] * mm,
            bottomMargin=MARGINS_MM["bottom"] * mm,
            leftMargin=MARGINS_MM["left"] * mm,
            rightMargin=MARGINS_MM["right"] * mm,
            title=next((b.text for b in self.doc.blocks if b.kind == "title"), ""),
        )
        pdf.build(flow, onFirstPage=self._page_number, onLaterPages=self._page_number)
        return buffer.getvalue()

    def _page_number(self, canvas: Any, pdf: Any) -> None:
        from reportlab.lib.units import mm

        page = canvas.getPageNumber()
        text = f"— {page} —"
        canvas.saveState()
        canvas.setFont(self.FONT, PAGE_NUMBER_PT)
        y = (MARGINS_MM["bottom"] - 10) * mm
        if page % 2:
            canvas.drawRightString((210 - MARGINS_MM["right"]) * mm - PAGE_NUMBER_PT, y, text)
        else:
            canvas.drawString(MARGINS_MM["left"] * mm + PAGE_NUMBER_PT, y, text)
        canvas.restoreState()


def _escape(text: str) -> str:
    """reportlab paragraphs read a small markup language: user text must be inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
