"""The only place that writes evaluation rounds, votes, paper batches, decisions and notices.

Votes follow docs/adr/0004-anonymous-ballots.md: the participation (or the used code) and the
counter update share one transaction under the round's row lock; the counters are touched as
a whole; the audit entry says that someone voted, never what.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.org.models import MemberCategory, OrgUnit, Person

from . import codes
from .models import (
    ANONYMOUS_SOURCES,
    DEFAULT_GRADES,
    GRADE_COLUMNS,
    MAX_DIMENSIONS,
    MAX_GRADES,
    Decision,
    DecisionChange,
    EvaluationRound,
    Exclusion,
    Notice,
    PaperBatch,
    PaperEntry,
    Participation,
    PublicCode,
    RaterSource,
    RoundMember,
    SelfAssessment,
    VoteCount,
)

TERM_FIELDS = (
    "grades",
    "dimensions",
    "weight_self",
    "weight_members",
    "weight_public",
    "top_cap_num",
    "top_cap_den",
    "min_raters",
    "participation_target",
    "review_thresholds",
    "allow_public",
)
Cell = tuple[int, int, int]  # (RoundMember id of the member rated, dimension (0 = overall), grade index)


class AlreadyVoted(ValidationError):
    pass


# ---------------------------------------------------------------- terms


TERM_DEFAULTS: dict[str, Any] = {
    "grades": DEFAULT_GRADES,
    "dimensions": [],
    "weight_self": 10,
    "weight_members": 60,
    "weight_public": 30,
    "top_cap_num": 1,
    "top_cap_den": 3,
    "min_raters": 5,
    "participation_target": 95,
    "review_thresholds": {"不合格": 20},
    "allow_public": True,
}


def _check_terms(given: Mapping[str, Any]) -> dict[str, Any]:
    """Complete the terms from the defaults and check them; the errors are for the setup form."""
    terms = {**TERM_DEFAULTS, **given}
    grades = [str(g).strip() for g in terms.get("grades", []) if str(g).strip()]
    if not 2 <= len(grades) <= MAX_GRADES or len(set(grades)) != len(grades):
        raise ValidationError(_("等次须为 2 至 %(max)d 个互不相同的名称。") % {"max": MAX_GRADES})
    dimensions = [str(d).strip() for d in terms.get("dimensions", []) if str(d).strip()]
    if len(dimensions) > MAX_DIMENSIONS or len(set(dimensions)) != len(dimensions):
        raise ValidationError(_("测评项目最多 %(max)d 个，且不能重复。") % {"max": MAX_DIMENSIONS})
    weights = [int(terms.get(f"weight_{s}", 0)) for s in ("self", "members", "public")]
    if any(w < 0 for w in weights) or sum(weights) != 100:
        raise ValidationError(_("三种来源的权重之和必须是 100%。"))
    if not terms.get("allow_public", True) and weights[2]:
        raise ValidationError(_("不开展群众参评时，群众参评的权重应为 0。"))
    num, den = int(terms.get("top_cap_num", 1)), int(terms.get("top_cap_den", 3))
    if den <= 0 or not 0 <= num <= den:
        raise ValidationError(_("最高等次比例须是 0 到 1 之间的分数。"))
    if int(terms.get("min_raters", 5)) < 2:
        raise ValidationError(_("最少测评人数不能少于 2 人，否则无法保证无记名。"))
    if not 0 <= int(terms.get("participation_target", 95)) <= 100:
        raise ValidationError(_("参评率目标须在 0 到 100 之间。"))
    thresholds = {str(k): int(v) for k, v in dict(terms.get("review_thresholds", {})).items()}
    unknown = sorted(set(thresholds) - set(grades))
    if unknown:
        raise ValidationError(_("提交支委会研究的条件中有未定义的等次：%(grades)s") % {"grades": "、".join(unknown)})
    if any(not 0 < v <= 100 for v in thresholds.values()):
        raise ValidationError(_("提交支委会研究的比例须在 1% 到 100% 之间。"))
    return {
        "grades": grades,
        "dimensions": dimensions,
        "weight_self": weights[0],
        "weight_members": weights[1],
        "weight_public": weights[2],
        "top_cap_num": num,
        "top_cap_den": den,
        "min_raters": int(terms.get("min_raters", 5)),
        "participation_target": int(terms.get("participation_target", 95)),
        "review_thresholds": thresholds,
        "allow_public": bool(terms.get("allow_public", True)),
    }


def _locked(round: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update(of=("self",)).select_related("org", "campaign").get(pk=round.pk)


def _sync_members(round: EvaluationRound) -> None:
    """The members of the round's node and its groups; probationary members take part but are not graded."""
    people = {
        p.pk: p
        for p in Person.objects.members().in_subtree(round.org).only("pk", "category").order_by("org__path", "pk")
    }
    current = {m.person_id: m for m in round.members.all()}
    RoundMember.objects.filter(round=round).exclude(person_id__in=people).delete()
    for pk, person in people.items():
        graded = person.category != MemberCategory.PROBATIONARY
        member = current.get(pk)
        if member is None:
            RoundMember.objects.create(round=round, person=person, graded=graded)
        elif member.graded != graded:
            member.graded = graded
            member.save(update_fields=["graded"])


