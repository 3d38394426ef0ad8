"""Ballots, by members and the public (docs/adr/0004-anonymous-ballots.md): small enough to audit in one sitting.

A vote is one UPDATE of every counter of the round and source, in the voter's transaction, under the
round's row lock; nothing records who voted what.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import Person

from .. import codes
from ..models import (
    GRADE_COLUMNS,
    MAX_DIMENSIONS,
    EvaluationRound,
    Participation,
    PublicCode,
    RaterSource,
    VoteCount,
)
from . import storage
from .rounds import lock_round

Cell = tuple[int, int, int]  # (RoundMember id of the member rated, dimension (0 = overall), grade index)


class AlreadyVoted(ValidationError):
    pass


def ballot_cells(
    round: EvaluationRound,
    subjects: Iterable[int],
    grades: Mapping[int, int | None],
    dimension_grades: Mapping[tuple[int, int], int | None] | None = None,
) -> list[Cell]:
    """Check a ballot: an overall grade for every member listed, dimension grades optional.

    Raises one ValidationError naming how many members still lack a grade, so the page can
    show it and keep what was chosen.
    """
    subjects = list(subjects)
    count, dims = len(round.grades), len(round.dimensions)
    missing = [s for s in subjects if grades.get(s) is None]
    if missing:
        raise ValidationError(_("还有 %(count)d 名党员没有选择等次。") % {"count": len(missing)})
    cells: list[Cell] = []
    wanted = set(subjects)
    for subject, grade in grades.items():
        if subject not in wanted or grade is None or not 0 <= grade < count:
            raise ValidationError(_("测评票内容无效，请刷新页面后重新填写。"))
        cells.append((subject, 0, grade))
    for (subject, dim), grade in (dimension_grades or {}).items():
        if grade is None:
            continue
        if subject not in wanted or not 1 <= dim <= dims or not 0 <= grade < count:
            raise ValidationError(_("测评票内容无效，请刷新页面后重新填写。"))
        cells.append((subject, dim, grade))
    return cells


def _row_number(subject: int, dimension: int) -> int:
    """One integer per counter row, so the UPDATE tests membership in a constant list (hashed by the database)."""
    return subject * (MAX_DIMENSIONS + 1) + dimension


_ROW_SQL = f"(subject_id * {MAX_DIMENSIONS + 1} + dimension)"


def increment_counters(round: EvaluationRound, source: str, amounts: Mapping[Cell, int]) -> None:
    """Add to the chosen cells and 0 to every other counter of the round and source, in one UPDATE.

    Touching every row gives all of them the same new row version (on PostgreSQL the same
    xmin) and the same physical treatment whatever was chosen (ADR 0004).
    """
    by_grade: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (subject, dimension, grade), amount in amounts.items():
        if amount:
            by_grade[grade][amount].append(_row_number(subject, dimension))
    sets, params = [], []
    for grade, by_amount in sorted(by_grade.items()):
        cases = []
        for amount, rows in sorted(by_amount.items()):
            cases.append(f"WHEN {_ROW_SQL} IN ({', '.join(['%s'] * len(rows))}) THEN %s")
            params += [*rows, amount]
        sets.append(f"{GRADE_COLUMNS[grade]} = {GRADE_COLUMNS[grade]} + CASE {' '.join(cases)} ELSE 0 END")
    assignments = ", ".join(sets) or f"{GRADE_COLUMNS[0]} = {GRADE_COLUMNS[0]}"  # still a new version of every row
    table = connection.ops.quote_name(VoteCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE round_id = %s AND source = %s",
            [*params, round.pk, source],
        )


def cast_vote(
    *,
    round: EvaluationRound,
    rater: Person,
    grades: Mapping[int, int | None],
    dimension_grades: Mapping[tuple[int, int], int | None] | None = None,
    by: Any,
) -> None:
    """A member's ballot on every other graded member. Once only: the round lock serialises a racing
    second submit, which then finds the participation; the unique constraint is the last guard."""
    try:
        _cast_vote(round=round, rater=rater, grades=grades, dimension_grades=dimension_grades, by=by)
    except IntegrityError as exc:  # the whole transaction has rolled back: nothing was counted
        raise AlreadyVoted(_("您已经参加过本次测评，每人只能投票一次。")) from exc


@transaction.atomic
def _cast_vote(
    *,
    round: EvaluationRound,
    rater: Person,
    grades: Mapping[int, int | None],
    dimension_grades: Mapping[tuple[int, int], int | None] | None,
    by: Any,
) -> None:
    round = lock_round(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能投票。"))
    # One read gives both the rater's place on the list and everyone they rate.
    listed = list(round.members.values_list("pk", "person_id", "graded"))
    member = next((pk for pk, person, _graded in listed if person == rater.pk), None)
    if member is None:
        raise ValidationError(_("您不在本次测评的党员名单中。"))
    if Participation.objects.filter(round=round, member_id=member).exists():
        raise AlreadyVoted(_("您已经参加过本次测评，每人只能投票一次。"))
    subjects = [pk for pk, _person, graded in listed if graded and pk != member]
    cells = ballot_cells(round, subjects, grades, dimension_grades)
    Participation.objects.create(round=round, member_id=member)
    increment_counters(round, RaterSource.MEMBERS, dict.fromkeys(cells, 1))
    audit.record(actor=by, action="evaluation.vote", org=round.org, target=round, data={"source": RaterSource.MEMBERS})
    transaction.on_commit(lambda: storage.scrub_history())


def check_public_code(round: EvaluationRound, typed: str) -> str:
    """The normalised code if it can still be used (the vote itself checks again under the lock)."""
    code = codes.normalise(typed)
    if not code:
        raise ValidationError(_("请输入测评码。"))
    found = PublicCode.objects.filter(round=round, code_hash=codes.code_hash(round.code_salt, code)).first()
    if found is None:
        raise ValidationError(_("测评码不正确，请核对测评票上的测评码。"))
    if found.used:
        raise AlreadyVoted(_("这个测评码已经使用过，这次提交的选择没有计入；每个测评码只能使用一次。"))
    return code


@transaction.atomic
def cast_public_vote(
    *,
    round: EvaluationRound,
    code: str,
    grades: Mapping[int, int | None],
    dimension_grades: Mapping[tuple[int, int], int | None] | None = None,
) -> None:
    """A member of the public's ballot with a one-time code; the code is spent by a conditional UPDATE."""
    round = lock_round(round)
    if not round.is_open or not round.allow_public:
        raise ValidationError(_("群众测评不在进行中。"))
    code = check_public_code(round, code)
    subjects = round.members.filter(graded=True).values_list("pk", flat=True)
    cells = ballot_cells(round, subjects, grades, dimension_grades)
    spent = PublicCode.objects.filter(round=round, code_hash=codes.code_hash(round.code_salt, code), used=False).update(
        used=True
    )
    if spent != 1:
        raise AlreadyVoted(_("这个测评码已经使用过，这次提交的选择没有计入；每个测评码只能使用一次。"))
    increment_counters(round, RaterSource.PUBLIC, dict.fromkeys(cells, 1))
    audit.record(
        actor="public", action="evaluation.vote", org=round.org, target=round, data={"source": RaterSource.PUBLIC}
    )
    transaction.on_commit(lambda: storage.scrub_history())


@transaction.atomic
def issue_public_codes(*, round: EvaluationRound, count: int, by: Any) -> list[str]:
    """New one-time codes. The plain codes exist only in the return value (printed once as slips)."""
    round = lock_round(round)
    if round.is_closed or not round.allow_public:
        raise ValidationError(_("本次测评不开展群众参评或已结束，不能再生成测评码。"))
    if round.members.filter(graded=True).count() < 2:  # open_round refuses such a round: slips would lead nowhere
        raise ValidationError(_("本次测评参加评定的党员不足 2 人，无法开展测评，不能打印群众测评票。"))
    if not 1 <= count <= 500:
        raise ValidationError(_("每次可生成 1 至 500 个测评码。"))
    plain = [codes.new_code() for _ in range(count)]
    PublicCode.objects.bulk_create(
        PublicCode(round=round, code_hash=codes.code_hash(round.code_salt, code)) for code in plain
    )
    audit.record(actor=by, action="evaluation.codes_issue", org=round.org, target=round, data={"count": count})
    return plain
