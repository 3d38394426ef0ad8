"""Text normalisation with a map back to the original characters.

Chinese has no spaces, so the engine compares characters. Before comparing, a text
is folded so that cosmetic differences do not hide a copy: Unicode NFKC (full-width
letters and digits become half-width), lower case, traditional to simplified
characters (OpenCC t2s), and everything that is not a letter or a digit dropped
(punctuation of every width, whitespace, symbols). `positions[i]` is the index in
the original text of normalised character i, so a match can be highlighted where
the writer sees it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

_t2s = opencc.OpenCC("t2s")
_folded: dict[str, str] = {}

# Quotation marks whose content can be excluded from the 去除引用 ratio.
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}


@dataclass(frozen=True)
class Normalized:
    text: str
    positions: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original-text range [a, b) behind normalised characters [start, end)."""
        return self.positions[start], self.positions[end - 1] + 1


def _fold(char: str) -> str:
    out = _folded.get(char)
    if out is None:
        out = "".join(c.lower() for c in unicodedata.normalize("NFKC", char) if unicodedata.category(c)[0] in "LN")
        _folded[char] = out
    return out


@cache
def _simplified(char: str) -> str:
    converted = _t2s.convert(char)
    return converted if len(converted) == 1 else char


def normalize(text: str) -> Normalized:
    chars: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        folded = _fold(char)
        if folded:
            chars.append(folded)
            positions.extend([i] * len(folded))
    return Normalized(_to_simplified("".join(chars)), positions)


def normalize_text(text: str) -> str:
    """Only the normalised text (indexing does not need the map)."""
    return _to_simplified("".join(_fold(c) for c in text))


def _to_simplified(joined: str) -> str:
    simplified = _t2s.convert(joined)
    if len(simplified) != len(joined):
        # A phrase rule changed the length: go one character at a time, which keeps the map exact.
        simplified = "".join(_simplified(c) for c in joined)
    return simplified


def quoted_mask(text: str, max_length: int) -> list[bool]:
    """For each original character, whether it sits inside a quotation.

    A quotation is text between paired quotation marks (“” 「」 『』 "") or a line marked
    with a leading ">" (how a writer marks a block quotation in plain text). Quotations
    longer than `max_length` characters do not count: wrapping a copied page in quotation
    marks does not make it a quotation.
    """
    mask = [False] * len(text)
    i = 0
    while i < len(text):
        close = QUOTE_PAIRS.get(text[i])
        if close is not None:
            end = text.find(close, i + 1)
            if end != -1 and "\n\n" not in text[i:end]:
                if end - i - 1 <= max_length:
                    mask[i : end + 1] = [True] * (end + 1 - i)
                i = end + 1
                continue
        i += 1
    start = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith((">", "＞")) and len(line) <= max_length:
            mask[start : start + len(line)] = [True] * len(line)
        start += len(line)
    return mask