@transaction.atomic
def create_round(
    *, campaign: Campaign, org: OrgUnit, title: str, by: Any, is_demo: bool = False, **terms: Any
) -> EvaluationRound:
    """A draft round: its terms can be edited and are shown to every member until it opens."""
    if not org.is_within(campaign.org):
        raise ValidationError(_("测评的党组织必须在活动所属组织之内。"))
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    title = title.strip() or _("民主测评")
    existing = EvaluationRound.objects.filter(campaign=campaign, org=org, title=title).first()
    if existing:  # a repeated submit
        return existing
    round = EvaluationRound.objects.create(
        campaign=campaign, org=org, title=title, created_by=audit.user_of(by), is_demo=is_demo, **_check_terms(terms)
    )
    _sync_members(round)
    audit.record(actor=by, action="evaluation.round_create", org=org, target=round, data={"title": title})
    return round


@transaction.atomic
def update_terms(*, round: EvaluationRound, by: Any, title: str | None = None, **terms: Any) -> EvaluationRound:
    round = _locked(round)
    if not round.is_draft:
        raise ValidationError(_("测评已经开始，规则和无记名设置已锁定，不能修改。"))
    checked = _check_terms(terms)
    for name, value in checked.items():
        setattr(round, name, value)
    if title is not None and title.strip():
        round.title = title.strip()
    round.save()
    audit.record(actor=by, action="evaluation.terms_update", org=round.org, target=round, data=checked)
    return round


@transaction.atomic
def open_round(*, round: EvaluationRound, by: Any) -> EvaluationRound:
    """Take the roster as it is now, create every counter, then lock the terms (ADR 0004)."""
    round = _locked(round)
    if round.is_open:
        return round
    if round.is_closed:
        raise ValidationError(_("测评已经结束，不能重新开始。"))
    _sync_members(round)
    graded = list(round.members.filter(graded=True).order_by("pk").values_list("pk", flat=True))
    if len(graded) < 2:
        raise ValidationError(_("参加评定的正式党员少于 2 人，无法开展无记名测评。"))
    sources = [RaterSource.MEMBERS] + ([RaterSource.PUBLIC] if round.allow_public else [])
    VoteCount.objects.bulk_create(
        VoteCount(round=round, subject_id=subject, source=source, dimension=dim)
        for source in sources
        for subject in graded
        for dim in range(len(round.dimensions) + 1)
    )
    round.status, round.opened_at = EvaluationRound.Status.OPEN, timezone.now()
    round.save(update_fields=["status", "opened_at"])
    audit.record(actor=by, action="evaluation.round_open", org=round.org, target=round, data={"graded": len(graded)})
    return round


