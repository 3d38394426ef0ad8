"""Life meetings: 组织生活会 for members and 民主生活会 for the leadership, planned and then recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person


class Kind(models.TextChoices):
    ORGANISATIONAL = "organisational", _("组织生活会")
    DEMOCRATIC = "democratic", _("民主生活会")


class LifeMeeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("已计划")
        HELD = "held", _("已召开")

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="life_meetings", verbose_name=_("组织"))
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="life_meetings", verbose_name=_("活动")
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=Kind.choices)
    theme = models.CharField(_("会议主题"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("主持人")
    )
    recorder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )
    agenda = models.TextField(_("会议议程"), blank=True)
    # Higher-level attendance (上级列席): members of the supervision group above the node.
    supervisors = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("上级列席人员"))
    opinion_round = models.ForeignKey(
        "opinions.OpinionRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("批评意见转入"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("生活会")
        verbose_name_plural = _("生活会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.theme


class Attendee(models.Model):
    """One expected participant and what they said; `present` stays None until attendance is taken."""

    meeting = models.ForeignKey(LifeMeeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="life_meetings", verbose_name=_("人员"))
    present = models.BooleanField(_("出席"), null=True, blank=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)
    self_criticism = models.TextField(_("自我批评"), blank=True)
    response = models.TextField(_("表态回应"), blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.person}"

    @property
    def has_record(self) -> bool:
        return bool(self.self_criticism or self.response or self.criticisms.exists() or self.commitments.exists())


class Criticism(models.Model):
    """Criticism an attendee received, and from whom; it is also an opinion of the meeting's round, if any."""

    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="criticisms")
    critic = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提出人")
    )
    text = models.TextField(_("批评意见"))
    opinion = models.OneToOneField(
        "opinions.Opinion", null=True, blank=True, on_delete=models.SET_NULL, related_name="raised_in_meeting"
    )
    rectification_item = models.ForeignKey(
        "rectification.RectificationItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("批评意见")
        verbose_name_plural = _("批评意见")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class Commitment(models.Model):
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("整改承诺"))
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    rectification_item = models.ForeignKey(
        "rectification.RectificationItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("整改承诺")
        verbose_name_plural = _("整改承诺")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]
