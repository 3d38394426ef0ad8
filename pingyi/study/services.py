"""The only place that writes activities, registers, make-up study and a branch's study settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import OrgUnit, Person

from .models import (
    MISSED,
    Activity,
    ActivityKind,
    Attendance,
    Audience,
    MakeUp,
    Period,
    RoutineRequirement,
    Slot,
    Source,
    Status,
    StudySettings,
)
from .routine import cadence
from .selectors import required_people, settings_for
from .uploads import add_attachments as add_attachments  # photos and attachments: uploads.py
from .uploads import add_photos as add_photos
from .uploads import remove_attachment as remove_attachment
from .uploads import remove_photo as remove_photo

if TYPE_CHECKING:
    from pingyi.campaigns.models import Stage

# One tap on a row moves it to the next state: the usual exceptions come first.
CYCLE = [Status.PRESENT, Status.ABSENT, Status.LEAVE, Status.LATE, Status.REMOTE]
LATE_AFTER = timedelta(minutes=10)  # a self check-in this long after the start is "late"
CHECKIN_OPENS = timedelta(minutes=30)  # before the start


@dataclass(frozen=True)
class Plan:
    kind: ActivityKind
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    organiser: Person | None = None
    lecturer: Person | None = None
    lecturer_name: str = ""
    audience: str = Audience.ALL
    group: OrgUnit | None = None
    invitees: Sequence[Person] = ()
    materials: str = ""
    stage: Stage | None = None


def _check_plan(org: OrgUnit, plan: Plan) -> None:
    if plan.ends_at <= plan.starts_at:
        raise ValidationError(_("结束时间要晚于开始时间。"))
    if plan.ends_at - plan.starts_at > timedelta(hours=12):
        raise ValidationError(_("一次活动不超过12小时；连续几天的学习请分次登记。"))
    if not plan.title.strip():
        raise ValidationError(_("请填写活动主题。"))
    if plan.kind.needs_lecturer and plan.lecturer is None and not plan.lecturer_name.strip():
        raise ValidationError(_("%(kind)s须写明讲课人。") % {"kind": plan.kind.label})
    people = [p for p in (plan.organiser, plan.lecturer, *plan.invitees) if p is not None]
    if any(not p.org.is_within(org) for p in people):
        raise ValidationError(_("组织人、讲课人和指定人员须是本支部的人员。"))
    if plan.audience == Audience.GROUP and (plan.group is None or not plan.group.is_within(org)):
        raise ValidationError(_("请选择本支部的一个党小组。"))
    if plan.audience == Audience.NAMED and not plan.invitees:
        raise ValidationError(_("请选择参加的人员。"))
    if plan.stage is not None and not org.is_within(plan.stage.campaign.org):
        raise ValidationError(_("所选阶段不属于本支部的活动。"))


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "title": plan.title.strip(),
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
        "place": plan.place.strip(),
        "organiser": plan.organiser,
        "lecturer": plan.lecturer,
        "lecturer_name": "" if plan.lecturer else plan.lecturer_name.strip(),
        "audience": plan.audience,
        "group": plan.group if plan.audience == Audience.GROUP else None,
        "materials": plan.materials.strip(),
        "stage": plan.stage,
    }


@transaction.atomic
def schedule_activity(*, org: OrgUnit, plan: Plan, by: Any, is_demo: bool = False) -> Activity:
    """A new activity; a repeated submit (same branch, kind, title and start) returns the first."""
    _check_plan(org, plan)
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()
    existing = Activity.objects.filter(
        org=org, kind=plan.kind, title=plan.title.strip(), starts_at=plan.starts_at
    ).first()
    if existing is not None:
        return existing
    activity = Activity.objects.create(org=org, created_by=audit.user_of(by), is_demo=is_demo, **_plan_fields(plan))
    activity.invitees.set(plan.invitees if plan.audience == Audience.NAMED else [])
    audit.record(
        actor=by,
        action="study.scheduled",
        org=org,
        target=activity,
        data={"kind": plan.kind.code, "title": activity.title, "starts_at": plan.starts_at.isoformat()},
    )
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, plan: Plan, minutes: str, by: Any) -> Activity:
    activity = Activity.objects.select_for_update(of=("self",)).select_related("org").get(pk=activity.pk)
    _check_plan(activity.org, plan)
    for name, value in {**_plan_fields(plan), "minutes": minutes.strip()}.items():
        setattr(activity, name, value)
    activity.save()
    activity.invitees.set(plan.invitees if plan.audience == Audience.NAMED else [])
    audit.record(actor=by, action="study.updated", org=activity.org, target=activity, data={"title": activity.title})
    return activity


@dataclass(frozen=True)
class Marked:
    added: int
    changed: bool


@transaction.atomic
def mark_all_present(*, activity: Activity, by: Any) -> Marked:
    """Everyone required and not yet marked is present: the register's first tap. Rows already marked stay."""
    people = list(required_people(activity).values_list("pk", flat=True))
    marked = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    rows = [Attendance(activity=activity, person_id=pk, status=Status.PRESENT) for pk in people if pk not in marked]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent check-in got there first
    if rows:
        audit.record(actor=by, action="study.all_present", org=activity.org, target=activity, data={"added": len(rows)})
    return Marked(added=len(rows), changed=bool(rows))