@transaction.atomic
def close_round(*, round: EvaluationRound, by: Any) -> EvaluationRound:
    """Close the vote; the audit chain's hash after the closing entry goes into the notice."""
    round = _locked(round)
    if round.is_closed:
        return round
    if round.is_draft:
        raise ValidationError(_("测评尚未开始，不能结束。"))
    pending = round.paper_batches.exclude(status=PaperBatch.Status.COUNTED).count()
    if pending:
        raise ValidationError(_("还有 %(count)d 批纸质票未核对计入，不能结束测评。") % {"count": pending})
    entry = audit.record(
        actor=by,
        action="evaluation.round_close",
        org=round.org,
        target=round,
        data={"participants": round.participations.count(), "public": round.public_codes.filter(used=True).count()},
    )
    round.status, round.closed_at, round.close_hash = EvaluationRound.Status.CLOSED, timezone.now(), entry.hash
    round.save(update_fields=["status", "closed_at", "close_hash"])
    return round


# ---------------------------------------------------------------- self-assessment


@transaction.atomic
def save_self_assessment(
    *, round: EvaluationRound, person: Person, text: str, grade: int | None, by: Any
) -> SelfAssessment:
    round = _locked(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能提交个人讲评。"))
    member = RoundMember.objects.filter(round=round, person=person).first()
    if member is None:
        raise ValidationError(_("您不在本次测评的党员名单中。"))
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写个人讲评。"))
    if member.graded and (grade is None or not 0 <= grade < len(round.grades)):
        raise ValidationError(_("请选择自评等次。"))
    if not member.graded:
        grade = None  # probationary members are not graded, not even by themselves
    existing = SelfAssessment.objects.filter(member=member).first()
    if existing and (existing.text, existing.grade) == (text, grade):
        return existing
    assessment, _created = SelfAssessment.objects.update_or_create(
        member=member, defaults={"text": text, "grade": grade}
    )
    audit.record(actor=by, action="evaluation.self_assess", org=round.org, target=member)
    return assessment


# ---------------------------------------------------------------- votes


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


def _increment(round: EvaluationRound, source: str, amounts: Mapping[Cell, int]) -> None:
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
    round = _locked(round)
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
    _increment(round, RaterSource.MEMBERS, dict.fromkeys(cells, 1))
    audit.record(actor=by, action="evaluation.vote", org=round.org, target=round, data={"source": RaterSource.MEMBERS})


def check_public_code(round: EvaluationRound, typed: str) -> str:
    """The normalised code if it can still be used (the vote itself checks again under the lock)."""
    code = codes.normalise(typed)
    if not code:
        raise ValidationError(_("请输入测评码。"))
    found = PublicCode.objects.filter(round=round, code_hash=codes.code_hash(round.code_salt, code)).first()
    if found is None:
        raise ValidationError(_("测评码不正确，请核对测评票上的测评码。"))
    if found.used:
        raise AlreadyVoted(_("这个测评码已经使用过，每个测评码只能使用一次。"))
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
    round = _locked(round)
    if not round.is_open or not round.allow_public:
        raise ValidationError(_("群众测评不在进行中。"))
    code = check_public_code(round, code)
    subjects = round.members.filter(graded=True).values_list("pk", flat=True)
    cells = ballot_cells(round, subjects, grades, dimension_grades)
    spent = PublicCode.objects.filter(round=round, code_hash=codes.code_hash(round.code_salt, code), used=False).update(
        used=True
    )
    if spent != 1:
        raise AlreadyVoted(_("这个测评码已经使用过，每个测评码只能使用一次。"))
    _increment(round, RaterSource.PUBLIC, dict.fromkeys(cells, 1))
    audit.record(
        actor="public", action="evaluation.vote", org=round.org, target=round, data={"source": RaterSource.PUBLIC}
    )


@transaction.atomic
def issue_public_codes(*, round: EvaluationRound, count: int, by: Any) -> list[str]:
    """New one-time codes. The plain codes exist only in the return value (printed once as slips)."""
    round = _locked(round)
    if round.is_closed or not round.allow_public:
        raise ValidationError(_("本次测评不开展群众参评或已结束，不能再生成测评码。"))
    if not 1 <= count <= 500:
        raise ValidationError(_("每次可生成 1 至 500 个测评码。"))
    plain = [codes.new_code() for _ in range(count)]
    PublicCode.objects.bulk_create(
        PublicCode(round=round, code_hash=codes.code_hash(round.code_salt, code)) for code in plain
    )
    audit.record(actor=by, action="evaluation.codes_issue", org=round.org, target=round, data={"count": count})
    return plain


# ---------------------------------------------------------------- exclusions


@transaction.atomic
def request_exclusion(*, round: EvaluationRound, member: RoundMember, reason: str, by: Any) -> Exclusion:
    round = _locked(round)
    if round.is_closed:
        raise ValidationError(_("测评已经结束，不能再申请。"))
    if member.round_id != round.pk:
        raise ValidationError(_("该党员不在本次测评名单中。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请写明不计入参评人数的原因。"))
    existing = Exclusion.objects.filter(round=round, member=member).first()
    if existing and existing.status != Exclusion.Status.REJECTED:
        return existing
    exclusion, _created = Exclusion.objects.update_or_create(
        round=round,
        member=member,
        defaults={
            "reason": reason,
            "status": Exclusion.Status.PENDING,
            "requested_by": audit.user_of(by),
            "decided_by": None,
            "decided_at": None,
        },
    )
    audit.record(actor=by, action="evaluation.exclusion_request", org=round.org, target=member, data={"reason": reason})
    return exclusion


@transaction.atomic
def decide_exclusion(*, exclusion: Exclusion, approve: bool, by: Any) -> Exclusion:
    """The level above approves or refuses; the reason stays on the record either way."""
    exclusion = Exclusion.objects.select_for_update(of=("self",)).select_related("round__org").get(pk=exclusion.pk)
    wanted = Exclusion.Status.APPROVED if approve else Exclusion.Status.REJECTED
    if exclusion.status == wanted:
        return exclusion
    if exclusion.status != Exclusion.Status.PENDING:
        raise ValidationError(_("这项申请已经审批过了。"))
    if exclusion.round.is_closed:
        raise ValidationError(_("测评已经结束，不能再审批。"))
    exclusion.status, exclusion.decided_by, exclusion.decided_at = wanted, audit.user_of(by), timezone.now()
    exclusion.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=by,
        action="evaluation.exclusion_decide",
        org=exclusion.round.org,
        target=exclusion.member,
        data={"approved": approve, "reason": exclusion.reason},
    )
    return exclusion


