"""Written feedback (书面反馈) to each member after the evaluation: drafted from the record, edited, acknowledged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import Person


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已送达待确认")
    ACKNOWLEDGED = "acknowledged", _("本人已确认")


class Section(models.TextChoices):
    STRENGTHS = "strengths", _("做得好的方面")
    PROBLEMS = "problems", _("存在的问题")
    DIRECTION = "direction", _("整改方向")


class Feedback(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("活动"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员"))
    # The committee's grade and opinion as they stood when the feedback was drafted (refreshed on delivery):
    # the committee's words, shown in their own place, never edited here. An empty grade with an opinion is
    # a probationary member, who is not graded.
    grade = models.CharField(_("评定等次"), max_length=20, blank=True)
    opinion = models.TextField(_("支部委员会评议意见"), blank=True)
    correct_by = models.DateField(_("限期改正至"), null=True, blank=True)
    strengths = models.TextField(_("做得好的方面"), blank=True)
    problems = models.TextField(_("存在的问题"), blank=True)
    direction = models.TextField(_("整改方向"), blank=True)
    # The draft's sentences and the record each came from: [{"section", "text", "source"}]. Kept after
    # editing so the secretary can still see what the record said.
    basis = models.JSONField(_("起草依据"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rectification_item = models.ForeignKey(
        "rectification.RectificationItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedbacks",
        verbose_name=_("整改事项"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("书面反馈")
        verbose_name_plural = _("书面反馈")
        ordering = ["person__org__path", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="feedback_one_per_member_per_campaign"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True) | models.Q(status="acknowledged"),
                name="feedback_acknowledged_has_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.campaign}"

    @property
    def delivered(self) -> bool:
        return self.status != FeedbackStatus.DRAFT

    def basis_for(self, section: str) -> list[dict]:
        return [b for b in self.basis if b.get("section") == section]

    @property
    def has_opinion(self) -> bool:
        return bool(self.opinion)
