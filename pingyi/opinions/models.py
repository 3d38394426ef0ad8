"""Opinion rounds (征求意见) and the opinions they gather, from every channel."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.core.citizen_id import mask_phone
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit, Person


class TargetGroup(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("有关部门")
    PUBLIC = "public", _("服务对象和群众")
    MEMBER = "member", _("党员")


class Topic(models.TextChoices):
    CAMPAIGN = "campaign", _("先进性教育活动")
    PARTY_BUILDING = "party_building", _("党建工作")
    BUREAU_WORK = "bureau_work", _("局机关业务工作")
    PROCEDURE = "procedure", _("办事程序和服务承诺")
    PEOPLE = "people", _("领导班子和干部作风")
    OTHER = "other", _("其他")


def new_public_key() -> str:
    # In the printed QR code: long enough not to be guessed, short enough to type from a poster.
    return secrets.token_urlsafe(9)


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
    intro = models.TextField(_("说明"), blank=True, help_text=_("显示在网上表单和征求意见函的开头"))
    audiences = models.JSONField(_("征求对象"), default=list, blank=True)
    topics = models.JSONField(_("征求内容"), default=list, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    public_key = models.CharField(max_length=20, unique=True, default=new_public_key, editable=False)
    accepts_public = models.BooleanField(_("开放网上表单"), default=True)
    requires_code = models.BooleanField(
        _("只接受邀请码提交"), default=False, help_text=_("勾选后，网上表单只接受受邀单位凭邀请码提交")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audience_labels(self) -> list[str]:
        return [str(TargetGroup(a).label) for a in self.audiences if a in TargetGroup.values]

    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]


class Channel(models.TextChoices):
    ONLINE = "online", _("网上表单")
    PAPER = "paper", _("纸质征求表")
    LETTER = "letter", _("信函")
    SYMPOSIUM = "symposium", _("座谈会")
    VISIT = "visit", _("走访")
    TALK = "talk", _("谈心谈话")
    MEETING = "meeting", _("组织生活会")


# Channels staff type in by hand; the others arrive through their own pages.
STAFF_CHANNELS = [Channel.PAPER, Channel.LETTER, Channel.VISIT, Channel.SYMPOSIUM]


class OpinionStatus(models.TextChoices):
    NEW = "new", _("待处理")
    CATEGORISED = "categorised", _("已分类")
    ANSWERED = "answered", _("已答复")
    MERGED = "merged", _("已合并")
    DECLINED = "declined", _("不予采纳（已说明理由）")  # `answer` holds the reason given


TRACED = (OpinionStatus.ANSWERED, OpinionStatus.MERGED, OpinionStatus.DECLINED)  # an outcome is on record


class Category(models.Model):
    """A heading the office files opinions under; `keywords` drive the suggestion (opinions.keywords)."""

    name = models.CharField(_("类别"), max_length=40, unique=True)
    keywords = models.TextField(_("关键词"), blank=True, help_text=_("用空格、逗号或顿号分隔"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Invitee(models.Model):
    """A unit or person asked for opinions by letter, and perhaps invited to a symposium."""

    round = models.ForeignKey(OpinionRound, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("单位或个人"), max_length=120)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    group = models.CharField(_("类别"), max_length=12, choices=TargetGroup.choices, default=TargetGroup.EMPLOYER)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("联系人档案")
    )

    class Meta:
        verbose_name = _("征求对象")
        verbose_name_plural = _("征求对象")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="opinion_invitee_unique_name")]

    def __str__(self) -> str:
        return self.name


class AccessCode(models.Model):
    """An invitation code for the online form. Only its keyed hash is kept; the code is printed once."""

    class Kind(models.TextChoices):
        ONE_TIME = "one_time", _("一次性邀请码")
        ROUND = "round", _("本轮通用邀请码")

    round = models.ForeignKey(OpinionRound, on_delete=models.CASCADE, related_name="codes")
    invitee = models.ForeignKey(Invitee, null=True, blank=True, on_delete=models.CASCADE, related_name="codes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Symposium(models.Model):
    round = models.ForeignKey(OpinionRound, on_delete=models.CASCADE, related_name="symposia")
    title = models.CharField(_("座谈会名称"), max_length=120)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    hosts = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("主持和参加的领导、党员"))
    attendees = models.TextField(_("参会人员"), blank=True, help_text=_("外单位和群众代表，每行一个"))
    invitees = models.ManyToManyField(Invitee, blank=True, related_name="symposia", verbose_name=_("邀请单位"))
    minutes = models.TextField(_("会议记录"), blank=True)
    is_followup = models.BooleanField(_("回访座谈会"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("座谈会")
        verbose_name_plural = _("座谈会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    round = models.ForeignKey(OpinionRound, on_delete=models.CASCADE, related_name="visits")
    visited = models.CharField(_("走访对象"), max_length=120)
    visited_on = models.DateField(_("日期"))
    visitors = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("走访人员"))
    notes = models.TextField(_("走访记录"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return self.visited


class Opinion(models.Model):
    round = models.ForeignKey(
        OpinionRound, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("征求意见")
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    text = models.TextField(_("意见内容"))
    topic = models.CharField(_("内容类别"), max_length=16, choices=Topic.choices, blank=True)
    source_group = models.CharField(_("提出者类别"), max_length=12, choices=TargetGroup.choices, blank=True)
    source_name = models.CharField(_("提出单位或个人"), max_length=120, blank=True)
    contact_name = models.CharField(_("称呼"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    invitee = models.ForeignKey(
        Invitee, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions", verbose_name=_("征求对象")
    )
    symposium = models.ForeignKey(Symposium, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions")
    concerns_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions_about",
        verbose_name=_("涉及人员"),
    )
    concerns_unit = models.CharField(_("涉及单位或事项"), max_length=120, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions", verbose_name=_("类别")
    )
    status = models.CharField(_("状态"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.NEW)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", verbose_name=_("并入")
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rectification_item = models.ForeignKey(
        "rectification.RectificationItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
        verbose_name=_("整改事项"),
    )
    # The online form's one-off token: a second submission of the same form changes nothing.
    submission_key = models.CharField(max_length=40, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="opinion_submission_once",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"), name="opinion_merged_has_status"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class LetterBatch(models.Model):
    """One run of letters (征求意见函) or invitations: a .zip of one .docx per addressee, made by one job."""

    class Kind(models.TextChoices):
        LETTERS = "letters", _("征求意见函")
        INVITATIONS = "invitations", _("座谈会邀请函")

    round = models.ForeignKey(OpinionRound, on_delete=models.CASCADE, related_name="letter_batches")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    symposium = models.ForeignKey(Symposium, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    base_url = models.CharField(max_length=200, blank=True)  # for the QR codes: the site as the requester saw it
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The bytes live in the database so a Celery worker on another host can write them.
    content = models.BinaryField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("函件批次")
        verbose_name_plural = _("函件批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.count})"

    @property
    def ready(self) -> bool:
        return self.content is not None
