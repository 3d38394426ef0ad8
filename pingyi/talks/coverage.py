"""Which talks are required and which are done: plain Python over plain data, no Django models.

The required pairs come from requirements kept as data (requirements/annual.yaml and a campaign's own
TalkRequirement rows). A talk has two sides (谈话人 and 谈话对象): it covers every pair of one person
from each side, so a one-to-many talk covers the one with each of the many, and a many-to-many
talk every pair across the sides. Two people on the same side talked to the others, not to each
other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import get_language

REQUIREMENTS_DIR = Path(__file__).resolve().parent / "requirements"

COMMITTEE, MEMBER, LEADER, EVERYONE, CHARGE = "committee", "member", "leader", "everyone", "charge"
SETS = {COMMITTEE, MEMBER, LEADER, EVERYONE}
NEVER, ALWAYS, LARGE_BRANCH = "never", "always", "large_branch"

Pair = tuple[int, int]  # (smaller id, larger id)


def pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _in_language(source: str, translations: dict[str, str]) -> str:
    return translations.get(get_language() or settings.LANGUAGE_CODE) or source


@dataclass(frozen=True)
class PairRequirement:
    name: str
    left: str
    right: str
    same_group: str = NEVER
    translations: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # language -> name

    @property
    def label(self) -> str:
        return _in_language(self.name, self.translations)


@dataclass(frozen=True)
class RequirementSet:
    name: str
    period_days: int
    large_branch_members: int
    requirements: tuple[PairRequirement, ...]
    translations: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # language -> name

    @property
    def label(self) -> str:
        return _in_language(self.name, self.translations)


@cache
def load_requirements(name: str = "annual") -> RequirementSet:
    """A shipped requirement set; a mistake in the file is a bug, so it fails loudly at first use."""
    data: dict[str, Any] = yaml.safe_load((REQUIREMENTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    requirements = []
    for entry in data["requirements"]:
        left, right = entry["between"]
        requirement = PairRequirement(
            name=entry["name"],
            left=left,
            right=right,
            same_group=entry.get("same_group", NEVER),
            translations=_translations(entry),
        )
        if (
            left not in SETS
            or right not in SETS | {CHARGE}
            or requirement.same_group not in {NEVER, ALWAYS, LARGE_BRANCH}
        ):
            raise ValueError(f"talk requirement set {name}: bad requirement {entry!r}")
        requirements.append(requirement)
    return RequirementSet(
        name=data["name"],
        period_days=int(data["period_days"]),
        large_branch_members=int(data["large_branch_members"]),
        requirements=tuple(requirements),
        translations=_translations(data),
    )


def _translations(entry: dict[str, Any]) -> dict[str, str]:
    """The name in the other languages, written beside it as `en: ...` (as campaign templates do)."""
    return {code: str(entry[code]) for code, _name in settings.LANGUAGES if code in entry}


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    group_id: int | None = None
    is_committee: bool = False
    is_leader: bool = False
    charge: frozenset[int] = frozenset()  # ids of the people in this person's charge


def belongs(person: Member, people_set: str) -> bool:
    if people_set == COMMITTEE:
        return person.is_committee
    if people_set == MEMBER:
        return not person.is_committee
    if people_set == LEADER:
        return person.is_leader
    return people_set == EVERYONE


def required_pairs(
    people: Sequence[Member], requirements: Iterable[PairRequirement], *, large_branch_members: int
) -> dict[Pair, list[str]]:
    """Every pair that owes a talk, with the names of the requirements that require it."""
    large = len(people) > large_branch_members
    known = {p.id for p in people}
    required: dict[Pair, list[str]] = {}

    def add(a: Member, b_id: int, requirement: PairRequirement) -> None:
        names = required.setdefault(pair(a.id, b_id), [])
        if requirement.label not in names:
            names.append(requirement.label)

    for requirement in requirements:
        within = requirement.same_group == ALWAYS or (requirement.same_group == LARGE_BRANCH and large)
        lefts = [p for p in people if belongs(p, requirement.left)]
        if requirement.right == CHARGE:
            for a in lefts:
                for b_id in a.charge:
                    if b_id != a.id and b_id in known:
                        add(a, b_id, requirement)
            continue
        rights = [p for p in people if belongs(p, requirement.right)]
        for a in lefts:
            for b in rights:
                if a.id == b.id or (within and (a.group_id is None or a.group_id != b.group_id)):
                    continue
                add(a, b.id, requirement)
    return required


@dataclass(frozen=True)
class TalkSides:
    held_on: date
    side_a: frozenset[int]
    side_b: frozenset[int]


def covered_pairs(talks: Iterable[TalkSides]) -> dict[Pair, date]:
    """Each pair a talk covers, with the latest date it was covered."""
    covered: dict[Pair, date] = {}
    for talk in talks:
        for a in talk.side_a:
            for b in talk.side_b:
                if a == b:
                    continue
                key = pair(a, b)
                if key not in covered or covered[key] < talk.held_on:
                    covered[key] = talk.held_on
    return covered


@dataclass
class Coverage:
    people: list[Member]
    required: dict[Pair, list[str]]
    covered: dict[Pair, date]
    _owed: dict[int, list[int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for a, b in self.required:
            if (a, b) not in self.covered:
                self._owed.setdefault(a, []).append(b)
                self._owed.setdefault(b, []).append(a)

    @property
    def required_count(self) -> int:
        return len(self.required)

    @property
    def done_count(self) -> int:
        return sum(1 for key in self.required if key in self.covered)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.required_count) if self.required else 100

    def owed_ids(self, person_id: int) -> list[int]:
        return self._owed.get(person_id, [])

    def done_ids(self) -> set[int]:
        """People who owe no talk (someone no requirement concerns owes none)."""
        return {p.id for p in self.people if not self._owed.get(p.id)}

    def finished_on(self) -> dict[int, date]:
        """Per person who owes nothing, the day of the last talk they were required to have."""
        last: dict[int, date] = {}
        for a, b in self.required:
            day = self.covered.get((a, b))
            for person in (a, b):
                if day is not None:
                    last[person] = max(day, last.get(person, day))
        return {pk: day for pk, day in last.items() if not self._owed.get(pk)}

    def talked_ids(self) -> set[int]:
        """People who have had at least one talk that counts."""
        return {person for key in self.covered for person in key}

    def state(self, a: int, b: int) -> str:
        """A matrix cell: done, owed, extra (talked though no requirement asks), or "" (nothing required)."""
        if a == b:
            return "self"
        key = pair(a, b)
        if key in self.required:
            return "done" if key in self.covered else "owed"
        return "extra" if key in self.covered else ""
