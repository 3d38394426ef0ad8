"""A round's terms, its life (draft, open, closed), self-assessments and approved exclusions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.org.models import MemberCategory, OrgUnit, Person

from ..models import (
    DEFAULT_GRADES,
    MAX_DIMENSIONS,
    MAX_GRADES,
    MIN_RATERS_FLOOR,
    EvaluationRound,
    Exclusion,
    PaperBatch,
    RaterSource,
    RoundMember,
    SelfAssessment,
    VoteCount,
)
from . import storage

if TYPE_CHECKING:
    from ..selectors import ParticipationSummary

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
    if int(terms.get("min_raters", MIN_RATERS_FLOOR)) < MIN_RATERS_FLOOR:
        raise ValidationError(
            _("最少测评人数不能少于 %(n)d 人：人数再少，从合计中减去自己或熟人的选择，就能推知其他人的投票。")
            % {"n": MIN_RATERS_FLOOR}
        )
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


def lock_round(round: EvaluationRound) -> EvaluationRound:
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
    round = lock_round(round)
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
    round = lock_round(round)
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


class BelowTarget(ValidationError):
    """Closing below the participation target needs the branch's confirmation and a reason."""


def shortfall_text(summary: ParticipationSummary) -> str:
    return _(
        "参评率 %(percent)d%%（应参评 %(expected)d 人，实际参评 %(voted)d 人），低于 %(target)d%% 的目标，"
        "还差 %(missing)d 人。"
    ) % {
        "percent": summary.percent,
        "expected": summary.expected,
        "voted": summary.voted,
        "target": summary.target,
        "missing": summary.missing,
    }


@transaction.atomic
def close_round(
    *, round: EvaluationRound, by: Any, below_target_confirmed: bool = False, shortfall_reason: str = ""
) -> EvaluationRound:
    """Close the vote; the audit chain's hash after the closing entry goes into the notice.

    Below the participation target it is a decision, not a click: the person closing confirms it and
    says why; both go into the audit entry, the reason onto the round (the notice states it)."""
    from ..selectors import participation, unbatched_member_ballots

    round = lock_round(round)
    if round.is_closed:
        return round
    if round.is_draft:
        raise ValidationError(_("测评尚未开始，不能结束。"))
    pending = round.paper_batches.exclude(status=PaperBatch.Status.COUNTED).count()
    if pending:
        raise ValidationError(_("还有 %(count)d 批纸质票未核对计入，不能结束测评。") % {"count": pending})
    unbatched = unbatched_member_ballots(round)
    if unbatched >= round.min_raters:
        raise ValidationError(_("还有 %(count)d 张党员纸质票没有成批录入，不能结束测评。") % {"count": unbatched})
    summary = participation(round)
    reason = shortfall_reason.strip() if not summary.meets_target else ""
    if not summary.meets_target and not (below_target_confirmed and reason):
        raise BelowTarget(shortfall_text(summary) + _("确需结束测评，请勾选确认并写明原因。"))
    data: dict[str, Any] = {
        "participants": summary.voted,
        "public": round.public_codes.filter(used=True).count(),
        "percent": summary.percent,
        "target": summary.target,
    }
    if reason:
        data.update(below_target=True, reason=reason)
    if unbatched:  # too few to count without showing the clerks those ballots: the notice says so
        data["paper_uncounted"] = unbatched
    entry = audit.record(actor=by, action="evaluation.round_close", org=round.org, target=round, data=data)
    round.status, round.closed_at, round.close_hash = EvaluationRound.Status.CLOSED, timezone.now(), entry.hash
    round.shortfall_reason = reason
    round.save(update_fields=["status", "closed_at", "close_hash", "shortfall_reason"])
    transaction.on_commit(lambda: storage.compact_counters(round.pk))
    return round


def _own_member(round: EvaluationRound, person: Person) -> RoundMember:
    if not round.is_open:
        raise ValidationError(_("测评不在进行中，不能提交个人讲评。"))
    member = RoundMember.objects.filter(round=round, person=person).first()
    if member is None:
        raise ValidationError(_("您不在本次测评的党员名单中。"))
    return member


@dataclass(frozen=True)
class DraftSaved:
    assessment: SelfAssessment | None
    saved: bool  # False: nothing had changed, or a newer save from the same page was already stored


@transaction.atomic
def save_self_assessment_draft(
    *,
    round: EvaluationRound,
    person: Person,
    text: str,
    grade: int | None,
    seq: int | None = None,
    client: str = "",
    by: Any,
) -> DraftSaved:
    """Keep what the member is writing, as the writing editor does: each page stamps its saves (client id,
    increasing seq), so an older save from the same page arriving late changes nothing. A submitted
    self-assessment is changed only by submitting again. Not audited: a draft is nobody's record yet."""
    round = lock_round(round)
    member = _own_member(round, person)
    existing = SelfAssessment.objects.select_for_update().filter(member=member).first()
    if existing is not None and existing.is_submitted:
        raise ValidationError(_("个人讲评已经提交；修改后请点“提交个人讲评”。"))
    client = client[:32]
    if existing and seq is not None and client and client == existing.draft_client and seq < existing.draft_seq:
        return DraftSaved(existing, saved=False)
    grade = grade if member.graded and grade is not None and 0 <= grade < len(round.grades) else None
    values = {"text": text.strip()[:5000], "grade": grade}
    stamp = {"draft_client": client, "draft_seq": seq} if seq is not None and client else {}
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        if stamp:
            SelfAssessment.objects.filter(pk=existing.pk).update(**stamp)
        return DraftSaved(existing, saved=False)
    assessment, _created = SelfAssessment.objects.update_or_create(member=member, defaults={**values, **stamp})
    return DraftSaved(assessment, saved=True)


@transaction.atomic
def save_self_assessment(
    *, round: EvaluationRound, person: Person, text: str, grade: int | None, by: Any
) -> SelfAssessment:
    """Submit the self-assessment: from now on it counts (progress, the committee's dossier, the tally)."""
    round = lock_round(round)
    member = _own_member(round, person)
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写个人讲评。"))
    if member.graded and (grade is None or not 0 <= grade < len(round.grades)):
        raise ValidationError(_("请选择自评等次。"))
    if not member.graded:
        grade = None  # probationary members are not graded, not even by themselves
    existing = SelfAssessment.objects.filter(member=member).first()
    if existing and existing.is_submitted and (existing.text, existing.grade) == (text, grade):
        return existing
    assessment, _created = SelfAssessment.objects.update_or_create(
        member=member, defaults={"text": text, "grade": grade, "submitted_at": timezone.now()}
    )
    audit.record(actor=by, action="evaluation.self_assess", org=round.org, target=member)
    return assessment


@transaction.atomic
def request_exclusion(*, round: EvaluationRound, member: RoundMember, reason: str, by: Any) -> Exclusion:
    round = lock_round(round)
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
