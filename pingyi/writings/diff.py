"""What changed between two versions, character by character (Chinese has no spaces to split words on).

Paragraphs are aligned first and only changed paragraphs are compared by character, so a
5,000-character text diffs quickly and a moved sentence does not smear across the whole text.
Segments are plain strings: the template escapes them and wraps them in <ins>/<del>.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass(frozen=True)
class Diff:
    segments: list[Segment]

    @property
    def inserted(self) -> int:
        return sum(len(s.text) for s in self.segments if s.op == "insert")

    @property
    def deleted(self) -> int:
        return sum(len(s.text) for s in self.segments if s.op == "delete")

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)


def diff_texts(old: str, new: str) -> Diff:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        before, after = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if op == "equal":
            _add(segments, "equal", before)
        elif op == "replace":
            _chars(segments, before, after)
        else:
            _add(segments, "delete", before)
            _add(segments, "insert", after)
    return Diff(segments)


def _chars(segments: list[Segment], old: str, new: str) -> None:
    # autojunk would treat 的/是/了 as noise in any text over 200 characters.
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            _add(segments, "equal", old[a1:a2])
        else:
            _add(segments, "delete", old[a1:a2])
            _add(segments, "insert", new[b1:b2])


def _add(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))
