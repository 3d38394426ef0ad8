"""QR codes for links printed on paper (opinion forms, public rating slips)."""

import io

import segno


def qr_png(text: str, scale: int = 6) -> bytes:
    """A PNG for Word and PDF documents; error correction M survives a crumpled slip."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(text: str, scale: int = 4) -> str:
    """An inline SVG for pages (no image request, sharp on phones)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()