def _upsert(activity: Activity, person: Person, status: str, reason: str, source: str) -> Attendance:
    """One row per person and activity, whoever writes it at the same moment (INSERT … ON CONFLICT UPDATE)."""
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person=person, status=status, reason=reason, source=source)],
        update_conflicts=True,
        unique_fields=["activity", "person"],
        update_fields=["status", "reason", "source", "recorded_at"],
    )
    return Attendance.objects.get(activity=activity, person=person)


def _check_person(activity: Activity, person: Person) -> None:
    if not person.org.is_within(activity.org):
        raise ValidationError(_("%(name)s 不是本支部的党员，不能登记在这次活动的考勤里。") % {"name": person.name})


@transaction.atomic
def mark_attendance(*, activity: Activity, person: Person, status: str, reason: str = "", by: Any) -> Attendance:
    """Set one person's mark (a reason only for leave)."""
    _check_person(activity, person)
    if status not in Status.values:
        raise ValidationError(_("没有这种考勤状态。"))
    reason = reason.strip()[:100] if status == Status.LEAVE else ""
    row = _upsert(activity, person, status, reason, Source.REGISTER)
    audit.record(
        actor=by,
        action="study.marked",
        org=activity.org,
        target=activity,
        data={"person": person.pk, "status": status, "reason": reason},
    )
    return row


def next_status(current: str | None) -> str:
    """The state one tap on a row moves to; a person not yet marked becomes absent (the usual exception)."""
    if current is None:
        return Status.ABSENT
    return CYCLE[(CYCLE.index(Status(current)) + 1) % len(CYCLE)]


@transaction.atomic
def cycle_attendance(*, activity: Activity, person: Person, by: Any) -> Attendance:
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    return mark_attendance(
        activity=activity,
        person=person,
        status=next_status(row.status if row else None),
        reason=row.reason if row else "",
        by=by,
    )


@dataclass(frozen=True)
class CheckedIn:
    attendance: Attendance
    changed: bool  # False: already checked in (a second scan)


def check_in(*, activity: Activity, person: Person, by: Any, now: datetime | None = None) -> CheckedIn:
    """The member checks themselves in by the room's code, where the branch turned self check-in on.

    No transaction around the common case: the new row is one INSERT, atomic by itself, and a BEGIN and
    COMMIT around it would double the statements of a check-in (bench/checkin.py). Only a member already on
    the register takes a transaction, to read and change their row under a lock."""
    now = now or timezone.now()
    if not settings_for(activity.org).self_checkin:
        raise ValidationError(_("本支部没有开启扫码签到，请向会议记录人说明出席情况。"))
    if not person.org.is_within(activity.org):
        raise ValidationError(_("您不是%(org)s的党员，不能签到这次活动。") % {"org": activity.org.name})
    if not activity.starts_at - CHECKIN_OPENS <= now <= activity.ends_at:
        raise ValidationError(_("现在不是这次活动的签到时间。"))
    status = Status.LATE if now > activity.starts_at + LATE_AFTER else Status.PRESENT
    stored = _insert_new(activity, person, status, now)
    if stored is not None:
        return CheckedIn(attendance=stored, changed=True)
    # Not audited, as an exam's answer saves are not: the row itself says who (only the member can check
    # themselves in), how (source) and when, and an audit entry per scan would queue a room's 30 check-ins
    # on the chain's head lock (ADR 0014). What staff mark on the register is audited.
    return _check_in_again(activity, person, status)


@transaction.atomic
def _check_in_again(activity: Activity, person: Person, status: str) -> CheckedIn:
    """Already on the register: a second scan changes nothing; someone marked absent or on leave came after all."""
    stored = Attendance.objects.select_for_update().get(activity=activity, person=person)
    if stored.attended:
        return CheckedIn(attendance=stored, changed=False)
    stored.status, stored.reason, stored.source = status, "", Source.CHECKIN
    stored.save(update_fields=["status", "reason", "source", "recorded_at"])
    return CheckedIn(attendance=stored, changed=True)


