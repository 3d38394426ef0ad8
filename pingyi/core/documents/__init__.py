"""Letters, minutes, notices and reports in the layout of Chinese official documents (GB/T 9704-2012).

Build a `Document` from blocks once; render it as Word (`to_docx`) for editing or as PDF (`to_pdf`)
for printing. Both renderers set the same page (layout.py): A4, a 156 × 225 mm type area 37 mm from
the top and 28 mm from the binding edge, 22 lines of 28 characters; the title in 2号 小标宋 centred;
body text in 3号 仿宋 with a two-character first-line indent; first-level headings (一、) in 黑体,
second-level (（一）) in 楷体; page numbers "— 1 —" in 4号 宋体, odd pages right, even pages left;
the sender centred over the date, the date four characters in from the right margin.

    doc = Document(title="关于……的通报")
    doc.heading("一、基本情况")
    doc.paragraph("……")
    doc.table(["姓名", "等次"], [["张三", "合格"]])
    doc.signature("中共××支部委员会", date(2026, 11, 25))
    data = doc.to_docx()

The Word file names the fonts offices have (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, with the stock
Windows faces as alternatives); the PDF embeds subsets of the faces in settings.DOCUMENT_FONTS.
Why the PDF has a renderer of its own rather than LibreOffice: docs/adr/0010.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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
    date_text: str = ""  # a signature's date, under the sender


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
        """The sender over the date, a blank line below the body (落款); it stays on the page of the body's end."""
        self.blocks.append(Block("signature", sender, indent=False, date_text=chinese_date(on) if on else ""))
        return self

    def page_break(self) -> Document:
        self.blocks.append(Block("page_break"))
        return self

    def toc(self) -> Document:
        """A table of contents over the level-1 headings, with their page numbers in both formats."""
        self.blocks.append(Block("toc"))
        return self

    def image(self, png: bytes, width_mm: float = 30, align: str = "center") -> Document:
        self.blocks.append(Block("image", image=png, width_mm=width_mm, align=align, indent=False))
        return self

    def to_docx(self) -> bytes:
        from .word import render_docx

        return render_docx(self)

    def to_pdf(self) -> bytes:
        from .pdf import render_pdf

        return render_pdf(self)


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
