"""An in-memory Store: the engine without a database (tests, the benchmark's reference run)."""

from __future__ import annotations

from collections import defaultdict

from .fingerprint import fingerprints
from .normalize import normalize_text
from .settings import EngineSettings


class MemoryStore:
    def __init__(self, cfg: EngineSettings) -> None:
        self.cfg = cfg
        self._postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._stats: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        self._texts: dict[int, tuple[str, str]] = {}
        self.excluded: set[int] = set()

    def add(self, doc_id: int, text: str, *, library: bool = True) -> None:
        norm = normalize_text(text)
        self._texts[doc_id] = (text, norm)
        seen = set()
        for h, pos in fingerprints(norm, self.cfg.k, self.cfg.w):
            self._postings[h].append((doc_id, pos))
            seen.add(h)
        for h in seen:
            self._stats[h][0] += 1
            self._stats[h][1] += int(library)

    def stats(self, hashes: list[int]) -> dict[int, tuple[int, int]]:
        return {h: (self._stats[h][0], self._stats[h][1]) for h in hashes if h in self._stats}

    def postings(self, hashes: list[int]) -> dict[int, list[tuple[int, int]]]:
        out = {}
        for h in hashes:
            rows = [row for row in self._postings.get(h, ()) if row[0] not in self.excluded]
            if rows:
                out[h] = rows
        return out

    def texts(self, doc_ids: list[int]) -> dict[int, tuple[str, str]]:
        return {d: self._texts[d] for d in doc_ids if d in self._texts}
