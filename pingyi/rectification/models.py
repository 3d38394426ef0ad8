"""Rectification items (整改事项): one thing to change, wherever it came from, until the secretary verifies it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person, under


class ItemSource(models.TextChoices):
    OPINION = "opinion", _("征求的意见")
    COMMITMENT = "commitment", _("生活会整改承诺")
    SELF_ANALYSIS = "self_analysis", _("党性分析")
    FEEDBACK = "feedback", _("评议书面反馈")
    FOUR_CHECKS = "four_checks", _("四个查一查")
    OTHER = "other", _("其他")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    DONE = "done", _("已完成待核实")
    VERIFIED = "verified", _("已核实")


class Scope(models.TextChoices):
    """Who may read a published item on the 边议边改 list."""

    BRANCH = "branch", _("本支部党员")
    BUREAU = "bureau", _("本局干部职工")
    PUBLIC = "public", _("社会公开")


OPEN_STATES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


class RectificationItemQuerySet(models.QuerySet["RectificationItem"]):
    def in_subtree(self, root: OrgUnit) -> RectificationItemQuerySet:
        return self.filter(under(root))

    def overdue(self) -> RectificationItemQuerySet:
        """Past the deadline and not yet reported done (an item awaiting verification is the secretary's move)."""
        return self.filter(due_on__lt=timezone.localdate(), status__in=OPEN_STATES)

    def published(self) -> RectificationItemQuerySet:
        return self.filter(status=ItemStatus.VERIFIED).exclude(publish_scope="")


class RectificationItem(models.Model):
    """The records an item came from point here (e.g. Opinion.rectification_item), so one item may
    answer several opinions; `source` and `source_label` say where it started for people reading a list."""

    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="rectification_items", verbose_name=_("组织")
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("活动")
    )
    title = models.CharField(_("整改事项"), max_length=200)
    detail = models.TextField(_("问题表现"), blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=ItemSource.choices, default=ItemSource.OTHER)
    source_label = models.CharField(_("来源说明"), max_length=200, blank=True)
    # The record the item was made from ("opinions.opinion:12"), at most one item each (services.item_from_record).
    source_record = models.CharField(max_length=80, blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("责任人")
    )
    # Who the source record says it is about (e.g. the person an opinion concerns), offered when assigning.
    suggested_owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    measures = models.TextField(_("整改措施"), blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The owner's report and the secretary's verdict.
    report = models.TextField(_("整改情况"), blank=True)
    reported_at = models.DateTimeField(_("报告完成时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    # The 边议边改 list shows only these words, written for readers outside: never the owner or the source record.
    publish_scope = models.CharField(_("公开范围"), max_length=10, choices=Scope.choices, blank=True)
    public_title = models.CharField(_("公开标题"), max_length=200, blank=True)
    public_summary = models.TextField(_("整改结果"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["org", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_scope="") | Q(status=ItemStatus.VERIFIED), name="rectification_publish_verified"
            ),
            models.UniqueConstraint(
                fields=["source_record"], condition=~Q(source_record=""), name="rectification_one_item_per_record"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and self.due_on < timezone.localdate() and self.status in OPEN_STATES)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("文件")
    PHOTO = "photo", _("照片")


class Evidence(models.Model):
    """A file proving the work was done. The bytes live in the database so a failed report leaves nothing behind."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=6, choices=EvidenceKind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


DEFAULT_DAYS = 30


class RectificationSettings(models.Model):
    """Per-branch options. Photo evidence is off unless the branch turns it on (减负: no 拍照留痕 by default).
    `default_days` gives an item made outside a rectification stage its deadline (services.default_due_on)."""

    org = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="rectification_settings")
    photo_evidence = models.BooleanField(_("允许上传照片作为佐证"), default=False)
    default_days = models.PositiveSmallIntegerField(_("整改事项默认完成时限（天）"), default=DEFAULT_DAYS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("整改设置")
        verbose_name_plural = _("整改设置")

    def __str__(self) -> str:
        return str(self.org)


class CheckArea(models.TextChoices):
    """The four checks (四个查一查) of the institution."""

    PROCEDURE = "procedure", _("办事程序是否合法便民")
    FRICTION = "friction", _("内部推诿扯皮是否解决")
    COMMITMENT = "commitment", _("服务承诺是否兑现、投诉处理是否快捷")
    ASSESSMENT = "assessment", _("绩效考核是否与奖惩任用挂钩")


class FourCheck(models.Model):
    """One run of the four checks over a node's procedures and service commitments."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="four_checks", verbose_name=_("组织"))
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("活动")
    )
    title = models.CharField(_("名称"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Publishing makes the reviewed procedures and promised time limits readable by anyone (公开服务承诺).
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("四个查一查")
        verbose_name_plural = _("四个查一查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Simplified(models.TextChoices):
    YES = "yes", _("已简化")
    NO = "no", _("未简化")
    NOT_NEEDED = "not_needed", _("无需简化")


class CheckEntry(models.Model):
    """One procedure or commitment reviewed; a finding becomes a rectification item."""

    check_run = models.ForeignKey(FourCheck, on_delete=models.CASCADE, related_name="entries")
    area = models.CharField(_("检查内容"), max_length=12, choices=CheckArea.choices, default=CheckArea.PROCEDURE)
    procedure = models.CharField(_("办事程序或服务承诺"), max_length=200)
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    actual_days = models.PositiveSmallIntegerField(_("实际用时（工作日）"), null=True, blank=True)
    simplified = models.CharField(_("是否简化"), max_length=12, choices=Simplified.choices, default=Simplified.NO)
    finding = models.TextField(_("发现的问题"), blank=True)
    rectification_item = models.ForeignKey(
        RectificationItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_entries",
        verbose_name=_("整改事项"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["check_run", "id"]

    def __str__(self) -> str:
        return self.procedure

    @property
    def late(self) -> bool:
        return self.promised_days is not None and self.actual_days is not None and self.actual_days > self.promised_days
