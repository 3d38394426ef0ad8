"""Item analysis of a paper's submitted sheets: difficulty, discrimination, the answers chosen, tags.

Difficulty is the share of the points won (1.0: everyone right). Discrimination is the difficulty among
the top 27% of sheets by score less that among the bottom 27% (Kelley's groups): a good question is
answered better by those who did well overall; near zero or below, it measures something else.
With drawn papers not every sheet has every question, so each group counts the sheets that had it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .grading import choice_ids, normalise
from .models import CHOICE_KINDS, Question

GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ItemStats:
    question: Question
    answered: int  # sheets that had the question
    difficulty: float | None  # share of points won; None while none of its answers is graded
    discrimination: float | None
    chosen: tuple[tuple[str, int, bool], ...]  # (option text or answer given, how many, is it right)
    blank: int
    weak: bool

    @property
    def percent(self) -> int | None:
        return None if self.difficulty is None else round(self.difficulty * 100)


@dataclass(frozen=True)
class TagStats:
    tag: str
    questions: int
    average: float  # share of points won on the tag's questions


@dataclass(frozen=True)
class PaperAnalysis:
    sheets: int
    items: list[ItemStats] = field(default_factory=list)  # hardest first
    tags: list[TagStats] = field(default_factory=list)

    def chart(self) -> dict[str, Any]:
        """What the page's ECharts script draws: one bar per question, difficulty and discrimination."""
        ordered = sorted(self.items, key=lambda i: i.question.pk)
        return {
            "labels": [i.question.text[:12] for i in ordered],
            "difficulty": [None if i.difficulty is None else round(i.difficulty, 2) for i in ordered],
            "discrimination": [None if i.discrimination is None else round(i.discrimination, 2) for i in ordered],
            "tags": [t.tag for t in self.tags],
            "tag_average": [round(t.average, 2) for t in self.tags],
        }


def groups(scores: Mapping[int, int | None]) -> tuple[set[int], set[int]]:
    """The upper and lower 27% of sheets by score (at least one sheet each when there are two or more)."""
    ranked = sorted(scores, key=lambda pk: (scores[pk] or 0, pk))
    if len(ranked) < 2:
        return set(), set()
    k = max(1, round(len(ranked) * GROUP_SHARE))
    return set(ranked[-k:]), set(ranked[:k])


def analyse(
    scores: Mapping[int, int | None],
    rows: Iterable[tuple[int, int, str, int | None, int]],
    questions: Mapping[int, Question],
    *,
    weak_below: float = 0.5,
) -> PaperAnalysis:
    """`rows`: (sheet id, question id, response, points or None, max points) of submitted sheets."""
    upper, lower = groups(scores)
    per_question: dict[int, list[tuple[int, str, int | None, int]]] = defaultdict(list)
    for sheet_id, question_id, response, points, max_points in rows:
        per_question[question_id].append((sheet_id, response, points, max_points))
    items = [_item(questions[qid], answers, upper, lower, weak_below) for qid, answers in per_question.items()]
    items.sort(key=lambda i: (i.difficulty is None, i.difficulty or 0.0, i.question.pk))
    return PaperAnalysis(sheets=len(scores), items=items, tags=_tags(items))


def _share(answers: list[tuple[int, str, int | None, int]], sheets: set[int] | None = None) -> float | None:
    graded = [(p, m) for s, _r, p, m in answers if p is not None and m and (sheets is None or s in sheets)]
    if not graded:
        return None
    return sum(p for p, _m in graded) / sum(m for _p, m in graded)


def _item(
    question: Question,
    answers: list[tuple[int, str, int | None, int]],
    upper: set[int],
    lower: set[int],
    weak_below: float,
) -> ItemStats:
    difficulty = _share(answers)
    high, low = _share(answers, upper), _share(answers, lower)
    blank = sum(1 for _s, response, _p, _m in answers if not response.strip())
    return ItemStats(
        question=question,
        answered=len(answers),
        difficulty=difficulty,
        discrimination=None if high is None or low is None else high - low,
        chosen=_chosen(question, [r for _s, r, _p, _m in answers]),
        blank=blank,
        weak=difficulty is not None and difficulty < weak_below,
    )


def _chosen(question: Question, responses: list[str]) -> tuple[tuple[str, int, bool], ...]:
    if question.kind in CHOICE_KINDS:
        counts = Counter(i for r in responses for i in choice_ids(r))
        return tuple((o["text"], counts.get(o["id"], 0), bool(o.get("correct"))) for o in question.options)
    accepted = {normalise(a) for a in question.accepted}
    given = Counter(normalise(r) for r in responses if r.strip())
    return tuple((text, n, text in accepted) for text, n in given.most_common(5))


def _tags(items: list[ItemStats]) -> list[TagStats]:
    by_tag: dict[str, list[float]] = defaultdict(list)
    for item in items:
        for tag in item.question.tags or ["—"]:
            if item.difficulty is not None:
                by_tag[tag].append(item.difficulty)
    return [TagStats(tag, len(v), sum(v) / len(v)) for tag, v in sorted(by_tag.items())]
