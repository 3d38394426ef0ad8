"""The only place that writes outreach records: each function atomic, with one audit entry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Stage
from pingyi.core import audit
from pingyi.core.attachments import check_attachment
from pingyi.core.images import clean_image
from pingyi.core.notifications import notify
from pingyi.org.models import OrgUnit, Person

from . import selectors
from .models import (
    Contact,
    DeedPhoto,
    GoodDeed,
    Handout,
    LiaisonPoint,
    LiaisonVisit,
    Material,
    MaterialFile,
    OutreachSettings,
    PlanRead,
    StudyPlan,
)

MAX_PHOTOS = 6
MAX_MATERIAL_FILES = 5
PLAN_ISSUED = "outreach.plan_issued"  # notice kinds (notice_kinds.py)


@dataclass(frozen=True)
class Done:
    changed: bool


def _not_in_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s不能晚于今天。") % {"what": what})


def _within(org: OrgUnit, people: Iterable[Person], what: str) -> list[Person]:
    people = list(people)
    outside = [p.name for p in people if not p.org.is_within(org)]
    if outside:
        raise ValidationError(
            _("%(names)s不在本支部，不能作为%(what)s。") % {"names": "、".join(outside), "what": what}
        )
    return people


@transaction.atomic
def set_photos(*, org: OrgUnit, enabled: bool, by: Any) -> OutreachSettings:
    settings, _created = OutreachSettings.objects.select_for_update().get_or_create(org=org)
    if settings.photos != enabled:
        settings.photos = enabled
        settings.save(update_fields=["photos", "updated_at"])
        audit.record(actor=by, action="outreach.settings", org=org, target=settings, data={"photos": enabled})
    return settings


# --- Study plans and materials ----------------------------------------------------------------------------


@transaction.atomic
def issue_plan(
    *,
    stage: Stage,
    title: str,
    body: str,
    readings: str = "",
    readings_due_on: date | None = None,
    by: Any,
    is_demo: bool = False,
) -> StudyPlan:
    """Issue (or correct) the stage's study plan. The first issue tells every member with a login."""
    stage = Stage.objects.select_for_update().select_related("campaign__org").get(pk=stage.pk)
    campaign = stage.campaign
    if readings_due_on and readings_due_on < stage.starts_on:
        raise ValidationError(_("必读完成时间不能早于本阶段开始的日期。"))
    plan = StudyPlan.objects.filter(stage=stage).first()
    fields = {
        "title": title.strip(),
        "body": body.strip(),
        "readings": readings.strip(),
        "readings_due_on": readings_due_on,
    }
    if plan is None:
        plan = StudyPlan.objects.create(
            campaign=campaign, stage=stage, issued_by=audit.user_of(by), is_demo=is_demo, **fields
        )
        audit.record(actor=by, action="outreach.plan_issued", org=campaign.org, target=plan, data={"title": plan.title})
        users = selectors.members(campaign.org).exclude(user=None).values_list("user_id", flat=True)
        notify(
            users=users,
            kind=PLAN_ISSUED,
            title=_("新的学习计划：%(title)s") % {"title": plan.title},
            body=_("请阅读后点“已阅”。"),
            url=reverse("outreach:plan", args=[campaign.pk, stage.order]),
        )
        return plan
    changed = {k: v for k, v in fields.items() if getattr(plan, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(plan, k, v)
        plan.save(update_fields=list(changed))
        audit.record(
            actor=by, action="outreach.plan_updated", org=campaign.org, target=plan, data={"changed": sorted(changed)}
        )
    return plan


def confirm_plan_read(*, plan: StudyPlan, person: Person, by: Any) -> Done:
    """The member's 已阅; a second tap (or a double submit) changes nothing."""
    if not person.org.is_within(plan.campaign.org):
        raise ValidationError(_("这份学习计划不是发给您所在支部的。"))
    try:
        with transaction.atomic():
            PlanRead.objects.create(plan=plan, person=person)
            audit.record(actor=by, action="outreach.plan_read", org=plan.campaign.org, target=plan)
    except IntegrityError:
        return Done(changed=False)
    return Done(changed=True)


@transaction.atomic
def record_material(
    *,
    org: OrgUnit,
    title: str,
    issued_on: date,
    not_received: Sequence[Person] = (),
    note: str = "",
    copies: Sequence[Any] = (),
    by: Any,
    is_demo: bool = False,
) -> Material:
    """Every member of the branch got the book or material, except those named: one row per member. `copies`:
    its electronic copy, each checked by its content before anything is written (one bad file saves nothing)."""
    _not_in_future(issued_on, _("发放日期"))
    missing = {p.pk for p in _within(org, not_received, _("未领取人员"))}
    if len(copies) > MAX_MATERIAL_FILES:
        raise ValidationError(_("一份材料的电子版最多 %(n)d 个文件。") % {"n": MAX_MATERIAL_FILES})
    checked = [check_attachment(f) for f in copies]
    user = audit.user_of(by)
    material = Material.objects.create(
        org=org, title=title.strip(), issued_on=issued_on, note=note.strip(), recorded_by=user, is_demo=is_demo
    )
    MaterialFile.objects.bulk_create([MaterialFile.of(c, material=material, uploaded_by=user) for c in checked])
    people = list(selectors.members(org).values_list("pk", flat=True))
    Handout.objects.bulk_create([Handout(material=material, person_id=pk, received=pk not in missing) for pk in people])
    audit.record(
        actor=by,
        action="outreach.material_issued",
        org=org,
        target=material,
        data={
            "title": material.title,
            "received": len(people) - len(missing),
            "not_received": len(missing),
            "files": [c.filename for c in checked],
        },
    )
    return material


# --- Members away or retired ------------------------------------------------------------------------------


@transaction.atomic
def record_contact(
    *,
    person: Person,
    kind: str,
    contacted_on: date,
    contacted_by: str,
    result: str,
    remote: bool = False,
    by: Any,
    is_demo: bool = False,
) -> Contact:
    if person.status not in selectors.AWAY_OR_RETIRED:
        raise ValidationError(
            _("%(name)s不是外出或离退休党员，参加支部活动即可，不需要在这里登记联系。") % {"name": person.name}
        )
    _not_in_future(contacted_on, _("联系日期"))
    if not result.strip():
        raise ValidationError(_("请写明联系的结果，例如“已转告学习安排，本人表示按时自学”。"))
    contact = Contact.objects.create(
        person=person,
        org=person.org,
        kind=kind,
        contacted_on=contacted_on,
        contacted_by=contacted_by.strip(),
        result=result.strip(),
        remote=remote,
        recorded_by=audit.user_of(by),
        is_demo=is_demo,
    )
    audit.record(
        actor=by,
        action="outreach.contact_recorded",
        org=person.org,
        target=contact,
        data={"person": person.pk, "kind": kind, "on": contacted_on.isoformat(), "remote": remote},
    )
    return contact


# --- Liaison points and good deeds ------------------------------------------------------------------------


@transaction.atomic
def add_point(
    *, org: OrgUnit, name: str, kind: str, leaders: Sequence[Person], note: str = "", by: Any, is_demo: bool = False
) -> LiaisonPoint:
    name = name.strip()
    if LiaisonPoint.objects.filter(org=org, name=name).exists():
        raise ValidationError(_("已经有名为“%(name)s”的联系点了。") % {"name": name})
    point = LiaisonPoint.objects.create(org=org, name=name, kind=kind, note=note.strip(), is_demo=is_demo)
    point.leaders.set(_within(org, leaders, _("联系领导")))
    audit.record(actor=by, action="outreach.point_added", org=org, target=point, data={"name": name})
    return point


@transaction.atomic
def record_visit(
    *,
    point: LiaisonPoint,
    kind: str,
    held_on: date,
    people: Sequence[Person],
    note: str = "",
    by: Any,
    is_demo: bool = False,
) -> LiaisonVisit:
    _not_in_future(held_on, _("活动日期"))
    if not people:
        raise ValidationError(_("请选择参加的人员。"))
    visit = LiaisonVisit.objects.create(
        point=point, kind=kind, held_on=held_on, note=note.strip(), recorded_by=audit.user_of(by), is_demo=is_demo
    )
    visit.people.set(_within(point.org, people, _("参加人员")))
    audit.record(
        actor=by, action="outreach.visit_recorded", org=point.org, target=visit, data={"on": held_on.isoformat()}
    )
    return visit


@transaction.atomic
def record_good_deed(
    *,
    org: OrgUnit,
    done_on: date,
    what: str,
    beneficiary: str,
    doers: Sequence[Person],
    point: LiaisonPoint | None = None,
    photos: Sequence[Any] = (),
    by: Any,
    is_demo: bool = False,
) -> GoodDeed:
    """A good deed; photos are optional and taken only where the branch turned them on."""
    _not_in_future(done_on, _("办事日期"))
    if not doers:
        raise ValidationError(_("请选择办事的人。"))
    if point is not None and not point.org.is_within(org) and not org.is_within(point.org):
        raise ValidationError(_("这个联系点不属于本支部。"))
    if photos and not selectors.photos_enabled(org):
        raise ValidationError(_("本支部没有开启照片：按减负要求，为民办实事不需要拍照，写明办了什么事即可。"))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("照片最多 %(n)d 张。") % {"n": MAX_PHOTOS})
    cleaned = [clean_image(p) for p in photos]  # before any write: a bad photo saves nothing
    deed = GoodDeed.objects.create(
        org=org,
        point=point,
        done_on=done_on,
        what=what.strip(),
        beneficiary=beneficiary.strip(),
        recorded_by=audit.user_of(by),
        is_demo=is_demo,
    )
    deed.doers.set(_within(org, doers, _("办事人")))
    DeedPhoto.objects.bulk_create([DeedPhoto.of(c, deed=deed) for c in cleaned])
    audit.record(
        actor=by,
        action="outreach.deed_recorded",
        org=org,
        target=deed,
        data={"on": done_on.isoformat(), "beneficiary": deed.beneficiary, "photos": len(cleaned)},
    )
    return deed
