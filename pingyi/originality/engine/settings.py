"""The engine's tunables. The app fills them from Django settings (ORIGINALITY_*, docs/originality.md)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    k: int = 8  # characters per k-gram
    w: int = 6  # winnowing window; any shared run of w + k - 1 characters is found
    min_span: int = 13  # shortest copied passage reported, in normalised characters
    max_gap: int = 4  # characters an edit may add or drop on either side inside one passage
    anchor: int = 5  # exact characters that must agree again after an edit to continue a passage
    min_exact: float = 0.6  # share of a passage's characters that must match exactly
    stock_library_docs: int = 5  # a k-gram in this many library documents is a stock phrase
    ignore_docs: int = 1000  # a fingerprint in more documents than this is not looked up at all
    max_candidates: int = 100  # source documents aligned per check, those sharing most fingerprints
    max_quote: int = 200  # a "quotation" longer than this counts as copying
    threshold: float = 10.0  # 去除引用复制比 (%) at or above which the verdict is red; yellow from half of it
    repeat_threshold: float = 20.0  # self-repetition (%) at or above which the report flags the text as padded

    @property
    def guaranteed_run(self) -> int:
        return self.w + self.k - 1
