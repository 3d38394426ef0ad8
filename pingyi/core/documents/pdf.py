"""The PDF renderer: every line of text on the GB/T 9704 grid, in embedded faces (docs/adr/0010).

Text blocks become lines of a fixed height (layout.LINE_PITCH_PT for 3号 text), set by typeset.py;
reportlab's platypus only stacks them, with tables and images, into a frame that is exactly the
22 line boxes of the type area, and breaks pages between lines. A line may be glued to the one
before it: the first line after a heading, and the signature block with the last line of the body,
so neither is left alone at the foot or the head of a page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, PageBreak, PageTemplate, Table, TableStyle

from . import Block, Document, fonts
from .layout import (
    BODY_PT,
    CHAR_PITCH_PT,
    INDENT_PT,
    LEFT_PT,
    LINE_PITCH_PT,
    PAGE_MM,
    PAGE_NUMBER_PT,
    PAGE_NUMBER_TOP_MM,
    PT_PER_MM,
    SMALL_LEADING_PT,
    SMALL_PT,
    TEXT_HEIGHT_PT,
    TEXT_TOP_PT,
    TITLE_PT,
    TYPE_WIDTH_PT,
    baseline_in_line,
)
from .typeset import Line, Setter, draw_line

WIDTH = TYPE_WIDTH_PT
CELL_PADDING_PT = 5.4  # Word's default cell margin (0.19 cm), so tables are as tall in both formats
HEADING_ROLES = {1: "heading1", 2: "heading2"}
TOC_NUMBER_ROOM_PT = 3 * CHAR_PITCH_PT


def render_pdf(doc: Document) -> bytes:
    renderer = _Renderer(doc)
    try:
        return renderer.render()
    finally:
        renderer.embedding.unregister()


@dataclass
class Pagination:
    """Where the pages break, for the Word renderer to follow: it cannot compute this itself."""

    heading_pages: list[int]  # the page of each level-1 heading, for the table of contents
    forced_breaks: set[tuple[int, int]]  # (block, offset): a paragraph broken early to keep the signature company


def paginate(doc: Document) -> Pagination:
    """Lay the document out without drawing or embedding anything (no fonts are subset)."""
    renderer = _Renderer(doc)
    renderer.build(toc_pages=None)
    return Pagination(renderer.heading_pages, renderer.forced_breaks)


class _TextFlow(Flowable):
    """Lines stacked top to bottom; it splits only between lines, and never before a glued one."""

    def __init__(self, lines: list[Line], embedding: fonts.Embedding, forced: set[tuple[int, int]]) -> None:
        super().__init__()
        self.lines = lines
        self.embedding = embedding
        self.forced = forced  # where the glue moved a break up into a paragraph

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, sum(line.height for line in self.lines)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        used, cut, fits = 0.0, 0, 0
        for k, line in enumerate(self.lines, start=1):
            used += line.height
            if used > available_height + 0.01:
                break
            fits = k
            if k < len(self.lines) and not self.lines[k].glue:
                cut = k
        if cut == 0:
            return []
        source = self.lines[cut].source
        if cut < fits and source and source[1] > 0:
            self.forced.add(source)
        return [
            _TextFlow(self.lines[:cut], self.embedding, self.forced),
            _TextFlow(self.lines[cut:], self.embedding, self.forced),
        ]

    def draw(self) -> None:
        top = self.height
        for line in self.lines:
            draw_line(self.canv, line, 0, top, self.embedding)
            top -= line.height


class _Renderer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.embedding = fonts.Embedding()
        self.set = Setter(self.embedding)
        self.heading_pages: list[int] = []
        self.forced_breaks: set[tuple[int, int]] = set()
        self.set.line("— 0123456789", role="page_number", size=PAGE_NUMBER_PT, height=PAGE_NUMBER_PT)
        self.set.line("0123456789", role="body", size=BODY_PT, height=BODY_PT)  # table-of-contents page numbers

    def render(self) -> bytes:
        self.flowables(None)  # every character the document sets, noted for the subsets
        self.embedding.register()
        data = self.build(toc_pages=None)
        if any(b.kind == "toc" for b in self.doc.blocks):
            # Second pass: the entries take the same lines, so only their numbers change.
            data = self.build(toc_pages=list(self.heading_pages))
        return data

    def build(self, toc_pages: list[int] | None) -> bytes:
        self.heading_pages = []
        flow = self.flowables(toc_pages)
        body = self.embedding.names.get(fonts.configured()[0]["body"])  # None in a pass that only paginates
        for table in (f for f in flow if isinstance(f, Table) and body):
            table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), body)]))  # else reportlab names Helvetica
        buffer = io.BytesIO()
        frame = Frame(
            LEFT_PT,
            PAGE_MM[1] * mm - TEXT_TOP_PT - TEXT_HEIGHT_PT - 0.5,
            WIDTH,
            TEXT_HEIGHT_PT + 0.5,  # 22 line boxes exactly, with room for rounding but not for a 23rd line
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="type-area",
        )
        title = next((b.text for b in self.doc.blocks if b.kind == "title"), "")
        pdf = BaseDocTemplate(
            buffer,
            pagesize=(PAGE_MM[0] * mm, PAGE_MM[1] * mm),
            title=title,
            author="",
            # reportlab's default Helvetica would be listed unembedded though no character uses it
            initialFontName=body,
        )
        pdf.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page_number)])
        pdf.build(flow)
        return buffer.getvalue()

    # --- blocks to flowables -----------------------------------------------------------------

    def flowables(self, toc_pages: list[int] | None) -> list[Any]:
        flow: list[Any] = []
        pending: list[Line] = []
        glue_next = False

        def add(
            lines: list[Line], *, glue_first: bool = False, together: bool = False, keep_with_next: bool = False
        ) -> None:
            """Lines of one block: glued to what comes before, to each other, or to what comes after."""
            nonlocal glue_next
            for n, line in enumerate(lines):
                line.glue = line.glue or (together if n else glue_first or glue_next)
            pending.extend(lines)
            glue_next = keep_with_next

        def flush() -> None:
            nonlocal glue_next
            if pending:
                flow.append(_TextFlow(list(pending), self.embedding, self.forced_breaks))
                pending.clear()
            glue_next = False

        for index, block in enumerate(self.doc.blocks):
            if block.kind == "title":
                title = [*self._text(block.text, "title", TITLE_PT), Line(LINE_PITCH_PT)]  # 标题下空一行
                add(title, together=True, keep_with_next=True)
            elif block.kind == "subtitle":
                add(self._text(block.text, "heading2", BODY_PT, align="center"), together=True, keep_with_next=True)
            elif block.kind == "heading":
                role = HEADING_ROLES.get(block.level, "strong")
                lines = self._text(block.text, role, BODY_PT, block.align, INDENT_PT if block.indent else 0)
                if block.level == 1:
                    lines[0].on_draw = self._record_page
                add(lines, together=True, keep_with_next=True)
            elif block.kind == "paragraph":
                add(_sourced(self._paragraph(block), index, block.text))
            elif block.kind == "signature":
                add(self._signature(block), glue_first=True, together=True)
            elif block.kind == "toc":
                add(self._toc(toc_pages))
                flush()
                flow.append(PageBreak())
            elif block.kind == "page_break":
                flush()
                flow.append(PageBreak())
            elif block.kind == "table":
                flush()
                flow.append(self._table(block))
                add([Line(LINE_PITCH_PT)])
            elif block.kind == "image":
                flush()
                flow.append(self._image(block))
        flush()
        return flow

    def _text(self, text: str, role: str, size: float, align: str = "center", indent: float = 0.0) -> list[Line]:
        return self.set.lines(
            text, role=role, size=size, width=WIDTH, line_height=LINE_PITCH_PT, align=align, indent=indent
        )

    def _paragraph(self, block: Block) -> list[Line]:
        size, height = (SMALL_PT, SMALL_LEADING_PT) if block.small else (BODY_PT, LINE_PITCH_PT)
        if not block.text:
            return [Line(height)]
        return self.set.lines(
            block.text,
            role="strong" if block.bold else "body",
            size=size,
            width=WIDTH,
            line_height=height,
            align=block.align,
            indent=2 * (size + (CHAR_PITCH_PT - BODY_PT)) if block.indent else 0.0,
        )

    def _signature(self, block: Block) -> list[Line]:
        """A blank line, the sender centred over the date, the date four characters in from the right."""
        lines = [Line(LINE_PITCH_PT)]
        sender, on = block.text, block.date_text
        date_right = 4 * CHAR_PITCH_PT
        if sender:
            sender_width = self.set.width(sender, "body", BODY_PT)
            if on:
                centre = date_right + self.set.width(on, "body", BODY_PT) / 2
                right = max(0.0, centre - sender_width / 2)
            else:
                right = 2 * CHAR_PITCH_PT
            lines += self._right(sender, right)
        if on:
            lines += self._right(on, date_right)
        return lines

    def _right(self, text: str, right_indent: float) -> list[Line]:
        return self.set.lines(
            text,
            role="body",
            size=BODY_PT,
            width=WIDTH,
            line_height=LINE_PITCH_PT,
            align="right",
            right_indent=right_indent,
        )

    def _toc(self, pages: list[int] | None) -> list[Line]:
        lines = [*self._text("目　录", "heading1", BODY_PT), Line(LINE_PITCH_PT)]
        headings = [b for b in self.doc.blocks if b.kind == "heading" and b.level == 1]
        for n, heading in enumerate(headings):
            entry = self.set.lines(
                heading.text,
                role="body",
                size=BODY_PT,
                width=WIDTH - TOC_NUMBER_ROOM_PT,
                line_height=LINE_PITCH_PT,
                align="left",
            )
            number = str(pages[n]) if pages and n < len(pages) else "0"
            x = WIDTH - self.set.width(number, "body", BODY_PT)
            last = entry[-1]
            end_of_text = last.runs[-1].x + self.set.width(last.runs[-1].text, "body", BODY_PT) if last.runs else 0
            last.runs += self.set.line(number, role="body", size=BODY_PT, height=LINE_PITCH_PT, x=x).runs
            last.on_draw = _leader(end_of_text + 4, x - 4, LINE_PITCH_PT, BODY_PT)
            lines += entry
        return lines

    def _table(self, block: Block) -> Table:
        columns = max(1, len(block.headers))
        column_width = WIDTH / columns

        def cell(text: str, header: bool) -> _TextFlow:
            lines: list[Line] = []
            for part in text.split("\n"):
                if not part:
                    lines.append(Line(SMALL_LEADING_PT))
                    continue
                lines += self.set.lines(
                    part,
                    role="heading1" if header else "body",
                    size=SMALL_PT,
                    width=column_width - 2 * CELL_PADDING_PT,
                    line_height=SMALL_LEADING_PT,
                    align="left",
                )
            return _TextFlow(lines or [Line(SMALL_LEADING_PT)], self.embedding, self.forced_breaks)

        data = [[cell(v, r == 0) for v in row[:columns]] for r, row in enumerate([block.headers, *block.rows])]
        table = Table(data, colWidths=[column_width] * columns, repeatRows=1, hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def _image(self, block: Block) -> Image:
        from reportlab.lib.utils import ImageReader

        width, height = ImageReader(io.BytesIO(block.image)).getSize()
        image = Image(io.BytesIO(block.image), width=block.width_mm * mm, height=block.width_mm * mm * height / width)
        image.hAlign = block.align.upper() if block.align in ("left", "center", "right") else "CENTER"
        return image

    def _page_number(self, canvas: Any, pdf: Any) -> None:
        """ "— 1 —" 7 mm below the type area: odd pages one character in from the right, even from the left."""
        if not self.embedding.names:
            return
        page = canvas.getPageNumber()
        text = f"— {page} —"
        width = self.set.width(text, "page_number", PAGE_NUMBER_PT)
        x = LEFT_PT + WIDTH - PAGE_NUMBER_PT - width if page % 2 else LEFT_PT + PAGE_NUMBER_PT
        line = self.set.line(text, role="page_number", size=PAGE_NUMBER_PT, height=PAGE_NUMBER_PT)
        draw_line(canvas, line, x, PAGE_MM[1] * mm - PAGE_NUMBER_TOP_MM * PT_PER_MM, self.embedding)

    def _record_page(self, canvas: Any, x: float, top: float) -> None:
        self.heading_pages.append(canvas.getPageNumber())


def _sourced(lines: list[Line], block: int, text: str) -> list[Line]:
    """Note where in the block's text each line starts (the Word renderer may need to break there)."""
    offset = 0
    for line in lines:
        offset = text.find(line.text[:1], offset) if line.text else offset
        line.source = (block, offset)
        offset += len(line.text)
    return lines


def _leader(x0: float, x1: float, height: float, size: float) -> Any:
    """The dotted leader of a table-of-contents entry, on the entry's baseline."""

    def draw(canvas: Any, x: float, top: float) -> None:
        if x1 <= x0:
            return
        y = top - baseline_in_line(height, size)
        canvas.saveState()
        canvas.setDash(1, 3)
        canvas.setLineWidth(1)
        canvas.line(x + x0, y, x + x1, y)
        canvas.restoreState()

    return draw
