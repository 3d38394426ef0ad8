"""Question banks, papers, sittings and answer sheets of the 100-question test (百题测试).

A Paper is a set of rules ("10 true/false on the constitution, 40 single choice, …"); each member's
AnswerSheet stores the seed its questions were drawn with (drawing.draw is pure), and one Answer row per
drawn question is written when the sheet is started, so saving an answer is one UPDATE of one row and a
member who changes phones finds every answer where they left it. Options keep their identity (`id`)
whatever order a member saw them in; answers and grading name options by id, never by position.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgUnit, Person, under


class Kind(models.TextChoices):
    TRUE_FALSE = "truefalse", _("判断题")
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    FILL = "fill", _("填空题")
    SHORT = "short", _("简答题")


CHOICE_KINDS = (Kind.TRUE_FALSE, Kind.SINGLE, Kind.MULTIPLE)
TEXT_KINDS = (Kind.FILL, Kind.SHORT)


class Difficulty(models.IntegerChoices):
    EASY = 1, _("容易")
    MEDIUM = 2, _("中等")
    HARD = 3, _("较难")


class QuestionBank(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="question_banks", verbose_name=_("组织"))
    name = models.CharField(_("题库名称"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("题库")
        verbose_name_plural = _("题库")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="exams_bank_name_unique")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """`options`: [{"id": 1, "text": "…", "correct": true}, …] for choice kinds; `accepted`: the answers a
    fill-in accepts; `reference`: the reference answer of a short answer (or a note on any question)."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    accepted = models.JSONField(_("参考答案"), default=list, blank=True)
    reference = models.TextField(_("参考答案"), blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    fingerprint = models.CharField(max_length=64)  # importing.fingerprint: the same question however it is spaced
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["bank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "fingerprint"], name="exams_question_once_per_bank"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def correct_ids(self) -> list[int]:
        return [o["id"] for o in self.options if o.get("correct")]

    def option_text(self, option_id: int) -> str:
        return next((o["text"] for o in self.options if o["id"] == option_id), "")


class QuestionUpload(models.Model):
    """A large question file imported in the background (a job with progress); its bytes go once it is read."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=200)
    fmt = models.CharField(max_length=6, blank=True)
    content = models.BinaryField()
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    problems = models.JSONField(default=list, blank=True)  # each "第 n 行：why", when nothing was imported
    created = models.PositiveIntegerField(null=True, blank=True)  # questions imported, once done
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.filename


class PaperQuerySet(models.QuerySet["Paper"]):
    def in_subtree(self, root: OrgUnit) -> PaperQuerySet:
        return self.filter(under(root))


class Paper(models.Model):
    """A test paper: rules that draw questions from one bank. `per_member` draws different questions for
    each member (their sheet's seed); otherwise everyone gets the questions drawn with the paper's own seed,
    and only their order (and the options') may change per member."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="papers", verbose_name=_("组织"))
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="papers", verbose_name=_("题库"))
    code = models.SlugField(_("代码"), max_length=40)
    title = models.CharField(_("试卷名称"), max_length=100)
    per_member = models.BooleanField(_("每人抽题不同"), default=True)
    shuffle_questions = models.BooleanField(_("打乱题目顺序"), default=True)
    shuffle_options = models.BooleanField(_("打乱选项顺序"), default=True)
    seed = models.BigIntegerField(default=0)  # the questions of a paper that is the same for everyone
    pass_mark = models.PositiveSmallIntegerField(_("及格分"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = PaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("试卷")
        verbose_name_plural = _("试卷")
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="exams_paper_code_unique")]

    def __str__(self) -> str:
        return self.title


class PaperRule(models.Model):
    """Draw `count` questions of `kind` (with `tag`, when given) worth `points` each; count 0 takes them all."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices)
    tag = models.CharField(_("标签"), max_length=40, blank=True)
    count = models.PositiveSmallIntegerField(_("题数"))
    points = models.PositiveSmallIntegerField(_("每题分值"), default=1)

    class Meta:
        ordering = ["paper", "order"]
        constraints = [models.UniqueConstraint(fields=["paper", "order"], name="exams_rule_order_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.count}"


class SittingQuerySet(models.QuerySet["Sitting"]):
    def in_subtree(self, root: OrgUnit) -> SittingQuerySet:
        return self.filter(under(root))


class Sitting(models.Model):
    """A test held in a window with a time limit, both kept by the server. A make-up sitting (`makeup_of`)
    is for the members listed in its seats, each with the reason they missed the first."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("活动")
    )
    work_item = models.ForeignKey(
        "campaigns.WorkItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("工作事项"),
    )
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("试卷"))
    title = models.CharField(_("名称"), max_length=100)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    time_limit = models.PositiveSmallIntegerField(_("答题时限（分钟）"), default=60)
    makeup_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="makeups", verbose_name=_("补考")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = SittingQuerySet.as_manager()

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="exams_window_ordered"),
            models.CheckConstraint(condition=Q(time_limit__gt=0), name="exams_time_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at  # type: ignore[operator]

    def has_closed(self, now: object = None) -> bool:
        return (now or timezone.now()) >= self.closes_at  # type: ignore[operator]


class MakeupSeat(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员"))
    reason = models.CharField(_("缺考原因"), max_length=200)

    class Meta:
        ordering = ["sitting", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "person"], name="exams_one_seat_per_person")]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.person}"


class Mode(models.TextChoices):
    ONLINE = "online", _("在线答题")
    PAPER = "paper", _("纸质答卷")


class AnswerSheet(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="sheets")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员"))
    seed = models.BigIntegerField()
    mode = models.CharField(_("方式"), max_length=6, choices=Mode.choices, default=Mode.ONLINE)
    started_at = models.DateTimeField(_("开始答题"))
    due_at = models.DateTimeField(_("答题截止"))  # the earlier of started_at + time limit and the window's end
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("超时自动交卷"), default=False)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=0)
    pending = models.PositiveSmallIntegerField(default=0)  # short answers still to be graded by hand
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the secretary who typed in a paper answer sheet
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["sitting", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "person"], name="exams_one_sheet_per_sitting")]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.person}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def graded(self) -> bool:
        return self.submitted and self.pending == 0


class Answer(models.Model):
    """One drawn question of a sheet. `response`: the chosen option ids ("2,4") or the text written."""

    # Only the primary key and (sheet, position) are indexed, and the table leaves room on each page
    # (migration 0002): saving and grading rewrite rows in place without touching an index (HOT updates).
    sheet = models.ForeignKey(AnswerSheet, on_delete=models.CASCADE, related_name="answers", db_index=False)
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", db_index=False)
    option_order = models.JSONField(default=list, blank=True)  # option ids as this member sees them
    max_points = models.PositiveSmallIntegerField(default=1)
    response = models.TextField(blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(null=True, blank=True)  # None: not graded yet
    is_correct = models.BooleanField(null=True)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="exams_answer_position_unique")]

    def __str__(self) -> str:
        return f"{self.sheet_id}#{self.position}"
