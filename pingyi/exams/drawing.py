"""Drawing a member's paper: a pure function of the paper's rules, its question pool and a seed.

`draw(spec, seed)` reads nothing and writes nothing, so a sheet's questions, their order and the order of
each question's options can be drawn again from the seed stored on the sheet, any time, and compared.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .models import Kind

SEED_BITS = 62  # fits a signed BigIntegerField


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    tag: str
    count: int  # 0: every question of the pool
    points: int


@dataclass(frozen=True)
class PoolQuestion:
    id: int
    kind: str
    tags: tuple[str, ...]
    option_ids: tuple[int, ...]


@dataclass(frozen=True)
class PaperSpec:
    rules: tuple[RuleSpec, ...]
    pool: tuple[PoolQuestion, ...]  # in id order
    shuffle_questions: bool = True
    shuffle_options: bool = True
    fixed_seed: int | None = None  # when set, which questions are drawn does not depend on the member


@dataclass(frozen=True)
class Drawn:
    question_id: int
    points: int
    option_order: tuple[int, ...]


class NotEnoughQuestions(ValueError):
    def __init__(self, rule: RuleSpec, available: int) -> None:
        super().__init__(f"{rule.kind}/{rule.tag}: {available} < {rule.count}")
        self.rule, self.available = rule, available


def matches(question: PoolQuestion, rule: RuleSpec) -> bool:
    return question.kind == rule.kind and (not rule.tag or rule.tag in question.tags)


def draw(spec: PaperSpec, seed: int) -> tuple[Drawn, ...]:
    """The questions in the order the member sees them, rule by rule (all true/false first, …)."""
    picker = random.Random(spec.fixed_seed if spec.fixed_seed is not None else seed)
    shuffler = random.Random(seed)
    taken: set[int] = set()
    drawn: list[Drawn] = []
    for rule in spec.rules:
        candidates = sorted((q for q in spec.pool if q.id not in taken and matches(q, rule)), key=lambda q: q.id)
        if rule.count > len(candidates):
            raise NotEnoughQuestions(rule, len(candidates))
        chosen = candidates if rule.count == 0 else picker.sample(candidates, rule.count)
        chosen = sorted(chosen, key=lambda q: q.id)  # the paper's order before any shuffle: the bank's
        if spec.shuffle_questions:
            shuffler.shuffle(chosen)
        for question in chosen:
            taken.add(question.id)
            options = list(question.option_ids)
            # True/false keeps 正确 before 错误: shuffling two options only confuses.
            if spec.shuffle_options and question.kind != Kind.TRUE_FALSE:
                shuffler.shuffle(options)
            drawn.append(Drawn(question_id=question.id, points=rule.points, option_order=tuple(options)))
    return tuple(drawn)


def new_seed() -> int:
    return random.SystemRandom().getrandbits(SEED_BITS)
