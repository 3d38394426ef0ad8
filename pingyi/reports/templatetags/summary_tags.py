from __future__ import annotations

import re

from django import template

from pingyi.reports.summary import Figure, Sentence

register = template.Library()
SLOT = re.compile(r"\{(\d+)\}")


@register.filter
def pieces(sentence: Sentence) -> list[tuple[str, Figure | None]]:
    """The sentence as text pieces each followed by its figure, so figures can be links."""
    out: list[tuple[str, Figure | None]] = []
    at = 0
    for match in SLOT.finditer(sentence.pattern):
        out.append((sentence.pattern[at : match.start()], sentence.figures[int(match.group(1))]))
        at = match.end()
    out.append((sentence.pattern[at:], None))
    return out
