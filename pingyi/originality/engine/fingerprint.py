"""Character k-gram hashes and winnowing (Schleimer, Wilkerson, Aiken 2003; the MOSS approach).

Every k-gram of the normalised text gets a 64-bit hash. Winnowing keeps, from each
window of `w` consecutive k-gram hashes, the smallest (the rightmost on a tie), so
any run of at least w + k - 1 characters shared by two texts shares at least one
kept hash, while only about 2/(w + 1) of the k-grams are stored. With k = 8 and
w = 6 that guaranteed run is 13 characters, the default minimum span.

Hashes are signed 64-bit integers so that SQLite and PostgreSQL store them as BIGINT.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_BASE = np.uint64(0x100000001B3)


def kgram_hashes(text: str, k: int) -> np.ndarray:
    """The hash of every k-gram of `text` (int64, length len(text) - k + 1, or 0)."""
    n = len(text) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + codes[j : j + n]
        # splitmix64's finaliser spreads the bits, so "smallest in the window" is a fair draw.
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h.view(np.int64)


def winnow(hashes: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """The kept (hash, position) pairs: the rightmost minimum of each window of w hashes."""
    n = len(hashes)
    if n == 0:
        return hashes, np.empty(0, dtype=np.int64)
    if n <= w:
        pos = np.array([n - 1 - int(np.argmin(hashes[::-1]))])
    else:
        windows = sliding_window_view(hashes, w)
        rightmost = w - 1 - np.argmin(windows[:, ::-1], axis=1)
        pos = np.unique(rightmost + np.arange(len(windows)))
    return hashes[pos], pos.astype(np.int64)


def fingerprints(text: str, k: int, w: int) -> list[tuple[int, int]]:
    """(hash, position) pairs of a normalised text, as stored in the index."""
    hashes, pos = winnow(kgram_hashes(text, k), w)
    return list(zip(hashes.tolist(), pos.tolist(), strict=True))