# ---------------------------------------------------------------- paper ballots


@transaction.atomic
def mark_paper_voted(*, round: EvaluationRound, members: Iterable[RoundMember], by: Any) -> int:
    """Record that members handed in a paper ballot (the ballots are counted by batch). Returns how many were new."""
    round = _locked(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中。"))
    done = set(Participation.objects.filter(round=round).values_list("member_id", flat=True))
    new = [m for m in members if m.round_id == round.pk and m.pk not in done]
    Participation.objects.bulk_create(Participation(round=round, member=m, on_paper=True) for m in new)
    if new:
        audit.record(
            actor=by,
            action="evaluation.paper_voted",
            org=round.org,
            target=round,
            data={"members": [m.pk for m in new]},
        )
    return len(new)


@transaction.atomic
def create_batch(*, round: EvaluationRound, source: str, ballots: int, by: Any) -> PaperBatch:
    round = _locked(round)
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能录入纸质票。"))
    if source not in ANONYMOUS_SOURCES or (source == RaterSource.PUBLIC and not round.allow_public):
        raise ValidationError(_("纸质票来源无效。"))
    if ballots <= 0:
        raise ValidationError(_("票数必须大于 0。"))
    if source == RaterSource.MEMBERS:
        voters = round.participations.filter(on_paper=True).count()
        batched = sum(round.paper_batches.filter(source=source).values_list("ballots", flat=True))
        if batched + ballots > voters:
            raise ValidationError(
                _("党员纸质票共 %(voters)d 人登记，已建批次 %(batched)d 张，本批最多 %(left)d 张。")
                % {"voters": voters, "batched": batched, "left": max(voters - batched, 0)}
            )
    number = (round.paper_batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    batch = PaperBatch.objects.create(round=round, number=number, source=source, ballots=ballots)
    audit.record(actor=by, action="evaluation.batch_create", org=round.org, target=batch, data={"ballots": ballots})
    return batch


@dataclass(frozen=True)
class EntryResult:
    batch: PaperBatch
    waiting: bool  # the first entry: a second person must type the batch in too
    mismatched: list[str]  # cell keys where the two entries differ


def _check_batch_counts(round: EvaluationRound, batch: PaperBatch, counts: Mapping[str, int]) -> dict[str, int]:
    subjects = set(round.members.filter(graded=True).values_list("pk", flat=True))
    clean: dict[str, int] = {}
    per_member_dim: dict[tuple[int, int], int] = defaultdict(int)
    for key, value in counts.items():
        try:
            subject, dim, grade = (int(part) for part in key.split(":"))
        except ValueError as exc:
            raise ValidationError(_("录入内容无效，请刷新页面后重新录入。")) from exc
        if subject not in subjects or not 0 <= dim <= len(round.dimensions) or not 0 <= grade < len(round.grades):
            raise ValidationError(_("录入内容无效，请刷新页面后重新录入。"))
        if value < 0:
            raise ValidationError(_("票数不能为负数。"))
        if value:
            clean[key] = value
            per_member_dim[(subject, dim)] += value
    over = [k for k, total in per_member_dim.items() if total > batch.ballots]
    if over:
        raise ValidationError(
            _("有 %(count)d 处合计票数超过本批 %(ballots)d 张，请核对。")
            % {"count": len(over), "ballots": batch.ballots}
        )
    return clean


@transaction.atomic
def enter_batch(*, batch: PaperBatch, counts: Mapping[str, int], by: Any) -> EntryResult:
    """Type in a batch's tally. Two different people enter it; when their entries agree it is counted
    into the counters and the typed counts are erased, keeping the agreed tally's hash (ADR 0004)."""
    round = _locked(batch.round)
    batch = PaperBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == PaperBatch.Status.COUNTED:
        raise ValidationError(_("这批纸质票已经核对计入，不能再录入。"))
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能录入纸质票。"))
    clean = _check_batch_counts(round, batch, counts)
    user = audit.user_of(by)
    others = list(batch.entries.exclude(by=user))
    if len(others) >= 2:
        raise ValidationError(_("这批纸质票已有两人录入，请由他们核对修改。"))
    PaperEntry.objects.update_or_create(batch=batch, by=user, defaults={"counts": clean})
    audit.record(actor=by, action="evaluation.batch_entry", org=round.org, target=batch)
    if not others:
        return EntryResult(batch=batch, waiting=True, mismatched=[])
    other = others[0].counts
    mismatched = sorted(k for k in set(clean) | set(other) if clean.get(k, 0) != other.get(k, 0))
    if mismatched:
        batch.status = PaperBatch.Status.MISMATCH
        batch.save(update_fields=["status"])
        return EntryResult(batch=batch, waiting=False, mismatched=mismatched)
    amounts = {tuple(int(p) for p in key.split(":")): value for key, value in clean.items()}
    _increment(round, batch.source, amounts)  # type: ignore[arg-type]
    batch.status = PaperBatch.Status.COUNTED
    batch.digest = hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()
    batch.save(update_fields=["status", "digest"])
    batch.entries.update(counts={})
    audit.record(
        actor=by,
        action="evaluation.batch_counted",
        org=round.org,
        target=batch,
        data={"ballots": batch.ballots, "digest": batch.digest},
    )
    return EntryResult(batch=batch, waiting=False, mismatched=[])


# ---------------------------------------------------------------- the committee's decision


def top_grade_limit(round: EvaluationRound, graded: int) -> int:
    """How many members may receive the top grade: the cap's share of the graded members, rounded down."""
    return graded * round.top_cap_num // round.top_cap_den


@transaction.atomic
def decide(
    *,
    member: RoundMember,
    grade: int | None,
    opinion: str,
    reason: str,
    record_notes: str = "",
    change_reason: str = "",
    by: Any,
) -> Decision:
    """Set the committee's opinion and grade. The vote informs it; nothing here reads the tally.

    The cap on the top grade is checked under the round's lock, so two decisions at once cannot
    both take the last place. A change to a settled decision keeps a history row and needs a reason.
    """
    round = _locked(member.round)
    if not round.is_closed:
        raise ValidationError(_("测评结束后才能形成评定意见。"))
    opinion, reason, record_notes = opinion.strip(), reason.strip(), record_notes.strip()
    if not opinion or not reason:
        raise ValidationError(_("请填写评议意见和理由。"))
    if member.graded:
        if grade is None or not 0 <= grade < len(round.grades):
            raise ValidationError(_("请选择等次。"))
    elif grade is not None:
        raise ValidationError(_("预备党员参加评议，但不评定等次。"))
    if grade == 0:
        graded = round.members.filter(graded=True).count()
        limit = top_grade_limit(round, graded)
        taken = Decision.objects.filter(member__round=round, grade=0).exclude(member=member).count()
        if taken >= limit:
            raise ValidationError(
                _("“%(grade)s”等次最多 %(limit)d 人（参加评定 %(graded)d 人的 %(num)d/%(den)d），已有 %(taken)d 人。")
                % {
                    "grade": round.grades[0],
                    "limit": limit,
                    "graded": graded,
                    "num": round.top_cap_num,
                    "den": round.top_cap_den,
                    "taken": taken,
                }
            )
    now, user = timezone.now(), audit.user_of(by)
    decision = Decision.objects.select_for_update().filter(member=member).first()
    if decision is None:
        decision = Decision.objects.create(
            member=member,
            grade=grade,
            opinion=opinion,
            reason=reason,
            record_notes=record_notes,
            decided_by=user,
            decided_at=now,
        )
        audit.record(
            actor=by, action="evaluation.decide", org=round.org, target=member, data={"grade": _label(round, grade)}
        )
        return decision
    if (decision.grade, decision.opinion, decision.reason, decision.record_notes) == (
        grade,
        opinion,
        reason,
        record_notes,
    ):
        return decision
    change_reason = change_reason.strip()
    if not change_reason:
        raise ValidationError(_("评定意见已经形成，修改时请写明变更理由。"))
    DecisionChange.objects.create(
        decision=decision,
        changed_by=user,
        changed_at=now,
        old_grade=decision.grade,
        new_grade=grade,
        old_opinion=decision.opinion,
        new_opinion=opinion,
        reason=change_reason,
    )
    before = _label(round, decision.grade)
    decision.grade, decision.opinion, decision.reason, decision.record_notes = grade, opinion, reason, record_notes
    decision.decided_by, decision.decided_at = user, now
    decision.save()
    audit.record(
        actor=by,
        action="evaluation.decision_change",
        org=round.org,
        target=member,
        data={"before": before, "after": _label(round, grade), "reason": change_reason},
    )
    return decision


def _label(round: EvaluationRound, grade: int | None) -> str:
    return "" if grade is None else round.grades[grade]


# ---------------------------------------------------------------- notification


@transaction.atomic
def publish_notice(*, round: EvaluationRound, scope: str, title: str, remarks: str, by: Any) -> Notice:
    """The 通报 at one scope; it freezes the counts and the audit-chain hash at closing."""
    from .selectors import notice_counts

    round = _locked(round)
    if not round.is_closed:
        raise ValidationError(_("测评结束并形成评定意见后才能通报。"))
    undecided = round.members.filter(decision__isnull=True).count()
    if undecided:
        raise ValidationError(_("还有 %(count)d 名党员没有形成评定意见，暂不能通报。") % {"count": undecided})
    existing = Notice.objects.filter(round=round, scope=scope).first()
    if existing:
        return existing
    notice = Notice.objects.create(
        round=round,
        scope=scope,
        title=title.strip() or _("关于%(title)s情况的通报") % {"title": round.title},
        remarks=remarks.strip(),
        counts=notice_counts(round),
        audit_hash=round.close_hash,
        published_by=audit.user_of(by),
        published_at=timezone.now(),
    )
    audit.record(actor=by, action="evaluation.notice_publish", org=round.org, target=notice, data={"scope": scope})
    return notice
