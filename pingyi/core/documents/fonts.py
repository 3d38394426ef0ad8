"""The faces the PDF renderer embeds: one per role, from settings.DOCUMENT_FONTS, with fallbacks.

Each role names a font file (`path`, or `path#N` / `path#Family Name` for one face of a .ttc).
The defaults are fonts Debian packages; an organisation that owns 方正小标宋简体 or 仿宋_GB2312
points the settings at those files. A character the role's face lacks (a rare character in a
name, U+20000 and beyond) is set in the first fallback face that has it, never as an empty box.

reportlab embeds TrueType outlines only, and the Noto CJK faces are CFF: so for every document the
characters it uses are cut out of each face with fontTools (a few hundred glyphs, not 65,000),
converted to TrueType outlines when needed, and embedded as that subset.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from reportlab.pdfbase import ttfonts

logger = logging.getLogger(__name__)

ROLES = ("title", "body", "strong", "heading1", "heading2", "page_number")


@dataclass(frozen=True)
class Face:
    path: str
    index: int = 0

    @property
    def metrics(self) -> _Metrics:
        return _metrics(self)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.metrics.cmap

    def advance(self, ch: str) -> float:
        """The character's advance in em (an unknown character counts as one em)."""
        m = self.metrics
        glyph = m.cmap.get(ord(ch))
        return m.advances.get(glyph, m.upem) / m.upem if glyph else 1.0


@dataclass(frozen=True)
class _Metrics:
    postscript_name: str
    cmap: dict[int, str]
    advances: dict[str, int]
    upem: int


def parse(spec: str) -> Face:
    """`path`, `path#2` or `path#Noto Serif CJK SC` (a face of a .ttc chosen by index or by name)."""
    path, _, which = spec.partition("#")
    if not which:
        return Face(path)
    if which.isdigit():
        return Face(path, int(which))
    for index, font in enumerate(TTCollection(path, lazy=True).fonts):
        names = {font["name"].getDebugName(n) for n in (1, 4, 16)}
        if which in names:
            return Face(path, index)
    raise ImproperlyConfigured(f"{path} has no face named {which!r}")


@lru_cache(maxsize=32)
def _metrics(face: Face) -> _Metrics:
    font = _open(face)
    hmtx = font["hmtx"].metrics
    return _Metrics(
        postscript_name=font["name"].getDebugName(6) or Path(face.path).stem,
        cmap=dict(font.getBestCmap()),
        advances={glyph: advance for glyph, (advance, _) in hmtx.items()},
        upem=font["head"].unitsPerEm,
    )


def _open(face: Face) -> TTFont:
    return TTFont(face.path, fontNumber=face.index if face.path.lower().endswith(".ttc") else -1, lazy=True)


@lru_cache(maxsize=1)
def configured() -> tuple[dict[str, Face], tuple[Face, ...]]:
    """The face of each role and the fallbacks, as the settings name them (a missing file falls back to body)."""
    specs: dict[str, str] = settings.DOCUMENT_FONTS
    faces: dict[str, Face] = {}
    for role in ("body", *[r for r in ROLES if r != "body"]):
        spec = specs.get(role, "")
        if spec and Path(spec.partition("#")[0]).is_file():
            faces[role] = parse(spec)
        elif role == "body":
            raise ImproperlyConfigured(f"DOCUMENT_FONTS['body'] is not a font file: {spec!r} (install fonts-noto-cjk)")
        else:
            logger.warning("DOCUMENT_FONTS[%r] is not a font file (%r): using the body face", role, spec)
            faces[role] = faces["body"]
    present = [spec for spec in settings.DOCUMENT_FALLBACK_FONTS if Path(spec.partition("#")[0]).is_file()]
    fallbacks = tuple(parse(spec) for spec in present)
    return faces, fallbacks


def face_for(role: str, ch: str) -> Face:
    """The role's face, or the first fallback that has the character (the role's face if none has)."""
    faces, fallbacks = configured()
    face = faces[role]
    if face.has(ch) or ch in "\n\r":
        return face
    return next((f for f in fallbacks if f.has(ch)), face)


class Embedding:
    """The subsets one PDF embeds: note the text each face sets, then register them with reportlab."""

    def __init__(self) -> None:
        self.used: dict[Face, set[str]] = {}
        self.names: dict[Face, str] = {}

    def note(self, face: Face, text: str) -> None:
        self.used.setdefault(face, set()).update(text)

    def register(self) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

        for face, chars in self.used.items():
            # A name of its own per document, set straight into the registry: registerFont would hand back the
            # first subset ever registered under the same face name, which lacks this document's characters.
            name = f"{face.metrics.postscript_name}-{uuid.uuid4().hex[:8]}"
            pdfmetrics._fonts[name] = ReportlabFont(name, io.BytesIO(_subset_kept(face, frozenset(chars))))
            self.names[face] = name

    def unregister(self) -> None:
        from reportlab.pdfbase import pdfmetrics

        for name in self.names.values():
            pdfmetrics._fonts.pop(name, None)  # reportlab has no public way to forget a font
        self.names.clear()


@lru_cache(maxsize=64)
def _subset_kept(face: Face, chars: frozenset[str]) -> bytes:
    """A subset takes a CJK face a second or more to cut; the same document downloaded again (a notice read
    by every member, a letter printed twice) sets the same characters, so its subsets are kept."""
    return subset_truetype(face, set(chars))


def subset_truetype(face: Face, chars: set[str]) -> bytes:
    """The face cut down to `chars`, with TrueType outlines (reportlab cannot embed CFF)."""
    font = _open(face)
    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += [
        "VORG",
        "vhea",
        "vmtx",
        "BASE",
        "EBDT",
        "EBLC",
        "EBSC",
        "DSIG",
        "BDF",
        "FFTM",
        "PfEd",
    ]  # compared stripped
    subsetter = subset.Subsetter(options)
    # reportlab sets a no-break space as a space: without U+0020 in the subset it would draw an empty box.
    subsetter.populate(unicodes=[ord(ch) for ch in chars | {" ", "\u00a0"} if ch not in "\n\r"])
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    _one_cmap(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _one_cmap(font: TTFont) -> None:
    """Every Unicode cmap subtable maps every character kept. Noto's BMP table leaves out some (U+4DAE),
    and reportlab reads that table, not the full one."""
    mapping = font.getBestCmap()
    tables = [t for t in font["cmap"].tables if t.isUnicode()]
    for table in tables:
        table.cmap = {code: glyph for code, glyph in mapping.items() if table.format != 4 or code <= 0xFFFF}
    font["cmap"].tables = tables


def _cff_to_glyf(font: TTFont) -> None:
    """Convert cubic CFF outlines to quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


_ASTRAL = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")
_make_to_unicode = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's, with characters beyond U+FFFF (U+20000 in a name) written as UTF-16, so they copy out."""

    def utf16(match: re.Match[str]) -> str:
        return f"<{match[1]}> <{chr(int(match[2], 16)).encode('utf-16-be').hex().upper()}>"

    return _ASTRAL.sub(utf16, _make_to_unicode(fontname, subset))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
