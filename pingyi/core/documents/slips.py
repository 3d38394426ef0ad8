"""Slips to cut from A4 sheets: eight to a page (2 × 4, A7 each), dashed cut lines between them.

Each slip is laid out inside its own cell: the heading across the top, the QR code on the left and,
beside it, the code, the address to type it into and a short note. Nothing crosses a cut line, so
every code is cut out together with its own QR code and address. Faces as in PDF documents.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pingyi.core.qr import qr_png

from . import fonts
from .layout import PAGE_MM
from .typeset import Line, Setter, draw_line

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
CELL_MM = (PAGE_MM[0] / COLUMNS, PAGE_MM[1] / ROWS)  # 105 × 74.25 mm
PADDING_MM = 7.0  # clear of the cut and of a printer's unprintable edge
QR_MM = 34.0
GAP_MM = 4.0
Laid = tuple[list[Line], list[Line]]  # a slip's heading lines, and the lines beside its QR code


@dataclass(frozen=True)
class Slip:
    heading: str
    code: str  # as printed
    link: str  # what the QR code opens
    address: str  # where to type the code in by hand
    note: str


def slip_sheet(slips: list[Slip], *, title: str = "") -> bytes:
    embedding = fonts.Embedding()
    setter = Setter(embedding)
    laid_out = [_lay_out(setter, slip) for slip in slips]
    embedding.register()
    try:
        buffer = io.BytesIO()
        body = embedding.names[fonts.configured()[0]["body"]]
        canvas = Canvas(buffer, pagesize=(PAGE_MM[0] * mm, PAGE_MM[1] * mm), initialFontName=body)
        canvas.setTitle(title)
        for start in range(0, len(slips), PER_PAGE):
            _cut_lines(canvas)
            for n, (slip, blocks) in enumerate(zip(slips[start:], laid_out[start:], strict=False)):
                if n == PER_PAGE:
                    break
                _draw(canvas, slip, blocks, n, embedding)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()
    finally:
        embedding.unregister()


def _lay_out(setter: Setter, slip: Slip) -> Laid:
    """The heading's lines, and the lines beside the QR code."""
    inner = (CELL_MM[0] - 2 * PADDING_MM) * mm
    beside = inner - (QR_MM + GAP_MM) * mm
    # Two lines of heading at most: a third would push the note past the cut.
    heading = setter.lines(slip.heading, role="strong", size=12, width=inner, line_height=16, align="center")[:2]
    lines = setter.lines(slip.code, role="heading1", size=16, width=beside, line_height=24, align="left")
    lines += setter.lines(slip.address, role="body", size=8, width=beside, line_height=11, align="left")
    lines.append(Line(height=5))
    lines += setter.lines(slip.note, role="body", size=9, width=beside, line_height=12.5, align="left")
    return heading, lines


def _cut_lines(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.4)
    canvas.setStrokeGray(0.55)
    width, height = PAGE_MM[0] * mm, PAGE_MM[1] * mm
    for column in range(1, COLUMNS):
        canvas.line(column * CELL_MM[0] * mm, 0, column * CELL_MM[0] * mm, height)
    for row in range(1, ROWS):
        canvas.line(0, row * CELL_MM[1] * mm, width, row * CELL_MM[1] * mm)
    canvas.restoreState()


def _draw(canvas: Canvas, slip: Slip, blocks: Laid, n: int, embedding: fonts.Embedding) -> None:
    heading, lines = blocks
    left = (n % COLUMNS) * CELL_MM[0] * mm + PADDING_MM * mm
    top = PAGE_MM[1] * mm - (n // COLUMNS) * CELL_MM[1] * mm - PADDING_MM * mm
    for line in heading:
        draw_line(canvas, line, left, top, embedding)
        top -= line.height
    top -= 2 * mm
    image = ImageReader(io.BytesIO(qr_png(slip.link)))
    canvas.drawImage(image, left, top - QR_MM * mm, width=QR_MM * mm, height=QR_MM * mm)
    x = left + (QR_MM + GAP_MM) * mm
    for line in lines:
        draw_line(canvas, line, x, top, embedding)
        top -= line.height
