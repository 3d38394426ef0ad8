"""The pieces of a drafted stage summary: sentences whose figures come from the record and link to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MISSING = "【待补充】"  # written where the record cannot say, instead of inventing a figure


@dataclass(frozen=True)
class Figure:
    """One number (or name) from the record, and the page listing the records it counts."""

    value: str
    url: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence with `{0}`, `{1}`… where its figures go; the plain text fills them in."""

    pattern: str
    figures: tuple[Figure, ...] = ()

    @property
    def text(self) -> str:
        return self.pattern.format(*(f.value for f in self.figures))

    @property
    def missing(self) -> bool:
        return MISSING in self.text


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def apps_of(stage: Any) -> set[str]:
    """The apps whose work the stage's items ask for (a rule is named after its app: `study.attendance`)."""
    return {item.rule.split(".")[0] for item in stage.work_items.all() if item.rule}


def n(value: int, url: str = "") -> Figure:
    return Figure(str(value), url)


def said(pattern: str, *figures: Figure) -> Sentence:
    return Sentence(pattern, tuple(figures))


def from_dict(raw: dict[str, Any]) -> Section:
    sentences = [Sentence(s["pattern"], tuple(Figure(**f) for f in s["figures"])) for s in raw.get("sentences", [])]
    return Section(key=raw["key"], title=raw["title"], sentences=sentences)
