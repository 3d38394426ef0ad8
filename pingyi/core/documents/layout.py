"""The page of GB/T 9704-2012 in numbers, shared by the Word and the PDF renderer so both measure the same.

The standard asks for a type area of 156 × 225 mm whose top is 37 mm below the top edge and whose
left is 28 mm in from the binding edge, filled by 22 lines of 28 characters in 3号 (16 pt). Filled
means the first line's characters start at 37 mm and the last line's end at 262 mm, so the line
pitch is (225 mm − 16 pt) / 21 = 29.6 pt, and 28 characters of 16 pt (448 pt) must be set 0.25 pt
closer than their natural width to fit 156 mm (442.2 pt). Word and LibreOffice place a line's
characters in the middle of its line box, half the leading (6.8 pt) below the box's top, so the
Word page's top margin is that much less than 37 mm; see docs/adr/0010.
"""

from __future__ import annotations

PT_PER_MM = 72 / 25.4
TWIPS_PER_PT = 20

PAGE_MM = (210.0, 297.0)
TYPE_TOP_MM = 37.0
TYPE_LEFT_MM = 28.0
TYPE_WIDTH_MM = 156.0
TYPE_HEIGHT_MM = 225.0
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Sizes in points: 2号 = 22, 3号 = 16, 4号 = 14, 小四 = 12.
TITLE_PT = 22.0
BODY_PT = 16.0
PAGE_NUMBER_PT = 14.0
SMALL_PT = 12.0
SMALL_LEADING_PT = 18.0

LINE_PITCH_PT = 29.6  # (225 mm − 16 pt) / 21 = 29.61 pt, rounded to Word's twentieths of a point
CHAR_SPACING_PT = -0.25  # 28 × (16 − 0.25) = 441 pt ≤ 442.2 pt; Word's spacing is in twentieths of a point
CHAR_PITCH_PT = BODY_PT + CHAR_SPACING_PT
INDENT_PT = 2 * CHAR_PITCH_PT  # the two-character first-line indent

# A CJK font's ideographic em box runs from 0.12 em below the baseline to 0.88 em above it.
EM_ASCENT = 0.88

TYPE_WIDTH_PT = TYPE_WIDTH_MM * PT_PER_MM
# The line boxes: 22 of them, the first starting half the body leading above the type.
TEXT_TOP_PT = TYPE_TOP_MM * PT_PER_MM - (LINE_PITCH_PT - BODY_PT) / 2
TEXT_HEIGHT_PT = LINES_PER_PAGE * LINE_PITCH_PT
LEFT_PT = TYPE_LEFT_MM * PT_PER_MM
RIGHT_PT = (PAGE_MM[0] - TYPE_LEFT_MM - TYPE_WIDTH_MM) * PT_PER_MM
# The page number's dashes stand 7 mm below the type area (一字线上距版心下边缘 7 mm).
PAGE_NUMBER_TOP_MM = TYPE_TOP_MM + TYPE_HEIGHT_MM + 7


def twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


def margins_twips() -> dict[str, int]:
    """Word's page margins: the top and bottom hold exactly 22 line boxes between them."""
    page_height = twips(PAGE_MM[1] * PT_PER_MM)
    top = twips(TEXT_TOP_PT)
    return {
        "top": top,
        "bottom": page_height - top - LINES_PER_PAGE * twips(LINE_PITCH_PT),
        "left": twips(LEFT_PT),
        "right": twips(RIGHT_PT),
    }


def baseline_in_line(line_height: float, size: float) -> float:
    """How far below the top of its line box a line of `size` points has its baseline (em box centred)."""
    return (line_height - size) / 2 + EM_ASCENT * size
