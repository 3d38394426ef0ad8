"""Study plans and materials handed to members, contact with members away or retired, liaison points and
good deeds. Dated records: a stage counts what falls between its dates, so nobody picks a stage by hand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign, Stage
from pingyi.core.models import StoredFile, StoredImage
from pingyi.org.models import OrgUnit, Person


class OutreachSettings(models.Model):
    """Per-branch options. Photos of good deeds are off unless the branch turns them on (减负: no 拍照留痕)."""

    org = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="outreach_settings")
    photos = models.BooleanField(_("为民办实事可以附照片"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("联系群众设置")
        verbose_name_plural = _("联系群众设置")

    def __str__(self) -> str:
        return str(self.org)


class StudyPlan(models.Model):
    """The study plan of one stage, issued to every member of the branch, with its required reading."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="study_plans")
    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="study_plan")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("学习安排"))
    readings = models.TextField(_("必读篇目"), blank=True, help_text=_("每行一篇。"))
    readings_due_on = models.DateField(_("必读完成时间"), null=True, blank=True)
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")

    def __str__(self) -> str:
        return self.title

    @property
    def reading_list(self) -> list[str]:
        return [line.strip() for line in self.readings.splitlines() if line.strip()]


class PlanRead(models.Model):
    """A member tapped 已阅 on the plan."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("已阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学习计划已阅")
        verbose_name_plural = _("学习计划已阅")
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="plan_read_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.person_id}"


class Material(models.Model):
    """Books or study materials handed out in a branch; who got it is one row per member (Handout)."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    title = models.CharField(_("书籍或材料"), max_length=120)
    issued_on = models.DateField(_("发放日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("学习材料发放")
        verbose_name_plural = _("学习材料发放")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MaterialFile(StoredFile):
    """The electronic copy of a handed-out material (PDF, Word, …, checked by core.attachments): for members
    away, and for those who did not get the printed one. Its branch's readers and the members it was handed
    to download it."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="files")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("学习材料电子版")
        verbose_name_plural = _("学习材料电子版")
        ordering = ["id"]


class Handout(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="handouts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    received = models.BooleanField(_("已领取"), default=True)

    class Meta:
        verbose_name = _("材料领取")
        verbose_name_plural = _("材料领取")
        constraints = [models.UniqueConstraint(fields=["material", "person"], name="handout_once")]

    def __str__(self) -> str:
        return f"{self.material_id}:{self.person_id}"


class ContactKind(models.TextChoices):
    PHONE = "phone", _("电话联系")
    POSTED = "posted", _("邮寄学习材料")
    SCHEDULE = "schedule", _("发送活动安排")
    VISIT = "visit", _("上门看望")


class Contact(models.Model):
    """One contact with a member away from home or retired: how, when, by whom, and what came of it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员"))
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")  # the member's node, for scoping
    kind = models.CharField(_("方式"), max_length=10, choices=ContactKind.choices)
    contacted_on = models.DateField(_("日期"))
    contacted_by = models.CharField(_("联系人"), max_length=50)
    result = models.TextField(_("结果"))
    remote = models.BooleanField(_("以远程方式参加学习"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("联系外出、离退休党员")
        verbose_name_plural = _("联系外出、离退休党员")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["person", "contacted_on"], name="contact_person_day")]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.person_id} {self.kind}"


class LiaisonKind(models.TextChoices):
    POINT = "point", _("挂钩联系点")
    VILLAGE = "village", _("结对帮扶村")


class LiaisonPoint(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=10, choices=LiaisonKind.choices, default=LiaisonKind.POINT)
    leaders = models.ManyToManyField(Person, related_name="+", verbose_name=_("联系领导"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("挂钩联系点")
        verbose_name_plural = _("挂钩联系点")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="liaison_point_name")]

    def __str__(self) -> str:
        return self.name


class VisitKind(models.TextChoices):
    VISIT = "visit", _("走访调研")
    PARTY_DAY = "party_day", _("主题党日活动")


class LiaisonVisit(models.Model):
    point = models.ForeignKey(LiaisonPoint, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(_("类型"), max_length=10, choices=VisitKind.choices, default=VisitKind.VISIT)
    held_on = models.DateField(_("日期"))
    people = models.ManyToManyField(Person, related_name="+", verbose_name=_("参加人员"))
    note = models.TextField(_("情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("联系点活动")
        verbose_name_plural = _("联系点活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.point_id}"


class GoodDeed(models.Model):
    """为民办实事: who did what, when, for whom; photos only where the branch turned them on."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    point = models.ForeignKey(
        LiaisonPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="deeds", verbose_name=_("联系点")
    )
    done_on = models.DateField(_("日期"))
    what = models.TextField(_("办了什么事"))
    beneficiary = models.CharField(_("受益对象"), max_length=100)
    doers = models.ManyToManyField(Person, related_name="+", verbose_name=_("办事人"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("为民办实事")
        verbose_name_plural = _("为民办实事")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return self.what[:40]


class DeedPhoto(StoredImage):
    """Kept re-encoded by core.images: no EXIF, no position. The bytes live in the database with the deed."""

    deed = models.ForeignKey(GoodDeed, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("实事照片")
        verbose_name_plural = _("实事照片")
        ordering = ["id"]
