"""The Word renderer: the same page as the PDF (layout.py), in fonts Word and WPS find on office PCs.

The grid: exact 29.6 pt lines (22 to a page, docGrid says so to Word's page setup) and characters
set 0.25 pt closer (28 to a line) in the Normal style, so text typed later keeps the grid too. Not
a character grid (docGrid linesAndChars): LibreOffice puts each 3号 character in two of its cells
and sets 14 to a line. A comma or full stop at the margin hangs, as Word, LibreOffice and the PDF do.

Fonts: each role names the face offices own (仿宋_GB2312, 楷体_GB2312, 方正小标宋简体) and, in the
font table, the stock Windows face as its alternative name with the GB2312 charset and PANOSE,
so a PC without the GB2312 fonts shows 仿宋 / 楷体 instead of a Japanese fallback.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips

from . import Block, Document
from .layout import (
    BODY_PT,
    CHAR_PITCH_PT,
    CHAR_SPACING_PT,
    INDENT_PT,
    LINE_PITCH_PT,
    PAGE_MM,
    PAGE_NUMBER_PT,
    PAGE_NUMBER_TOP_MM,
    PT_PER_MM,
    SMALL_LEADING_PT,
    SMALL_PT,
    TITLE_PT,
    TYPE_WIDTH_PT,
    margins_twips,
    twips,
)

# The name Word looks for, and the font table's alternatives, charset 86 (GB2312) and PANOSE.
FONTS = {
    "title": ("方正小标宋简体", "方正小标宋_GBK,华文中宋,宋体", "02000000000000000000"),
    "body": ("仿宋_GB2312", "仿宋,FangSong", "02010609030101010101"),
    "heading1": ("黑体", "SimHei", "02010609060101010101"),
    "heading2": ("楷体_GB2312", "楷体,KaiTi", "02010609030101010101"),
    "page_number": ("宋体", "SimSun", "02010600030101010101"),
}
HEADING_ROLES = {1: "heading1", 2: "heading2"}
logger = logging.getLogger(__name__)
PAGE_NUMBER_LINE_PT = PAGE_NUMBER_PT * 1.2
_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def render_docx(doc: Document) -> bytes:
    return _Renderer(doc).render()


def font_name(role: str) -> str:
    return FONTS[role][0]


class _Renderer:
    def __init__(self, doc: Document) -> None:
        from .pdf import paginate

        self.doc = doc
        self.out = new_docx()
        self.break_before = False
        self.index = 0
        # Word cannot be told to move the last line of a paragraph with the signature (keepNext moves the whole
        # paragraph or nothing), nor where the pieces of a collection start: the PDF's pagination says both.
        needed = any(b.kind in ("toc", "signature") for b in doc.blocks)
        self.pagination = None
        if needed and fonts_installed():
            self.pagination = paginate(doc)
        self._page()
        self._styles()
        self._font_table()
        self._page_numbers(self.out.sections[0])

    def render(self) -> bytes:
        for index, block in enumerate(self.doc.blocks):
            self.index = index
            getattr(self, f"_{block.kind}")(block)
        buffer = io.BytesIO()
        self.out.save(buffer)
        return buffer.getvalue()

    # --- the page, the styles, the fonts -------------------------------------------------------

    def _page(self) -> None:
        section = self.out.sections[0]
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        margins = margins_twips()
        section.top_margin, section.bottom_margin = Twips(margins["top"]), Twips(margins["bottom"])
        section.left_margin, section.right_margin = Twips(margins["left"]), Twips(margins["right"])
        # The footer's line box ends this far above the paper's edge, so its dashes stand 7 mm below the type.
        number_top = PAGE_NUMBER_TOP_MM * PT_PER_MM - (PAGE_NUMBER_LINE_PT - PAGE_NUMBER_PT) / 2
        section.footer_distance = Twips(twips(PAGE_MM[1] * PT_PER_MM - number_top - PAGE_NUMBER_LINE_PT))
        section.start_type = WD_SECTION.NEW_PAGE
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(twips(LINE_PITCH_PT)))

    def _styles(self) -> None:
        styles = self.out.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        lang.set(qn("w:eastAsia"), "zh-CN")
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        normal = self.out.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_font(normal.element, "body")
        rpr = normal.element.get_or_add_rPr()
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twips(CHAR_SPACING_PT)))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False  # every page holds its 22 lines
        ppr = normal.element.get_or_add_pPr()
        # No extra quarter-space between Chinese and Latin letters or digits: the PDF sets none either.
        _ppr_set(ppr, "w:autoSpaceDE", "0")
        _ppr_set(ppr, "w:autoSpaceDN", "0")

    def _font_table(self) -> None:
        part = next(p for p in self.out.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        table = parse_xml(part.blob)
        for name, alternatives, panose in FONTS.values():
            for old in table.findall(qn("w:font")):
                if old.get(qn("w:name")) == name:
                    table.remove(old)
            table.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternatives}"/>'
                    f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="modern"/>'
                    '<w:pitch w:val="fixed"/><w:sig w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016"'
                    ' w:usb3="00000000" w:csb0="00040001" w:csb1="00000000"/></w:font>'
                )
            )
        from lxml import etree

        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    # --- blocks ------------------------------------------------------------------------------

    def _paragraph_with(self, block: Block, text: str, role: str, size: float, *, bold: bool = False) -> Any:
        para = self.out.add_paragraph()
        fmt = para.paragraph_format
        fmt.alignment = _ALIGN[block.align]
        if size != BODY_PT:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(LINE_PITCH_PT if size > BODY_PT else SMALL_LEADING_PT)
            _off_grid(para)
        if block.indent:
            fmt.first_line_indent = Pt(INDENT_PT * size / BODY_PT)
        if self.break_before:
            fmt.page_break_before = True
            self.break_before = False
        run = para.add_run(text)
        if size != BODY_PT:
            run.font.size = Pt(size)
        run.bold = bold or None
        _set_font(run._element, role)
        return para

    def _title(self, block: Block) -> None:
        para = self._paragraph_with(block, block.text, "title", TITLE_PT)
        para.paragraph_format.space_after = Pt(LINE_PITCH_PT)  # 标题下空一行
        para.paragraph_format.keep_with_next = True

    def _subtitle(self, block: Block) -> None:
        self._paragraph_with(block, block.text, "heading2", BODY_PT).paragraph_format.keep_with_next = True

    def _heading(self, block: Block) -> None:
        role = HEADING_ROLES.get(block.level, "body")
        para = self._paragraph_with(block, block.text, role, BODY_PT, bold=block.level >= 3)
        para.paragraph_format.keep_with_next = True
        # An outline level lets Word's navigation pane and table of contents find the heading.
        _ppr_set(para._p.get_or_add_pPr(), "w:outlineLvl", str(block.level - 1))

    def _paragraph(self, block: Block) -> None:
        size = SMALL_PT if block.small else BODY_PT
        breaks = sorted(o for b, o in (self.pagination.forced_breaks if self.pagination else ()) if b == self.index)
        if not breaks:
            self._paragraph_with(block, block.text, "body", size, bold=block.bold)
            return
        # The page turns inside this paragraph where the PDF turned it, so its last line goes with the signature.
        para = self._paragraph_with(block, block.text[: breaks[0]], "body", size, bold=block.bold)
        para.add_run().add_break(WD_BREAK.PAGE)
        rest = para.add_run(block.text[breaks[0] :])
        rest.bold = block.bold or None
        _set_font(rest._element, "body")

    def _signature(self, block: Block) -> None:
        """A blank line, the sender centred over the date, the date four characters in from the right."""
        body = self.out.element.body
        previous = body[-2] if len(body) > 1 else None  # the last paragraph before the sectPr
        if previous is not None and previous.tag == qn("w:p"):
            _ppr_set(previous.get_or_add_pPr(), "w:keepNext")  # the body's last line goes with the signature
        blank = self._paragraph_with(Block("paragraph", indent=False), "", "body", BODY_PT)
        blank.paragraph_format.keep_with_next = True
        sender, on = block.text, block.date_text
        date_right = 4 * CHAR_PITCH_PT
        if sender:
            if on:
                centre = date_right + text_width(on) / 2
                right = max(0.0, centre - text_width(sender) / 2)
            else:
                right = 2 * CHAR_PITCH_PT
            para = self._paragraph_with(Block("signature", align="right", indent=False), sender, "body", BODY_PT)
            para.paragraph_format.right_indent = Twips(twips(right))
            para.paragraph_format.keep_with_next = bool(on)
        if on:
            para = self._paragraph_with(Block("signature", align="right", indent=False), on, "body", BODY_PT)
            para.paragraph_format.right_indent = Twips(twips(date_right))

    def _page_break(self, block: Block) -> None:
        # The next paragraph starts a page; a break inside an empty paragraph would leave an empty first line there.
        self.break_before = True

    def _toc(self, block: Block) -> None:
        self._paragraph_with(Block("paragraph", align="center", indent=False), "目　录", "heading1", BODY_PT)
        self._paragraph_with(Block("paragraph", indent=False), "", "body", BODY_PT)
        headings = [b.text for b in self.doc.blocks if b.kind == "heading" and b.level == 1]
        _toc_field(self.out, headings, self.pagination.heading_pages if self.pagination else [])
        settings = self.out.settings.element
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        later = next((child for child in settings if child.tag in _SETTINGS_AFTER_UPDATE_FIELDS), None)
        if later is not None:
            later.addprevious(update)
        else:
            settings.append(update)
        self.break_before = True

    def _table(self, block: Block) -> None:
        columns = max(1, len(block.headers))
        table = self.out.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        width = Twips(twips(TYPE_WIDTH_PT / columns))
        for r, values in enumerate([block.headers, *block.rows]):
            for c, value in enumerate(values[:columns]):
                cell = table.cell(r, c)
                cell.width = width
                for n, part in enumerate(value.split("\n")):
                    para = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    para.paragraph_format.line_spacing = Pt(SMALL_LEADING_PT)
                    _off_grid(para)
                    run = para.add_run(part)
                    run.font.size = Pt(SMALL_PT)
                    _set_font(run._element, "heading1" if r == 0 else "body")
        if self.break_before:  # a table cannot carry the break: keep the old empty-paragraph break
            self.out.element.body.insert(len(self.out.element.body) - 2, _page_break_paragraph())
            self.break_before = False
        self._paragraph_with(Block("paragraph", indent=False), "", "body", BODY_PT)

    def _image(self, block: Block) -> None:
        para = self.out.add_paragraph()
        para.alignment = _ALIGN[block.align]
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line would clip the picture
        if self.break_before:
            para.paragraph_format.page_break_before = True
            self.break_before = False
        para.add_run().add_picture(io.BytesIO(block.image), width=Mm(block.width_mm))

    def _page_numbers(self, section: Any) -> None:
        """ "— 1 —" in 4号 宋体: odd pages right, even pages left, each one character in from the edge."""
        self.out.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            para = footer.paragraphs[0]
            para.alignment = _ALIGN[align]
            fmt = para.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(PAGE_NUMBER_LINE_PT)
            _off_grid(para)
            indent = Pt(PAGE_NUMBER_PT)
            if align == "right":
                fmt.right_indent = indent
            else:
                fmt.left_indent = indent
            for piece in ("— ", None, " —"):
                if piece is None:
                    _field(para, "PAGE", "1", size=PAGE_NUMBER_PT, role="page_number")
                else:
                    run = para.add_run(piece)
                    run.font.size = Pt(PAGE_NUMBER_PT)
                    _set_font(run._element, "page_number")


def fonts_installed() -> bool:
    """Without the PDF's faces a Word file is still made, only without the PDF's measurements."""
    from django.core.exceptions import ImproperlyConfigured

    from . import fonts

    try:
        fonts.configured()
    except ImproperlyConfigured:
        logger.warning("no body face for documents: Word files go without page numbers in their contents")
        return False
    return True


def text_width(text: str) -> float:
    """The width of 3号 body text as the PDF sets it (so the signature is centred alike in both)."""
    from . import fonts

    if not fonts_installed():
        return sum((1.0 if ord(ch) > 0x2000 else 0.5) * BODY_PT + CHAR_SPACING_PT for ch in text)
    return sum(fonts.face_for("body", ch).advance(ch) * BODY_PT + CHAR_SPACING_PT for ch in text)


def _set_font(element: Any, role: str) -> None:
    """python-docx sets only the Latin font; Chinese text needs the eastAsia attribute, and “” the hint."""
    name = font_name(role)
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


# Word rejects a document whose properties are out of the schema's order, so children go in their place.
_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
_RPR_AFTER_SPACING = [
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]
_SETTINGS_AFTER_UPDATE_FIELDS = {
    qn(tag)
    for tag in [
        "w:hdrShapeDefaults",
        "w:footnotePr",
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    ]
}


def _ppr_set(ppr: Any, tag: str, value: str | None = None) -> None:
    """Set a paragraph property that python-docx has no API for, in its schema position."""
    element = ppr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        ppr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])
    if value is not None:
        element.set(qn("w:val"), value)


def _off_grid(para: Any) -> None:
    """3号 lines sit in the line grid; LibreOffice would give a 2号 line or a table's 小四 line two grid rows."""
    _ppr_set(para._p.get_or_add_pPr(), "w:snapToGrid", "0")


