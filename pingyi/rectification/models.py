"""Rectification items (整改事项): one thing to change, wherever it came from, until the secretary verifies it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person


class Source(models.TextChoices):
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
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.OTHER)
    source_label = models.CharField(_("来源说明"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("责任人")
    )
    measures = models.TextField(_("整改措施"), blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["org", "status"])]

    def __str__(self) -> str:
        return self.title
