"""Members' writings (学习心得, 党性分析材料), every submitted version, and the reviewers' decisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.org.models import Person, under

# The campaign templates name these rules on the work items a writing answers.
REFLECTION_RULE = "writings.reflection_accepted"
SELF_ANALYSIS_RULE = "writings.self_analysis_accepted"

# The self-analysis's three parts and its "four comparisons" (四个对照), in the order the writer fills them.
SECTIONS: list[tuple[str, Any]] = [
    ("problems", _("查摆的问题")),
    ("causes", _("产生问题的根源")),
    ("measures", _("整改方向和措施")),
]
COMPARISONS: list[tuple[str, Any]] = [
    ("constitution", _("对照党章和党员标准")),
    ("requirements", _("对照具体要求")),
    ("models", _("对照先进典型")),
    ("duties", _("对照本职工作")),
]


class WritingKind(models.TextChoices):
    REFLECTION = "reflection", _("学习心得")
    SELF_ANALYSIS = "self_analysis", _("党性分析材料")


KIND_OF_RULE = {REFLECTION_RULE: WritingKind.REFLECTION, SELF_ANALYSIS_RULE: WritingKind.SELF_ANALYSIS}


class WritingQuerySet(models.QuerySet["Writing"]):
    def in_any_subtree(self, paths: Any) -> WritingQuerySet:
        return self.filter(under(*paths, via="author__org"))


class Writing(models.Model):
    """One piece a member writes for a work item. The draft lives here; each submission is a WritingVersion."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审阅")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已通过")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="writings", verbose_name=_("活动"))
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.PROTECT, related_name="writings", verbose_name=_("工作事项")
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="writings", verbose_name=_("作者"))
    kind = models.CharField(_("类型"), max_length=16, choices=WritingKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The draft: for a self-analysis `text` is its sections joined under their headings.
    text = models.TextField(_("正文"), blank=True)
    sections = models.JSONField(_("分部分内容"), default=dict, blank=True)
    comparisons = models.JSONField(_("四个对照"), default=dict, blank=True)
    filename = models.CharField(_("上传的文件"), max_length=255, blank=True)
    draft_saved_at = models.DateTimeField(_("草稿保存时间"), null=True, blank=True)
    # Each editor page stamps its autosaves (client id, increasing seq): an older save from the same page
    # arriving late must not overwrite a newer one. Another page or device simply saves (last one wins),
    # so a device whose clock runs ahead cannot lock out the others.
    draft_client = models.CharField(max_length=32, blank=True)
    draft_seq = models.BigIntegerField(default=0)
    # A leader's self-analysis also goes to the supervision group (issue 6 item 4); set at each submission.
    needs_supervision = models.BooleanField(_("需督导组审阅"), default=False)
    branch_ok = models.BooleanField(_("支部已审阅通过"), default=False)
    supervision_ok = models.BooleanField(_("督导组已审阅通过"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = WritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("文稿")
        verbose_name_plural = _("文稿")
        ordering = ["campaign", "work_item", "author__org__path", "author_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_item", "author"],
                condition=Q(kind="self_analysis"),
                name="one_self_analysis_per_author_per_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False), name="accepted_writing_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="submitted_writing_has_time"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="writing_campaign_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_self_analysis(self) -> bool:
        return self.kind == WritingKind.SELF_ANALYSIS

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class WritingVersion(models.Model):
    """A submitted text, kept as it was: reviewers compare versions and the originality check reads them."""

    writing = models.ForeignKey(Writing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("稿次"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("正文"))
    sections = models.JSONField(_("分部分内容"), default=dict, blank=True)
    comparisons = models.JSONField(_("四个对照"), default=dict, blank=True)
    word_count = models.PositiveIntegerField(_("字数"))
    filename = models.CharField(_("上传的文件"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("文稿版本")
        verbose_name_plural = _("文稿版本")
        ordering = ["writing", "number"]
        constraints = [models.UniqueConstraint(fields=["writing", "number"], name="writing_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class Review(models.Model):
    """A reviewer's decision on one version: returned with comments, or accepted."""

    class Decision(models.TextChoices):
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("审阅通过")

    class Capacity(models.TextChoices):
        BRANCH = "branch", _("支部")
        SUPERVISION = "supervision", _("督导组")
        BOTH = "both", _("支部、督导组")

    writing = models.ForeignKey(Writing, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(WritingVersion, on_delete=models.CASCADE, related_name="reviews")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("审阅方"), max_length=12, choices=Capacity.choices)
    decision = models.CharField(_("审阅结果"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("审阅意见"), blank=True)
    at = models.DateTimeField(_("审阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审阅记录")
        verbose_name_plural = _("审阅记录")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "by", "decision"], name="one_decision_per_reviewer_per_version"),
            models.CheckConstraint(condition=~Q(decision="returned") | ~Q(comment=""), name="return_has_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.writing} · {self.get_decision_display()}"
