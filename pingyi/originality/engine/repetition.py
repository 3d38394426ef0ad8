"""Self-repetition: how much of a text repeats what the same text already said.

A pasted sentence repeated two hundred times copies nothing from anywhere, so its 复制比 is 0%; it is
padding. A normalised character counts as repeated when it lies inside a run of `min_span` characters
(13 by default, the shortest copied passage) that already occurred earlier in the text. The first
occurrence is not counted, so a text saying something twice has half the repetition of one saying it
three times over, and an honest text, whose runs of 13 characters almost never recur, stays near 0%.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fingerprint import kgram_hashes
from .normalize import normalize_text
from .settings import EngineSettings


@dataclass(frozen=True)
class Repetition:
    total_chars: int
    repeated_chars: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.repeated_chars / self.total_chars, 1) if self.total_chars else 0.0


def self_repetition(text: str, cfg: EngineSettings) -> Repetition:
    norm = normalize_text(text)
    span = cfg.min_span
    hashes = kgram_hashes(norm, span).tolist()
    first: dict[int, int] = {}
    repeated = bytearray(len(norm))
    for pos, h in enumerate(hashes):
        earlier = first.get(h)
        if earlier is None:
            first[h] = pos
        elif norm[earlier : earlier + span] == norm[pos : pos + span]:  # not a hash collision
            repeated[pos : pos + span] = b"\x01" * span
    return Repetition(total_chars=len(norm), repeated_chars=sum(repeated))
