"""Chinese line breaking (禁则) for the PDF renderer: where a paragraph may break into lines.

A line may break between any two Chinese characters, but never so that a line starts with closing
punctuation (，。、；：？！”）》 …) or ends with opening punctuation (“（《 …), never inside a run of
Latin letters and digits (a number, a URL) unless that run alone is longer than a line, and never
between the two halves of "——" or "……". A comma or full stop that would start the next line hangs in
the right margin instead (标点悬挂, what Word and LibreOffice do by default); any other closing mark
takes the character before it down with it (推出), and justification spreads the shorter line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〉〗｝］”’～·%‰℃°,.;:?!)]}>"  # closing punctuation and what follows a word
    "ーぁぃぅぇぉっゃゅょ々"
)
NO_LINE_END = frozenset("（《「『【〔〈〖｛［“‘([{<")
DOUBLED = frozenset("—…")  # —— and …… are one mark in two halves
HANGING = frozenset("，。、．,.")  # the marks Word and LibreOffice let hang past the margin


def _is_word_char(ch: str) -> bool:
    """Latin letters, digits and the marks inside numbers and addresses stay together on a line."""
    return ch.isascii() and not ch.isspace()


def break_allowed(text: str, i: int) -> bool:
    """Whether a line may end before text[i]."""
    before, after = text[i - 1], text[i]
    if before.isspace():
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before == after and before in DOUBLED:
        return False
    if before == "/" and after != "/":
        return True  # an address may break after a slash
    return not (_is_word_char(before) and _is_word_char(after))


def break_lines(text: str, advance: Callable[[str], float], widths: Sequence[float]) -> list[str]:
    """Split `text` into lines no wider than widths[0] for the first line and widths[-1] for the others.

    `advance(ch)` is the width the character takes on the line, spacing included. Spaces at the end of
    a line take no room and spaces at the start of a continued line are dropped.
    """
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n:
        if lines:
            while start < n and text[start] == " ":
                start += 1
            if start == n:
                break
        width = widths[min(len(lines), len(widths) - 1)]
        end, used = start, 0.0
        while end < n and (text[end] == " " or used + advance(text[end]) <= width + 1e-6):
            used += 0 if text[end] == " " else advance(text[end])
            end += 1
        if end < n and text[end] in HANGING and end > start:
            end += 1
        if end == n:
            lines.append(text[start:].rstrip(" "))
            break
        cut = next((i for i in range(end, start, -1) if break_allowed(text, i)), None)
        if cut is None:  # nothing allowed: a Latin run longer than the line, or a line of punctuation
            cut = max(end, start + 1)
        lines.append(text[start:cut].rstrip(" "))
        start = cut
    return lines or [""]