def _insert_new(activity: Activity, person: Person, status: str, now: datetime) -> Attendance | None:
    """The member's new row, or None when they have one: one INSERT … ON CONFLICT DO NOTHING RETURNING
    (PostgreSQL and SQLite alike), so a check-in costs one statement and two taps of one member make one row."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Attendance._meta.db_table} (activity_id, person_id, status, reason, source, recorded_at) "
            "VALUES (%s, %s, %s, '', %s, %s) ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id",
            [activity.pk, person.pk, status, Source.CHECKIN, now],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    return Attendance(
        pk=found[0], activity=activity, person=person, status=status, source=Source.CHECKIN, recorded_at=now
    )


@transaction.atomic
def record_makeup(
    *, attendance: Attendance, what: str, studied_on: date, confirmed_how: str, note: str = "", by: Any
) -> MakeUp:
    """Make-up study for a missed activity; recording it again corrects the record."""
    attendance = Attendance.objects.select_for_update().select_related("activity__org", "person").get(pk=attendance.pk)
    if attendance.status not in MISSED:
        raise ValidationError(_("%(name)s 出席了这次活动，不需要补学。") % {"name": attendance.person.name})
    if not what.strip():
        raise ValidationError(_("请写明补学的内容。"))
    if studied_on < timezone.localtime(attendance.activity.starts_at).date():
        raise ValidationError(_("补学日期不能早于活动日期。"))
    if studied_on > timezone.localdate():
        raise ValidationError(_("补学日期不能晚于今天。"))
    makeup, _created = MakeUp.objects.update_or_create(
        attendance=attendance,
        defaults={
            "what": what.strip(),
            "studied_on": studied_on,
            "confirmed_how": confirmed_how,
            "note": note.strip(),
            "recorded_by": audit.user_of(by),
        },
    )
    audit.record(
        actor=by,
        action="study.made_up",
        org=attendance.activity.org,
        target=attendance.activity,
        data={"person": attendance.person_id, "studied_on": studied_on.isoformat(), "confirmed_how": confirmed_how},
    )
    return makeup


@transaction.atomic
def save_settings(*, org: OrgUnit, self_checkin: bool, photos: bool, hours_required: int, by: Any) -> StudySettings:
    if not 1 <= hours_required <= 200:
        raise ValidationError(_("每年学习时长要求应在1到200小时之间。"))
    settings, _created = StudySettings.objects.select_for_update().get_or_create(org=org)
    before = {"self_checkin": settings.self_checkin, "photos": settings.photos, "hours": settings.hours_required}
    settings.self_checkin, settings.photos, settings.hours_required = self_checkin, photos, hours_required
    settings.save()
    after = {"self_checkin": self_checkin, "photos": photos, "hours": hours_required}
    if after != before:
        audit.record(actor=by, action="study.settings_changed", org=org, target=settings, data=after)
    return settings


@dataclass(frozen=True)
class CadenceSaved:
    changed: bool


@transaction.atomic
def save_cadence(*, org: OrgUnit, lines: Sequence[tuple[str, str, int]], by: Any) -> CadenceSaved:
    """The branch's 三会一课 as the secretary set it: (slot, period, times a period) per required slot."""
    slots = [slot for slot, _period, _count in lines]
    if not lines:
        raise ValidationError(_("至少要求一项三会一课；要恢复标准要求，请点“恢复标准要求”。"))
    if len(set(slots)) != len(slots) or any(s not in Slot.values or not s for s in slots):
        raise ValidationError(_("三会一课的项目有误，请刷新页面后重新填写。"))
    if any(period not in Period.values for _slot, period, _count in lines):
        raise ValidationError(_("请选择每月、每季度或每年。"))
    if any(not 1 <= count <= 31 for _slot, _period, count in lines):
        raise ValidationError(_("每期次数应在1到31之间。"))
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()  # two secretaries saving at once: one after the other
    ordered = sorted(lines, key=lambda line: Slot.values.index(line[0]))
    if cadence(org) == [tuple(line) for line in ordered] and RoutineRequirement.objects.filter(org=org).exists():
        return CadenceSaved(changed=False)
    RoutineRequirement.objects.filter(org=org).delete()
    RoutineRequirement.objects.bulk_create(
        RoutineRequirement(org=org, slot=slot, period=period, count=count) for slot, period, count in ordered
    )
    audit.record(
        actor=by,
        action="study.cadence_changed",
        org=org,
        target=org,
        data={"lines": [{"slot": s, "period": p, "count": c} for s, p, c in ordered]},
    )
    return CadenceSaved(changed=True)


@transaction.atomic
def reset_cadence(*, org: OrgUnit, by: Any) -> CadenceSaved:
    """Back to the standing cadence of DOMAIN.md (the branch keeps no lines of its own)."""
    removed, _by_model = RoutineRequirement.objects.filter(org=org).delete()
    if removed:
        audit.record(actor=by, action="study.cadence_reset", org=org, target=org, data={})
    return CadenceSaved(changed=bool(removed))
