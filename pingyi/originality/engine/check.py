"""One check: find the copied passages of a text in a corpus reached through a Store.

1. Normalise the text and hash every k-gram (the query side is not winnowed, so a
   shared k-gram is found whenever the source kept it).
2. Ask the store how common each hash is. A hash in at least `stock_library_docs`
   library documents belongs to a stock phrase (slogans, the oath, titles): it does
   not seed a match and the characters it covers are not counted as copied. A hash
   in more than `ignore_docs` documents is not looked up at all.
3. Look up the remaining hashes, rank the documents by shared fingerprints, align
   the best `max_candidates` with seed and extend.
4. Count: 复制比 = copied characters / all characters (normalised), with and
   without the text inside quotations; the same per source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from .align import Span, align
from .fingerprint import kgram_hashes
from .normalize import Normalized, normalize, quoted_mask
from .settings import EngineSettings


class Store(Protocol):
    """What a check needs from the corpus (the app's is the database; tests use MemoryStore)."""

    def stats(self, hashes: list[int]) -> dict[int, tuple[int, int]]:
        """hash -> (documents holding it, library documents holding it), for known hashes."""
        ...

    def postings(self, hashes: list[int]) -> dict[int, list[tuple[int, int]]]:
        """hash -> [(document id, normalised position)] in the documents this check may compare with."""
        ...

    def texts(self, doc_ids: list[int]) -> dict[int, tuple[str, str]]:
        """document id -> (original text, normalised text)."""
        ...


@dataclass(frozen=True)
class Passage:
    source: int
    q_start: int  # range in the checked text as written
    q_end: int
    s_start: int  # range in the source as written
    s_end: int
    chars: int  # normalised characters counted as copied
    quoted: bool


@dataclass
class SourceShare:
    source: int
    chars: int
    percent: float


@dataclass
class CheckResult:
    total_chars: int
    copied_chars: int
    unquoted_chars: int
    stock_chars: int
    passages: list[Passage] = field(default_factory=list)
    sources: list[SourceShare] = field(default_factory=list)

    @property
    def copied_percent(self) -> float:
        return _percent(self.copied_chars, self.total_chars)

    @property
    def unquoted_percent(self) -> float:
        return _percent(self.unquoted_chars, self.total_chars)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def verdict(unquoted_percent: float, cfg: EngineSettings) -> str:
    if unquoted_percent >= cfg.threshold:
        return "red"
    if unquoted_percent >= cfg.threshold / 2:
        return "yellow"
    return "green"


def _stock_mask(hashes: list[int], stats: dict[int, tuple[int, int]], n: int, cfg: EngineSettings) -> list[bool]:
    mask = [False] * n
    for i, h in enumerate(hashes):
        if stats.get(h, (0, 0))[1] >= cfg.stock_library_docs:
            mask[i : i + cfg.k] = [True] * len(mask[i : i + cfg.k])
    return mask


def _segments(span: Span, stock: list[bool], min_span: int) -> list[tuple[int, int]]:
    """The parts of a passage that are not stock phrase, each at least min_span long."""
    out, start = [], None
    for i in range(span.q_start, span.q_end + 1):
        inside = i < span.q_end and not stock[i]
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if i - start >= min_span:
                out.append((start, i))
            start = None
    return out


def _seeds(hashes: list[int], postings: dict[int, list[tuple[int, int]]]) -> dict[int, list[tuple[int, int]]]:
    by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for qpos, h in enumerate(hashes):
        for doc, spos in postings.get(h, ()):
            by_doc[doc].append((qpos, spos))
    return by_doc


def check(text: str, store: Store, cfg: EngineSettings) -> CheckResult:
    norm = normalize(text)
    n = len(norm.text)
    hashes = kgram_hashes(norm.text, cfg.k).tolist()
    unique = list(dict.fromkeys(hashes))
    stats = store.stats(unique)
    stock = _stock_mask(hashes, stats, n, cfg)
    wanted = [
        h
        for h in unique
        if stats.get(h, (0, 0))[1] < cfg.stock_library_docs and stats.get(h, (0, 0))[0] <= cfg.ignore_docs
    ]
    by_doc = _seeds(hashes, store.postings(wanted))
    ranked = sorted(by_doc, key=lambda d: (-len(by_doc[d]), d))[: cfg.max_candidates]
    texts = store.texts(ranked)

    quoted_original = quoted_mask(text, cfg.max_quote)
    quoted = [quoted_original[p] for p in norm.positions]
    covered: dict[int, set[int]] = {}
    segments: dict[int, list[tuple[Span, int, int]]] = {}
    for doc in ranked:
        if doc not in texts:
            continue
        for span in align(norm.text, texts[doc][1], by_doc[doc], cfg):
            for a, b in _segments(span, stock, cfg.min_span):
                segments.setdefault(doc, []).append((span, a, b))
                covered.setdefault(doc, set()).update(range(a, b))
    copied = set().union(*covered.values()) if covered else set()
    stock_chars = sum(stock)
    result = CheckResult(
        total_chars=n,
        copied_chars=len(copied),
        unquoted_chars=sum(1 for i in copied if not quoted[i]),
        stock_chars=stock_chars,
    )
    order = sorted(covered, key=lambda d: (-len(covered[d]), d))
    result.sources = [SourceShare(d, len(covered[d]), _percent(len(covered[d]), n)) for d in order]
    result.passages = _passages(norm, order, segments, texts, quoted)
    return result


def _passages(
    norm: Normalized,
    order: list[int],
    segments: dict[int, list[tuple[Span, int, int]]],
    texts: dict[int, tuple[str, str]],
    quoted: list[bool],
) -> list[Passage]:
    """Each copied stretch once, beside the source that covers most of the text (then the next source)."""
    shown: set[int] = set()
    out: list[Passage] = []
    for doc in order:
        source_norm = normalize(texts[doc][0])
        for span, a, b in segments[doc]:
            fresh = set(range(a, b)) - shown
            if len(fresh) < (b - a) / 2:
                continue
            shown.update(range(a, b))
            s_a = min(span.s_start + (a - span.q_start), span.s_end - 1)
            s_b = max(span.s_end - (span.q_end - b), s_a + 1)
            q_start, q_end = norm.original_span(a, b)
            s_start, s_end = source_norm.original_span(s_a, s_b)
            out.append(Passage(doc, q_start, q_end, s_start, s_end, b - a, quoted=all(quoted[a:b])))
    return sorted(out, key=lambda p: p.q_start)
