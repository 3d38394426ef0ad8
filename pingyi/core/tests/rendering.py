"""Reading rendered documents as a reader would: pages of lines with positions in millimetres and faces.

`measure(pdf)` groups pdfplumber's characters into lines by baseline; `libreoffice_pdf(docx)` converts a
Word file the way LibreOffice prints it, with the Word font names resolved to the faces the PDF
renderer uses (so both formats can be compared line for line). Tests that need LibreOffice skip
with a reason where `soffice` is missing; CI installs it (.ci/run).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from pingyi.core.documents import fonts, word
from pingyi.core.documents.layout import EM_ASCENT, PT_PER_MM


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    font: str  # the face's PostScript name, the subset prefix removed


@dataclass
class Line:
    page: int
    baseline: float  # mm from the top of the page
    size: float  # points
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def top(self) -> float:
        """The top of the characters' em box (what a ruler against the type meets), mm from the top."""
        return self.baseline - EM_ASCENT * self.size / PT_PER_MM

    @property
    def bottom(self) -> float:
        return self.baseline + (1 - EM_ASCENT) * self.size / PT_PER_MM

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def fonts(self) -> set[str]:
        return {c.font for c in self.chars if c.text.strip()}


def measure(pdf: bytes) -> list[list[Line]]:
    """Every page's lines, top to bottom; a line is the characters on one baseline."""
    pages: list[list[Line]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        for number, page in enumerate(opened.pages, start=1):
            rows: dict[float, list[dict]] = {}
            for c in page.chars:
                baseline = round((page.height - c["matrix"][5]) / PT_PER_MM, 1)
                key = next((k for k in rows if abs(k - baseline) < 0.5), baseline)
                rows.setdefault(key, []).append(c)
            lines = []
            for baseline in sorted(rows):
                chars = sorted(rows[baseline], key=lambda c: c["x0"])
                lines.append(
                    Line(
                        page=number,
                        baseline=baseline,
                        size=round(max(c["size"] for c in chars), 1),
                        chars=[
                            Char(c["text"], c["x0"] / PT_PER_MM, c["x1"] / PT_PER_MM, c["fontname"].partition("+")[2])
                            for c in chars
                        ],
                    )
                )
            pages.append(lines)
    return pages


def unembedded_fonts(pdf: bytes) -> list[str]:
    """The fonts `pdffonts` (poppler) lists as not embedded; skips where poppler-utils is missing."""
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts is not installed (apt-get install poppler-utils; .ci/run does)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        listing = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "pdffonts found no font at all"
    return [row.split()[0] for row in rows if row.split()[-5] != "yes"]


def libreoffice_pdf(docx: bytes, workdir: Path) -> bytes:
    """The Word file as LibreOffice prints it, with 仿宋_GB2312 & co. resolved to the configured faces."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui; .ci/run does)")
    (workdir / "in.docx").write_bytes(docx)
    (workdir / "fonts.conf").write_text(_fontconfig())
    env = {"FONTCONFIG_FILE": str(workdir / "fonts.conf"), "HOME": str(workdir), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{workdir}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(workdir / "in.docx"),
        ],
        env=env,
        capture_output=True,
        check=True,
        timeout=180,
    )
    return (workdir / "in.pdf").read_bytes()


def _fontconfig() -> str:
    """Map the names the Word file asks for onto the faces the PDF renderer embeds, and nothing else."""
    faces, _ = fonts.configured()
    rules = []
    for role in word.FONTS:
        face = faces[role]
        font = TTFont(face.path, fontNumber=face.index if face.path.endswith(".ttc") else -1, lazy=True)
        family, style = font["name"].getDebugName(1), font["name"].getDebugName(2)
        rules.append(
            f'<match target="pattern"><test name="family"><string>{word.font_name(role)}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit>'
            f'<edit name="style" mode="assign" binding="strong"><string>{style}</string></edit></match>'
        )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + "".join(rules) + "</fontconfig>"
    )
