"""Seed and extend: exact alignment of a query against one source, tolerant of small edits.

A seed is a k-gram the two normalised texts share (found through the fingerprint
index). From it the match is extended character by character in both directions.
When the texts disagree, the extension looks a few characters ahead on either side
(at most `max_gap`) for `anchor` characters that agree again, which steps over a
changed, inserted or dropped word; it stops when nothing agrees nearby. The result
is the passage in both texts and how many of its characters matched exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .settings import EngineSettings


@dataclass(frozen=True)
class Span:
    q_start: int
    q_end: int
    s_start: int
    s_end: int
    exact: int  # characters matched exactly (the rest are inside small edits)

    @property
    def length(self) -> int:
        return self.q_end - self.q_start


@cache
def _offsets(max_gap: int) -> list[tuple[int, int]]:
    """(skip in query, skip in source) pairs, the smallest total skip first."""
    pairs = [(dq, ds) for dq in range(max_gap + 1) for ds in range(max_gap + 1) if dq or ds]
    return sorted(pairs, key=lambda p: (p[0] + p[1], abs(p[0] - p[1])))


def _extend_right(q: str, s: str, i: int, j: int, cfg: EngineSettings) -> tuple[int, int, int]:
    exact = 0
    nq, ns, a = len(q), len(s), cfg.anchor
    while True:
        while i < nq and j < ns and q[i] == s[j]:
            i, j, exact = i + 1, j + 1, exact + 1
        for dq, ds in _offsets(cfg.max_gap):
            qi, sj = i + dq, j + ds
            if qi + a <= nq and sj + a <= ns and q[qi : qi + a] == s[sj : sj + a]:
                i, j = qi, sj
                break
        else:
            return i, j, exact


def _extend_left(q: str, s: str, i: int, j: int, cfg: EngineSettings) -> tuple[int, int, int]:
    exact = 0
    a = cfg.anchor
    while True:
        while i > 0 and j > 0 and q[i - 1] == s[j - 1]:
            i, j, exact = i - 1, j - 1, exact + 1
        for dq, ds in _offsets(cfg.max_gap):
            qi, sj = i - dq, j - ds
            if qi - a >= 0 and sj - a >= 0 and q[qi - a : qi] == s[sj - a : sj]:
                i, j = qi, sj
                break
        else:
            return i, j, exact


def align(q: str, s: str, seeds: list[tuple[int, int]], cfg: EngineSettings) -> list[Span]:
    """Every passage of at least cfg.min_span characters that the seeds lead to."""
    spans: list[Span] = []
    k = cfg.k
    for qp, sp in sorted(seeds):
        if any(sp_.q_start <= qp < sp_.q_end and sp_.s_start <= sp < sp_.s_end for sp_ in spans):
            continue
        if q[qp : qp + k] != s[sp : sp + k]:
            continue  # a hash collision, not a shared k-gram
        left_q, left_s, left_exact = _extend_left(q, s, qp, sp, cfg)
        right_q, right_s, right_exact = _extend_right(q, s, qp, sp, cfg)
        span = Span(left_q, right_q, left_s, right_s, left_exact + right_exact)
        # Long enough, and mostly identical: edits may break the exact runs below min_span, not swamp them.
        if span.length >= cfg.min_span and span.exact >= max(cfg.k, cfg.min_exact * span.length):
            spans.append(span)
    return spans
