from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgUnit, under


class Translated(models.Model):
    """A row whose texts came from a campaign template, with the template's other languages beside them:
    {"en": {"name": "...", "hint": "..."}}. The Chinese stays in the row's own fields (documents are filed
    in Chinese whatever the page's language); pages show `in_language(field)`."""

    translations = models.JSONField(_("其他语言"), default=dict, blank=True)

    class Meta:
        abstract = True

    def in_language(self, field: str) -> str:
        source = getattr(self, field)
        language = get_language() or settings.LANGUAGE_CODE
        return (self.translations.get(language) or {}).get(field) or source


class CampaignTemplate(models.Model):
    """A campaign's shape kept as data: its YAML body lists stages, work items and look-back checks (see spec.py)."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    body = models.TextField(_("模板内容（YAML）"))
    is_active = models.BooleanField(_("可用"), default=True)

    class Meta:
        verbose_name = _("活动模板")
        verbose_name_plural = _("活动模板")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    """Who a work item is about, within the campaign node's subtree (progress.audience): its progress is
    counted per member of the audience, or once for the node as a whole."""

    MEMBERS = "members", _("全体党员")
    LEADERS = "leaders", _("领导班子成员")
    COMMITTEE = "committee", _("支委会成员")
    BRANCH = "branch", _("本组织（整体）")


class Actors(models.TextChoices):
    """Who must act for a work item to be done: the people it is about, each for themselves, or others
    acting for all of them (the committee forms an opinion about every member)."""

    SELF = "self", _("本人")
    LEADERS = "leaders", _("领导班子")
    COMMITTEE = "committee", _("支委会")
    SECRETARY = "secretary", _("支部书记")
    OFFICE = "office", _("保先办")


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def covering(self, org: OrgUnit) -> CampaignQuerySet:
        """Campaigns run by this node or any node above it."""
        return self.filter(org_id__in=org.ancestor_ids())

    def in_any_subtree(self, paths: Iterable[str]) -> CampaignQuerySet:
        return self.filter(under(*paths))

    def open(self) -> CampaignQuerySet:
        return self.filter(status=Campaign.Status.OPEN)


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("组织"))
    template = models.ForeignKey(CampaignTemplate, null=True, on_delete=models.SET_NULL, verbose_name=_("模板"))
    title = models.CharField(_("活动名称"), max_length=120)
    starts_on = models.DateField(_("开始日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_stage(self) -> Stage | None:
        """Reads the prefetched stages, so list pages pay no extra query."""
        return next((s for s in self.stages.all() if s.status == Stage.Status.OPEN), None)

    @property
    def ends_on(self) -> Any:
        stages = list(self.stages.all())
        return stages[-1].ends_on if stages else self.starts_on


class Stage(Translated):
    class Status(models.TextChoices):
        PENDING = "pending", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    name = models.CharField(_("阶段"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="stage_order_unique"),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(status="open"), name="one_open_stage_per_campaign"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="stage_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"

    @property
    def label(self) -> str:
        """The stage's name in the reader's language."""
        return self.in_language("name")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def unchecked_lookback(self) -> list[LookBackItem]:
        return [item for item in self.lookback_items.all() if not item.checked]


class WorkItem(Translated):
    """A required or optional piece of work in a stage. Its completion comes from records (campaigns.progress)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="work_items")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    name = models.CharField(_("工作事项"), max_length=100)
    hint = models.CharField(_("说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必做"), default=True)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    actors = models.CharField(_("由谁完成"), max_length=10, choices=Actors.choices, default=Actors.SELF)
    rule = models.CharField(_("完成规则"), max_length=60, blank=True)
    params = models.JSONField(_("规则参数"), default=dict, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作事项")
        verbose_name_plural = _("工作事项")
        ordering = ["stage", "order"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="work_item_code_unique"),
            # Nobody can do a node-wide item "for themselves".
            models.CheckConstraint(
                condition=~Q(audience="branch", actors="self"), name="work_item_branch_item_has_actors"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The item's name in the reader's language."""
        return self.in_language("name")

    @property
    def hint_label(self) -> str:
        return self.in_language("hint")

    @property
    def per_person(self) -> bool:
        return self.audience != Audience.BRANCH


class LookBackItem(Translated):
    """One line of the 回头看 checklist the secretary ticks before signing off a stage."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="lookback_items")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(_("检查内容"), max_length=200)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("回头看检查项")
        verbose_name_plural = _("回头看检查项")
        ordering = ["stage", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "order"], name="lookback_order_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        return self.in_language("text")

    @property
    def checked(self) -> bool:
        return self.checked_at is not None


class StageReview(models.Model):
    """The supervision group's comment and rating on a stage: one per reviewer, revised in place."""

    class Rating(models.TextChoices):
        GOOD = "good", _("好")
        FAIR = "fair", _("较好")
        PASS = "pass", _("一般")
        POOR = "poor", _("差")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="reviews")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("评价"), max_length=6, choices=Rating.choices)
    comment = models.TextField(_("意见"))
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("督导评价")
        verbose_name_plural = _("督导评价")
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["stage", "by"], name="one_review_per_reviewer_per_stage")]

    def __str__(self) -> str:
        return f"{self.stage} · {self.get_rating_display()}"


class Excusal(models.Model):
    """A member the campaign does not hold to a work item (or to every item, when `work_item` is empty), with
    the reason recorded: away for a long time, elderly or infirm, ill. Progress shows them as excused."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="excusals")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("党员"))
    work_item = models.ForeignKey(
        WorkItem, null=True, blank=True, on_delete=models.CASCADE, related_name="excusals", verbose_name=_("工作事项")
    )
    reason = models.CharField(_("原因"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("不作要求")
        verbose_name_plural = _("不作要求")
        ordering = ["campaign", "person", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person", "work_item"], name="excusal_once_per_item"),
            models.UniqueConstraint(
                fields=["campaign", "person"], condition=Q(work_item__isnull=True), name="excusal_once_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.reason}"