def _page_break_paragraph() -> Any:
    para = OxmlElement("w:p")
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    para.append(run)
    return para


def _field(paragraph: Any, instruction: str, shown: str, *, size: float = BODY_PT, role: str = "body") -> None:
    """A Word field (a page number) with its current result; Word and LibreOffice recompute it."""

    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(size)
        _set_font(run._element, role)
        run._r.append(child)

    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run_with(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run_with(instr)
    result = paragraph.add_run(shown)
    result.font.size = Pt(size)
    _set_font(result._element, role)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _toc_field(out: Any, headings: list[str], pages: list[int]) -> None:
    """One TOC field whose result already lists each level-1 heading with its page (as the PDF paginates).

    Word refreshes it on open (updateFields), LibreOffice shows it as it is; nothing is listed twice.
    """
    tab = f'<w:tabs {nsdecls("w")}><w:tab w:val="right" w:leader="dot" w:pos="{twips(TYPE_WIDTH_PT)}"/></w:tabs>'
    entries: list[tuple[str, int | None]] = [(h, pages[n] if n < len(pages) else None) for n, h in enumerate(headings)]
    entries = entries or [("", None)]
    for n, (text, page) in enumerate(entries):
        para = out.add_paragraph()
        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        para._p.get_or_add_pPr().insert_element_before(parse_xml(tab), *_PPR_ORDER[_PPR_ORDER.index("w:tabs") + 1 :])
        if n == 0:
            for kind, instruction in (("begin", None), (None, ' TOC \\o "1-1" \\h \\z \\u '), ("separate", None)):
                run = para.add_run()
                if kind:
                    char = OxmlElement("w:fldChar")
                    char.set(qn("w:fldCharType"), kind)
                    if kind == "begin":
                        char.set(qn("w:dirty"), "true")
                    run._r.append(char)
                else:
                    instr = OxmlElement("w:instrText")
                    instr.set(qn("xml:space"), "preserve")
                    instr.text = instruction
                    run._r.append(instr)
        if text:
            _set_font(para.add_run(text)._element, "body")
            if page is not None:
                para.add_run().add_tab()
                _set_font(para.add_run(str(page))._element, "body")
        if n == len(entries) - 1:
            end = OxmlElement("w:fldChar")
            end.set(qn("w:fldCharType"), "end")
            para.add_run()._r.append(end)
