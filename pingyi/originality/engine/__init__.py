"""The copy-detection engine: plain Python (no Django), see docs/originality.md."""

from .check import CheckResult, Passage, SourceShare, Store, check, verdict
from .fingerprint import fingerprints, kgram_hashes, winnow
from .memory import MemoryStore
from .normalize import Normalized, normalize, normalize_text, quoted_mask
from .repetition import Repetition, self_repetition
from .settings import EngineSettings

__all__ = [
    "CheckResult",
    "EngineSettings",
    "MemoryStore",
    "Normalized",
    "Passage",
    "Repetition",
    "SourceShare",
    "Store",
    "check",
    "fingerprints",
    "kgram_hashes",
    "normalize",
    "normalize_text",
    "quoted_mask",
    "self_repetition",
    "verdict",
    "winnow",
]
