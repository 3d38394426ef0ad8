"""Setting text into lines for the PDF: breaking (linebreak), a face per character (fonts), positions.

A `Line` knows where each run of characters goes; `draw_line` puts it on a reportlab canvas. The PDF
renderer stacks lines on the GB/T 9704 grid, the slip sheet places them in its cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import fonts
from .layout import CHAR_SPACING_PT, baseline_in_line
from .linebreak import HANGING, break_lines


@dataclass
class Run:
    x: float
    face: fonts.Face
    text: str
    char_space: float


@dataclass
class Line:
    """One line box: `height` tall, its characters at `size` points, split into runs of one face each."""

    height: float
    size: float = 0.0
    runs: list[Run] = field(default_factory=list)
    glue: bool = False  # the page may not break before this line
    on_draw: Callable[[Any, float, float], None] | None = None  # (canvas, x, top), e.g. a leader
    source: tuple[int, int] | None = None  # (block, offset of the line's first character in the block's text)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class Setter:
    """Sets text in the faces of an `Embedding`, noting every character it uses so it gets embedded."""

    def __init__(self, embedding: fonts.Embedding) -> None:
        self.embedding = embedding

    def advance(self, role: str, size: float) -> Callable[[str], float]:
        return lambda ch: fonts.face_for(role, ch).advance(ch) * size + CHAR_SPACING_PT

    def width(self, text: str, role: str, size: float) -> float:
        advance = self.advance(role, size)
        return sum(advance(ch) for ch in text)

    def lines(
        self,
        text: str,
        *,
        role: str,
        size: float,
        width: float,
        line_height: float,
        align: str = "justify",
        indent: float = 0.0,
        right_indent: float = 0.0,
    ) -> list[Line]:
        """A paragraph as lines; justified lines but the last fill the width, the others align as asked."""
        advance = self.advance(role, size)
        texts = break_lines(text, advance, [width - indent - right_indent, width - right_indent])
        out = []
        for n, line_text in enumerate(texts):
            start = indent if n == 0 else 0.0
            room = width - start - right_indent
            natural = sum(advance(ch) for ch in line_text)
            if natural > room + 1e-6 and line_text[-1] in HANGING:
                natural -= advance(line_text[-1])  # it hangs in the margin: the line is measured without it
            extra = 0.0
            if align == "justify" and n < len(texts) - 1 and len(line_text) > 1:
                extra = (room - natural) / (len(line_text) - 1 - (line_text[-1] in HANGING))
            elif align == "center":
                start += (room - natural) / 2
            elif align == "right":
                start += room - natural
            out.append(self.line(line_text, role=role, size=size, height=line_height, x=start, extra=extra))
        return out

    def line(self, text: str, *, role: str, size: float, height: float, x: float = 0.0, extra: float = 0.0) -> Line:
        """One line as it comes, starting at x, with `extra` points added after every character."""
        line = Line(height=height, size=size)
        for ch in text:
            face = fonts.face_for(role, ch)
            self.embedding.note(face, ch)
            if line.runs and line.runs[-1].face == face:
                line.runs[-1].text += ch
            else:
                line.runs.append(Run(x, face, ch, CHAR_SPACING_PT + extra))
            x += face.advance(ch) * size + CHAR_SPACING_PT + extra
        return line


def draw_line(canvas: Any, line: Line, x: float, top: float, embedding: fonts.Embedding) -> None:
    """Draw `line` with its box's top-left corner at (x, top) in reportlab's upward coordinates.

    Before the faces are registered (a pass that only paginates) nothing but the callbacks runs.
    """
    if line.on_draw:
        line.on_draw(canvas, x, top)
    if not line.runs or not embedding.names:
        return
    baseline = top - baseline_in_line(line.height, line.size)
    for run in line.runs:
        text = canvas.beginText(x + run.x, baseline)
        text.setFont(embedding.names[run.face], line.size)
        text.setCharSpace(run.char_space)
        text.textOut(run.text)
        canvas.drawText(text)
