"""Opinion rounds (征求意见) and the opinions they gather, from every channel."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person
from pingyi.rectification.models import RectificationItem


class OpinionRound(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="opinion_rounds", verbose_name=_("组织"))
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinion_rounds",
        verbose_name=_("活动"),
    )
    title = models.CharField(_("征求意见名称"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    ONLINE = "online", _("网上表单")
    PAPER = "paper", _("纸质征求表")
    LETTER = "letter", _("信函")
    SYMPOSIUM = "symposium", _("座谈会")
    VISIT = "visit", _("走访")
    TALK = "talk", _("谈心谈话")
    MEETING = "meeting", _("组织生活会")


class OpinionStatus(models.TextChoices):
    NEW = "new", _("待处理")
    CATEGORISED = "categorised", _("已分类")
    ANSWERED = "answered", _("已答复")
    MERGED = "merged", _("已合并")


class Opinion(models.Model):
    round = models.ForeignKey(
        OpinionRound, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("征求意见")
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    text = models.TextField(_("意见内容"))
    concerns_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions_about",
        verbose_name=_("涉及人员"),
    )
    concerns_unit = models.CharField(_("涉及单位或事项"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.NEW)
    rectification_item = models.ForeignKey(
        RectificationItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
        verbose_name=_("整改事项"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]
