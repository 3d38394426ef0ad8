"""Democratic evaluation rounds (民主评议), anonymous by construction (docs/adr/0004-anonymous-ballots.md).

Who voted (`Participation`, `PublicCode.used`) and what was voted (`VoteCount`) live in
separate tables that share nothing but the round. `VoteCount` rows are created when the
round opens and only ever incremented, all of a source's rows at once.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person

DEFAULT_GRADES = ["优秀", "合格", "基本合格", "不合格"]
MAX_GRADES = 8  # grade and dimension indexes are small integers
MAX_DIMENSIONS = 12
# Below five raters, a tally gives ballots away by subtraction: a rater who knows their own choice (or a
# friend's) reads the rest off the counts. ADR 0004.
MIN_RATERS_FLOOR = 5


# What follows from a grade, in DOMAIN.md's terms, for rounds that use these names: 基本合格, the shortcomings
# are pointed out; 不合格, education and a deadline to correct (限期改正, at most a year), then organisational
# measures. A round with other grade names has no consequence the system can state.
TOP_LABEL, PLAIN_LABEL, BASIC_LABEL, FAILED_LABEL = DEFAULT_GRADES
CORRECTION_LABELS = (BASIC_LABEL, FAILED_LABEL)
MAX_CORRECTION_DAYS = 366  # "at most one year", a leap year included


def default_grades() -> list[str]:
    return list(DEFAULT_GRADES)


def default_thresholds() -> dict[str, int]:
    return {"不合格": 20}


def new_salt() -> str:
    return secrets.token_hex(16)


class RaterSource(models.TextChoices):
    """Where a rating comes from. Only the anonymous sources have counters; self-assessments are signed."""

    SELF = "self", _("个人讲评")
    MEMBERS = "members", _("党员互评")
    PUBLIC = "public", _("群众参评")


ANONYMOUS_SOURCES = (RaterSource.MEMBERS, RaterSource.PUBLIC)


class EvaluationRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("测评中")
        CLOSED = "closed", _("已结束")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name=_("活动")
    )
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name=_("党组织")
    )
    title = models.CharField(_("测评名称"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The rules, locked once the round opens (services and the triggers of migration 0002).
    grades = models.JSONField(_("等次"), default=default_grades)
    dimensions = models.JSONField(_("测评项目"), default=list, blank=True)
    weight_self = models.PositiveSmallIntegerField(_("个人讲评权重（%）"), default=10)
    weight_members = models.PositiveSmallIntegerField(_("党员互评权重（%）"), default=60)
    weight_public = models.PositiveSmallIntegerField(_("群众参评权重（%）"), default=30)
    top_cap_num = models.PositiveSmallIntegerField(_("最高等次比例（分子）"), default=1)
    top_cap_den = models.PositiveSmallIntegerField(_("最高等次比例（分母）"), default=3)
    min_raters = models.PositiveSmallIntegerField(_("最少测评人数"), default=5)
    participation_target = models.PositiveSmallIntegerField(_("参评率目标（%）"), default=95)
    review_thresholds = models.JSONField(_("提交支委会研究的条件"), default=default_thresholds, blank=True)
    allow_public = models.BooleanField(_("群众参评"), default=True)
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code_salt = models.CharField(max_length=32, default=new_salt, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_hash = models.CharField(_("结束时审计链哈希"), max_length=64, blank=True)
    # Closing below the participation target is a decision the branch records (and the notice states).
    shortfall_reason = models.TextField(_("参评率未达目标仍结束测评的原因"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("民主测评")
        verbose_name_plural = _("民主测评")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_self__lte=100) & Q(weight_members__lte=100) & Q(weight_public__lte=100),
                name="evaluation_weights_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(top_cap_den__gt=0) & Q(top_cap_num__lte=models.F("top_cap_den")),
                name="evaluation_top_cap_is_a_fraction",
            ),
            models.CheckConstraint(
                condition=Q(min_raters__gte=MIN_RATERS_FLOOR), name="evaluation_min_raters_at_least_five"
            ),
            models.CheckConstraint(condition=Q(participation_target__lte=100), name="evaluation_target_percent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def top_grade(self) -> str:
        return self.grades[0]

    def weight(self, source: str) -> int:
        return {
            RaterSource.SELF: self.weight_self,
            RaterSource.MEMBERS: self.weight_members,
            RaterSource.PUBLIC: self.weight_public,
        }[RaterSource(source)]


class RoundMember(models.Model):
    """A member taking part: rates the others, assesses themself; `graded` is False for probationary members."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evaluation_rounds")
    graded = models.BooleanField(_("评定等次"), default=True)

    class Meta:
        verbose_name = _("参评党员")
        verbose_name_plural = _("参评党员")
        ordering = ["person__org__path", "person_id"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="evaluation_member_once")]

    def __str__(self) -> str:
        return str(self.person)


