from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .attachments import CheckedFile
    from .images import CleanImage


class AuditEntry(models.Model):
    """One write, hash-chained to the entry before it (see core.audit and docs/adr/0007).

    Everything the log shows is inside the keyed hash; the actor is named by what stays true when the
    login is deleted (`actor_uid`, `actor_label`, `actor_name`). The `actor` link is a convenience for joins
    and is outside the hash: deleting a user empties it without breaking the chain.
    """

    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    actor_uid = models.BigIntegerField(_("操作人编号"), null=True, blank=True)
    actor_label = models.CharField(
        _("操作人账号"), max_length=150, blank=True
    )  # the username, or "system", "seed_demo"
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80)
    org = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("组织"), related_name="+"
    )
    target = models.CharField(_("对象"), max_length=120, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Entries written before the keyed chain: their earlier (plain SHA-256) hash, which notices may have
    # printed, and whether that older chain was already broken at this entry when it was re-keyed.
    legacy_hash = models.CharField(max_length=64, blank=True, db_index=True)
    legacy_break = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or self.actor_label} {self.action} {self.target}"


class AuditHead(models.Model):
    """A single row locked while appending, so concurrent writers extend the chain one at a time."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("任务"), max_length=80)
    params = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("消息"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    org = models.ForeignKey("org.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every JOB_HEARTBEAT_SECONDS while the job runs, from a thread of its own: a running job whose
    # heartbeat is older than JOB_STALE_SECONDS died with its process (core.jobs.sweep_stale_jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class PrivateDataView(models.Model):
    """Someone was shown unmasked ID numbers or phones (docs/adr/0007: kept apart from the audit chain,
    which would otherwise grow, and queue on its head lock, with every page view)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("查看人")
    )
    username = models.CharField(_("查看人账号"), max_length=150)
    org = models.ForeignKey(
        "org.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("范围")
    )
    what = models.CharField(_("查看内容"), max_length=40)  # the page, export or endpoint
    subject = models.CharField(_("对象"), max_length=120, blank=True)  # one person's record, when it was one
    count = models.PositiveIntegerField(_("人数"), default=0)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.what}"


class Notification(models.Model):
    """One notice to one user, kept as the in-app inbox row and as the record of what each channel sent.

    At most one per recipient, kind and day (the unique constraint, so it also holds under concurrent
    senders): a reminder pressed twice, or by two secretaries at once, reaches a person once that day.
    Written only by `core.notifications.notify`.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类别"), max_length=80)  # dotted, named after the app that sends it: "reports.overdue"
    day = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)  # a path inside the site, never another host
    created = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    batch = models.UUIDField(editable=False, db_index=True)  # one `notify` call: tells its own rows from others'
    deliveries = models.JSONField(_("各渠道发送情况"), default=dict, blank=True)  # channel -> "sent" or the error

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "day"], name="notification_once_a_day"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} → {self.recipient_id}: {self.title}"


class Mute(models.Model):
    """A user does not want notices of one kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mutes", verbose_name=_("用户")
    )
    kind = models.CharField(_("类别"), max_length=80)

    class Meta:
        verbose_name = _("不接收的通知")
        verbose_name_plural = _("不接收的通知")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.kind}"


class StoredImage(models.Model):
    """A photo as core.images.clean_image gave it back (re-encoded: no EXIF, no position), kept in the database
    with the record it belongs to, so a failed save leaves no file behind. Served by downloads.inline_image."""

    filename = models.CharField(max_length=160)
    content_type = models.CharField(max_length=40)
    content = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def of(cls, clean: CleanImage, **fields: Any) -> Self:
        return cls(
            filename=clean.filename,
            content_type=clean.content_type,
            content=clean.content,
            width=clean.width,
            height=clean.height,
            **fields,
        )


class StoredFile(models.Model):
    """A document checked by core.attachments.check_attachment (its content matches its name), kept in the
    database with its record. Served by downloads.attachment under its original name."""

    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def of(cls, checked: CheckedFile, **fields: Any) -> Self:
        return cls(
            filename=checked.filename,
            content_type=checked.content_type,
            size=len(checked.content),
            content=checked.content,
            **fields,
        )
