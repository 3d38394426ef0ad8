"""Ways a copier disguises a passage (used by the tests; the benchmark has its own generator)."""

import random
import re

import opencc

_s2t = opencc.OpenCC("s2t")
# Replacement words for light edits: common characters unlikely to recreate the original run.
_FILLER = "甲乙丙丁戊己庚辛壬癸"


def sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？]*[。！？]", text) if s]


def light_edits(text: str, every: int = 15, seed: int = 1) -> str:
    """Change one two-character word about every `every` characters."""
    rng = random.Random(seed)
    chars = list(text)
    i = every // 2
    while i + 2 <= len(chars):
        chars[i : i + 2] = rng.sample(_FILLER, 2)
        i += every
    return "".join(chars)


def reorder(text: str, seed: int = 1) -> str:
    parts = sentences(text)
    rng = random.Random(seed)
    shuffled = parts[:]
    while shuffled == parts and len(parts) > 1:
        rng.shuffle(shuffled)
    return "".join(shuffled)


def traditional(text: str) -> str:
    return _s2t.convert(text)


def full_width(text: str) -> str:
    """Half-width letters and digits made full-width, Chinese punctuation made ASCII, spaces added."""
    swap = {"，": ",", "。": ". ", "；": ";", "：": ":", "“": '"', "”": '"', "、": ","}
    out = []
    for c in text:
        if "0" <= c <= "9" or "a" <= c.lower() <= "z":
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(swap.get(c, c))
    return " ".join(["".join(out[i : i + 20]) for i in range(0, len(out), 20)])