class SelfAssessment(models.Model):
    """个人讲评: signed by nature, so it is not part of the anonymous tally.

    Saved as a draft while the member writes (autosaved like the writing editor); it counts, for the
    committee and for progress, only once submitted."""

    member = models.OneToOneField(RoundMember, on_delete=models.CASCADE, related_name="self_assessment")
    text = models.TextField(_("个人讲评"), blank=True)
    grade = models.PositiveSmallIntegerField(_("自评等次"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Each editor page stamps its autosaves (client id, increasing seq), as the writing editor does.
    draft_client = models.CharField(max_length=32, blank=True)
    draft_seq = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("个人讲评")
        verbose_name_plural = _("个人讲评")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Participation(models.Model):
    """That a member has voted in the round. Nothing here refers to what they voted."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(RoundMember, on_delete=models.CASCADE, related_name="participations")
    on_paper = models.BooleanField(_("纸质投票"), default=False)

    class Meta:
        verbose_name = _("参评记录")
        verbose_name_plural = _("参评记录")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="evaluation_vote_once")]

    def __str__(self) -> str:
        return str(self.member)


class PublicCode(models.Model):
    """A one-time code for a public rater (群众参评): only a salted hash is kept (ADR 0004)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="public_codes")
    code_hash = models.CharField(max_length=64)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("群众测评码")
        verbose_name_plural = _("群众测评码")
        constraints = [models.UniqueConstraint(fields=["round", "code_hash"], name="evaluation_code_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.code_hash[:8]}"


GRADE_COLUMNS = [f"grade_{i}" for i in range(MAX_GRADES)]
# Counters are stored as count + COUNTER_BASE: every stored value then takes the same six bytes in a
# SQLite record, so a vote rewrites each row in place and the page looks the same whatever order the
# votes came in (a 0, a 1 and a 2 take 0, 0 and 1 bytes, and a record that changes size moves within its
# page, leaving a trace of when it grew). PostgreSQL's bigint is fixed-width anyway. ADR 0004.
COUNTER_BASE = 1 << 40


class CounterField(models.BigIntegerField):
    """A vote counter: Python sees the count, the database stores count + COUNTER_BASE (lookups included)."""

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> int | None:
        return None if value is None else value - COUNTER_BASE

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        return None if value is None else int(value) + COUNTER_BASE


class VoteCount(models.Model):
    """How many raters of one source gave one member each grade (on one dimension; 0 = overall).

    The only record of what was voted. No rater, no time, random ids; created at opening,
    then incremented as a whole (services.cast_vote). test_anonymity allow-lists its columns.
    One row holds every grade's counter, so a vote rewrites one row per member and dimension.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No single-column indexes: the unique cell index serves every read, and each index would be
    # rewritten by every vote (migration 0004 also leaves room in each page for in-place updates).
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="vote_counts", db_index=False)
    subject = models.ForeignKey(RoundMember, on_delete=models.CASCADE, related_name="vote_counts", db_index=False)
    source = models.CharField(max_length=10, choices=RaterSource.choices)
    dimension = models.PositiveSmallIntegerField(default=0)
    grade_0 = CounterField(default=0)
    grade_1 = CounterField(default=0)
    grade_2 = CounterField(default=0)
    grade_3 = CounterField(default=0)
    grade_4 = CounterField(default=0)
    grade_5 = CounterField(default=0)
    grade_6 = CounterField(default=0)
    grade_7 = CounterField(default=0)

    class Meta:
        verbose_name = _("测评计数")
        verbose_name_plural = _("测评计数")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "source", "dimension"], name="evaluation_vote_count_row"
            ),
            models.CheckConstraint(condition=~Q(source=RaterSource.SELF), name="evaluation_vote_count_anonymous_only"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.source} {self.dimension}: {self.counts}"

    @property
    def counts(self) -> list[int]:
        return [getattr(self, column) for column in GRADE_COLUMNS]

    @property
    def total(self) -> int:
        return sum(self.counts)


class Exclusion(models.Model):
    """A member left out of the expected participation count, approved by the level above with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("不同意")

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="exclusions")
    member = models.ForeignKey(RoundMember, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("不计入参评人数")
        verbose_name_plural = _("不计入参评人数")
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="evaluation_exclusion_once")]

    def __str__(self) -> str:
        return f"{self.member}: {self.reason}"


class PaperBatch(models.Model):
    """A bundle of paper ballots, typed in twice by two people and counted once both entries agree.

    At least `min_raters` ballots (services.paper): the two who type a batch see its tally, which must
    not be small enough to give a ballot away. The typings are kept only as keyed digests per cell, and
    the agreed tally only as a digest salted with `salt` (ADR 0004, "Paper ballots")."""

    class Status(models.TextChoices):
        ENTERING = "entering", _("录入中")
        MISMATCH = "mismatch", _("两次录入不一致")
        COUNTED = "counted", _("已计入")

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="paper_batches")
    number = models.PositiveSmallIntegerField(_("批次"))
    source = models.CharField(_("来源"), max_length=10, choices=RaterSource.choices)
    ballots = models.PositiveIntegerField(_("票数"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ENTERING)
    digest = models.CharField(_("计票摘要"), max_length=64, blank=True)  # SHA-256 of salt + the agreed tally
    salt = models.CharField(max_length=32, default=new_salt, editable=False)

    class Meta:
        verbose_name = _("纸质票批次")
        verbose_name_plural = _("纸质票批次")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="evaluation_batch_number"),
            models.CheckConstraint(condition=~Q(source=RaterSource.SELF), name="evaluation_batch_anonymous_only"),
            models.CheckConstraint(condition=Q(ballots__gt=0), name="evaluation_batch_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"


class PaperEntry(models.Model):
    """One person's typing of a batch's tally, as a keyed digest of every cell (zeros included), so a
    typing nobody confirmed, or one that disagreed, cannot be read back; erased once the batch is counted."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="entries")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("纸质票录入")
        verbose_name_plural = _("纸质票录入")
        constraints = [models.UniqueConstraint(fields=["batch", "by"], name="evaluation_entry_per_person")]

    def __str__(self) -> str:
        return f"{self.batch} · {self.by}"


class Decision(models.Model):
    """The branch committee's evaluation opinion and grade on a member (the vote informs, never sets)."""

    member = models.OneToOneField(RoundMember, on_delete=models.CASCADE, related_name="decision")
    grade = models.PositiveSmallIntegerField(_("等次"), null=True, blank=True)  # None: probationary, not graded
    opinion = models.TextField(_("评议意见"))
    reason = models.TextField(_("理由"))
    record_notes = models.TextField(_("一贯表现"), blank=True)
    correct_by = models.DateField(_("限期改正至"), null=True, blank=True)  # 不合格 only: at most a year
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("支委会评定意见")
        verbose_name_plural = _("支委会评定意见")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def grade_label(self) -> str:
        return "" if self.grade is None else self.member.round.grades[self.grade]


class DecisionChange(models.Model):
    """A change to a settled decision: what it was, what it became, who changed it and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField()
    old_grade = models.PositiveSmallIntegerField(null=True)
    new_grade = models.PositiveSmallIntegerField(null=True)
    old_opinion = models.TextField()
    new_opinion = models.TextField()
    reason = models.TextField(_("变更理由"))

    class Meta:
        verbose_name = _("评定意见变更记录")
        verbose_name_plural = _("评定意见变更记录")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} @ {self.changed_at:%Y-%m-%d %H:%M}"


class NoticeScope(models.TextChoices):
    BRANCH = "branch", _("本支部党员")
    BUREAU = "bureau", _("全局")
    PUBLIC = "public", _("社会公开")


class Notice(models.Model):
    """通报: the results at a chosen scope, with the counts and the audit-chain hash at closing.

    A second notice at a scope that has one replaces it: both stay readable, the old one marked as
    replaced, the new one saying why it was issued (services.publish_notice)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="notices")
    scope = models.CharField(_("通报范围"), max_length=10, choices=NoticeScope.choices)
    title = models.CharField(_("标题"), max_length=120)
    remarks = models.TextField(_("补充说明"), blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successor", verbose_name=_("替代")
    )
    correction = models.TextField(_("再次发布的原因"), blank=True)
    counts = models.JSONField(default=dict)
    audit_hash = models.CharField(max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("评议通报")
        verbose_name_plural = _("评议通报")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "successor")
