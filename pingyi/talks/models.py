"""Heart-to-heart talks (谈心谈话): who talked with whom, when, and the confidential summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, Person, under

from . import coverage


class Side(models.TextChoices):
    """A talk's two sides: it covers every pair of one person from each (coverage.py)."""

    A = "a", _("谈话人")
    B = "b", _("谈话对象")


class TalkQuerySet(models.QuerySet["Talk"]):
    def in_subtree(self, org: OrgUnit) -> TalkQuerySet:
        return self.filter(under(org))


class Talk(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="talks", verbose_name=_("组织"))
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="talks", verbose_name=_("活动")
    )
    held_on = models.DateField(_("谈话日期"))
    topic = models.CharField(_("谈话主题"), max_length=120)
    # Confidential: only the participants and the secretary read it (talks.permissions).
    summary = models.TextField(_("谈话摘要"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    def sides(self) -> coverage.TalkSides:
        """Reads the prefetched participants."""
        people = list(self.participants.all())
        return coverage.TalkSides(
            held_on=self.held_on,
            side_a=frozenset(p.person_id for p in people if p.side == Side.A),
            side_b=frozenset(p.person_id for p in people if p.side == Side.B),
        )


class TalkParticipant(models.Model):
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="talk_participations", verbose_name=_("人员")
    )
    side = models.CharField(_("身份"), max_length=1, choices=Side.choices)

    class Meta:
        verbose_name = _("谈话参加人")
        verbose_name_plural = _("谈话参加人")
        ordering = ["side", "id"]
        constraints = [models.UniqueConstraint(fields=["talk", "person"], name="talk_participant_once")]

    def __str__(self) -> str:
        return f"{self.talk} · {self.person}"


class RaisedOpinion(models.Model):
    """An opinion raised in a talk. Kept here whether or not it went to an opinion round, so nothing is lost."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="raised_opinions")
    text = models.TextField(_("意见内容"))
    concerns_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("涉及人员")
    )
    opinion = models.OneToOneField(
        "opinions.Opinion", null=True, blank=True, on_delete=models.SET_NULL, related_name="raised_in_talk"
    )

    class Meta:
        verbose_name = _("谈话中提出的意见")
        verbose_name_plural = _("谈话中提出的意见")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class PeopleSet(models.TextChoices):
    COMMITTEE = coverage.COMMITTEE, _("支委委员")
    MEMBER = coverage.MEMBER, _("党员（非支委）")
    LEADER = coverage.LEADER, _("领导班子成员")
    EVERYONE = coverage.EVERYONE, _("全体党员")
    CHARGE = coverage.CHARGE, _("其分管范围内的党员")


class SameGroup(models.TextChoices):
    NEVER = coverage.NEVER, _("不限党小组")
    ALWAYS = coverage.ALWAYS, _("仅限同一党小组")
    LARGE_BRANCH = coverage.LARGE_BRANCH, _("党员较多时仅限同一党小组")


class TalkRequirement(models.Model):
    """A campaign's own requirement on top of the standing one, e.g. leaders with the people in their charge."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="talk_requirements")
    name = models.CharField(_("规则名称"), max_length=60)
    left = models.CharField(_("一方"), max_length=10, choices=[c for c in PeopleSet.choices if c[0] != "charge"])
    right = models.CharField(_("另一方"), max_length=10, choices=PeopleSet.choices)
    same_group = models.CharField(_("范围"), max_length=12, choices=SameGroup.choices, default=SameGroup.NEVER)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("谈话规则")
        verbose_name_plural = _("谈话规则")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "left", "right", "same_group"], name="talk_requirement_once"),
            models.CheckConstraint(condition=~models.Q(left="charge"), name="talk_requirement_charge_on_right_only"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_requirement(self) -> coverage.PairRequirement:
        return coverage.PairRequirement(name=self.name, left=self.left, right=self.right, same_group=self.same_group)
