"""Study activities (集中学习, 党课, 三会一课 …), their attendance registers (考勤登记) and make-up study (补学)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from pingyi.core.models import StoredFile, StoredImage
from pingyi.org.models import OrgUnit, Person, under

from .kinds import LABELS


class Slot(models.TextChoices):
    """The places of the branch routine (三会一课) an activity kind fills."""

    NONE = "", _("不计入")
    MEMBERS_MEETING = "members_meeting", _("党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")


class ActivityKind(models.Model):
    """A kind of activity and what it counts towards; rows, not code (seeded by migration 0002)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(default=0)
    counts_study_hours = models.BooleanField(_("计入学习时长"), default=True)
    routine_slot = models.CharField(_("三会一课"), max_length=20, choices=Slot.choices, blank=True)
    needs_lecturer = models.BooleanField(_("须有讲课人"), default=False)
    # The progress rules of campaign work items an attendance of this kind counts for (campaigns.progress).
    rules = models.JSONField(_("计入的工作事项规则"), default=list, blank=True)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The stored name in Chinese; in another language the shipped kind's translated name (kinds.LABELS)."""
        if (get_language() or "").startswith("zh") or self.code not in LABELS:
            return self.name
        return gettext(LABELS[self.code])


class Audience(models.TextChoices):
    ALL = "all", _("全体党员")
    LEADERS = "leaders", _("领导班子成员")
    COMMITTEE = "committee", _("支委委员")
    GROUP = "group", _("一个党小组")
    NAMED = "named", _("指定人员")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def in_subtree(self, org: OrgUnit) -> ActivityQuerySet:
        return self.filter(under(org))


class Activity(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("组织"))
    stage = models.ForeignKey(
        "campaigns.Stage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("活动阶段"),
    )
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("活动类型"))
    title = models.CharField(_("主题"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organiser = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("组织人")
    )
    lecturer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="lectures", verbose_name=_("讲课人")
    )
    lecturer_name = models.CharField(_("讲课人（外请）"), max_length=50, blank=True)
    audience = models.CharField(_("参加人员"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    group = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("党小组")
    )
    invitees = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("指定人员"))
    materials = models.TextField(_("学习材料"), blank=True)
    minutes = models.TextField(_("活动记录"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习活动")
        verbose_name_plural = _("学习活动")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["org", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> Decimal:
        """The activity's length in hours, to the quarter hour: what attending it adds to study hours."""
        quarters = round((self.ends_at - self.starts_at) / timedelta(minutes=15))
        return Decimal(quarters) / 4

    @property
    def lecturer_label(self) -> str:
        return self.lecturer.name if self.lecturer else self.lecturer_name


class ActivityPhoto(StoredImage):
    """A photo of the activity, where the branch turned photos on (never required); cleaned by core.images."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["id"]


class ActivityAttachment(StoredFile):
    """A file of the activity's study materials (PDF, Word, Excel, PowerPoint, a picture), checked by
    core.attachments; those asked to the activity and the branch's staff download it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("学习材料附件")
        verbose_name_plural = _("学习材料附件")
        ordering = ["id"]


class Status(models.TextChoices):
    PRESENT = "present", _("出席")
    LATE = "late", _("迟到")
    REMOTE = "remote", _("远程参加")
    ABSENT = "absent", _("缺席")
    LEAVE = "leave", _("请假")


ATTENDED = (Status.PRESENT, Status.LATE, Status.REMOTE)  # each one person-time (人次)
MISSED = (Status.ABSENT, Status.LEAVE)


class Source(models.TextChoices):
    REGISTER = "register", _("考勤登记")
    CHECKIN = "checkin", _("扫码签到")


class Attendance(models.Model):
    """One row per person and activity (the constraint makes concurrent check-ins an upsert)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("人员"))
    status = models.CharField(_("考勤"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("请假原因"), max_length=100, blank=True)
    source = models.CharField(_("登记方式"), max_length=10, choices=Source.choices, default=Source.REGISTER)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once_per_person")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class Confirmation(models.TextChoices):
    IN_PERSON = "in_person", _("支部当面确认")
    GROUP = "group", _("党小组会上交流")
    PHONE = "phone", _("电话确认")
    OTHER = "other", _("其他")


class MakeUp(models.Model):
    """Make-up study (补学) for a missed activity: what was studied, when, and how it was confirmed."""

    attendance = models.OneToOneField(Attendance, on_delete=models.CASCADE, related_name="makeup")
    what = models.CharField(_("补学内容"), max_length=200)
    studied_on = models.DateField(_("补学日期"))
    confirmed_how = models.CharField(_("确认方式"), max_length=12, choices=Confirmation.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("补学")
        verbose_name_plural = _("补学")

    def __str__(self) -> str:
        return self.what


class StudySettings(models.Model):
    """A branch's options: self check-in and photos are off by default (burden reduction, DOMAIN.md)."""

    org = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="study_settings")
    self_checkin = models.BooleanField(_("允许扫码签到"), default=False)
    photos = models.BooleanField(_("允许上传活动照片"), default=False)
    hours_required = models.PositiveSmallIntegerField(_("每年学习时长要求（小时）"), default=32)

    class Meta:
        verbose_name = _("学习设置")
        verbose_name_plural = _("学习设置")

    def __str__(self) -> str:
        return str(self.org)


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class RoutineRequirement(models.Model):
    """One line of a branch's 三会一课 cadence; a branch without lines follows the standing one (routine.py)."""

    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="routine_requirements")
    slot = models.CharField(_("三会一课"), max_length=20, choices=[c for c in Slot.choices if c[0]])
    period = models.CharField(_("频次"), max_length=10, choices=Period.choices)
    count = models.PositiveSmallIntegerField(_("每期次数"), default=1)

    class Meta:
        verbose_name = _("三会一课要求")
        verbose_name_plural = _("三会一课要求")
        ordering = ["org", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "slot"], name="routine_slot_once"),
            models.CheckConstraint(condition=models.Q(count__gte=1, count__lte=31), name="routine_count_1_to_31"),
        ]

    def __str__(self) -> str:
        return f"{self.get_slot_display()} {self.get_period_display()} × {self.count}"
