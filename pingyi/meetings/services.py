"""The only place that writes life meetings, their attendance and records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.opinions import services as opinions
from pingyi.org.models import OrgUnit, Person
from pingyi.rectification import services as rectification

from .models import Attendee, Commitment, Criticism, LifeMeeting

if TYPE_CHECKING:
    from pingyi.opinions.models import OpinionRound
    from pingyi.rectification.models import RectificationItem


@dataclass(frozen=True)
class Plan:
    kind: str
    theme: str
    held_on: date
    starts_at: time | None = None
    place: str = ""
    chair: Person | None = None
    recorder: Person | None = None
    agenda: str = ""
    opinion_round: OpinionRound | None = None


@transaction.atomic
def plan_meeting(
    *,
    campaign: Campaign,
    plan: Plan,
    attendees: Sequence[Person],
    supervisors: Sequence[Person] = (),
    by: Any,
    is_demo: bool = False,
) -> LifeMeeting:
    """A planned meeting; a repeated submit (same campaign, kind, theme and date) returns the first."""
    org = campaign.org
    _check_people(org, attendees)
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()
    existing = LifeMeeting.objects.filter(
        campaign=campaign, kind=plan.kind, theme=plan.theme.strip(), held_on=plan.held_on
    ).first()
    if existing is not None:
        return existing
    meeting = LifeMeeting.objects.create(
        org=org, campaign=campaign, created_by=audit.user_of(by), is_demo=is_demo, **_plan_fields(plan)
    )
    Attendee.objects.bulk_create(Attendee(meeting=meeting, person=p) for p in attendees)
    meeting.supervisors.set(supervisors)
    audit.record(
        actor=by,
        action="meetings.planned",
        org=org,
        target=meeting,
        data={
            "kind": plan.kind,
            "theme": meeting.theme,
            "held_on": plan.held_on.isoformat(),
            "attendees": len(attendees),
        },
    )
    return meeting


@transaction.atomic
def update_plan(
    *, meeting: LifeMeeting, plan: Plan, attendees: Sequence[Person], supervisors: Sequence[Person], by: Any
) -> LifeMeeting:
    """Change the plan; someone whose words are already recorded cannot be taken off the list."""
    meeting = LifeMeeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    _check_people(meeting.org, attendees)
    wanted = {p.pk for p in attendees}
    leaving = [a for a in meeting.attendees.select_related("person") if a.person_id not in wanted]
    recorded = [a.person.name for a in leaving if a.has_record]
    if recorded:
        raise ValidationError(_("%(names)s 的发言已经记录，不能从参会人员中移除。") % {"names": "、".join(recorded)})
    Attendee.objects.filter(pk__in=[a.pk for a in leaving]).delete()
    present = set(meeting.attendees.values_list("person_id", flat=True))
    Attendee.objects.bulk_create(Attendee(meeting=meeting, person=p) for p in attendees if p.pk not in present)
    for name, value in _plan_fields(plan).items():
        setattr(meeting, name, value)
    meeting.save()
    meeting.supervisors.set(supervisors)
    audit.record(actor=by, action="meetings.updated", org=meeting.org, target=meeting, data={"theme": meeting.theme})
    return meeting


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "theme": plan.theme.strip(),
        "held_on": plan.held_on,
        "starts_at": plan.starts_at,
        "place": plan.place.strip(),
        "chair": plan.chair,
        "recorder": plan.recorder,
        "agenda": plan.agenda.strip(),
        "opinion_round": plan.opinion_round,
    }


def _check_people(org: OrgUnit, attendees: Sequence[Person]) -> None:
    if not attendees:
        raise ValidationError(_("请至少选择一名参会人员。"))
    if any(not p.org.is_within(org) for p in attendees):
        raise ValidationError(_("参会人员须是本组织的人员。"))


@dataclass(frozen=True)
class AttendanceRow:
    attendee: Attendee
    present: bool
    absence_reason: str = ""


@transaction.atomic
def record_attendance(*, meeting: LifeMeeting, rows: Sequence[AttendanceRow], by: Any) -> LifeMeeting:
    """Who came, and why the others did not; the meeting counts as held from then on."""
    meeting = LifeMeeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    missing = [r.attendee.person.name for r in rows if not r.present and not r.absence_reason.strip()]
    if missing:
        raise ValidationError(_("请填写缺席原因：%(names)s") % {"names": "、".join(missing)})
    for row in rows:
        if row.attendee.meeting_id != meeting.pk:
            raise ValidationError(_("参会人员不属于这次会议。"))
        Attendee.objects.filter(pk=row.attendee.pk).update(
            present=row.present, absence_reason="" if row.present else row.absence_reason.strip()
        )
    meeting.status = LifeMeeting.Status.HELD
    meeting.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="meetings.attendance_recorded",
        org=meeting.org,
        target=meeting,
        data={"present": sum(1 for r in rows if r.present), "absent": sum(1 for r in rows if not r.present)},
    )
    return meeting


@dataclass(frozen=True)
class CriticismInput:
    critic: Person | None
    text: str


@dataclass(frozen=True)
class CommitmentInput:
    text: str
    due_on: date | None = None


@transaction.atomic
def record_member(
    *,
    attendee: Attendee,
    self_criticism: str,
    response: str,
    criticisms: Sequence[CriticismInput] = (),
    commitments: Sequence[CommitmentInput] = (),
    by: Any,
) -> Attendee:
    """One member's part: self-criticism, criticism received (each also an opinion of the meeting's round),
    their response and commitments. Rows identical to ones already there are not added twice."""
    attendee = (
        Attendee.objects.select_for_update(of=("self",)).select_related("meeting__org", "person").get(pk=attendee.pk)
    )
    meeting = attendee.meeting
    attendee.self_criticism, attendee.response = self_criticism.strip(), response.strip()
    attendee.save(update_fields=["self_criticism", "response"])
    known: set[tuple[int | None, str]] = set(attendee.criticisms.values_list("critic_id", "text"))
    added = 0
    for item in criticisms:
        text = item.text.strip()
        key = (item.critic.pk if item.critic else None, text)
        if not text or key in known:
            continue
        known.add(key)
        opinion = None
        if meeting.opinion_round is not None:
            opinion = opinions.record_opinion(
                round=meeting.opinion_round,
                channel=opinions.Channel.MEETING,
                text=text,
                concerns_person=attendee.person,
                by=by,
            )
        Criticism.objects.create(attendee=attendee, critic=item.critic, text=text, opinion=opinion)
        added += 1
    promised = set(attendee.commitments.values_list("text", flat=True))
    for commitment in commitments:
        text = commitment.text.strip()
        if text and text not in promised:
            promised.add(text)
            Commitment.objects.create(attendee=attendee, text=text, due_on=commitment.due_on)
            added += 1
    audit.record(
        actor=by,
        action="meetings.member_recorded",
        org=meeting.org,
        target=attendee,
        data={"person": attendee.person_id, "added": added},
    )
    return attendee


def _rectify(record: Commitment | Criticism, *, source: str, by: Any, **fields: Any) -> RectificationItem:
    """A meeting record becomes the rectification item of the member it belongs to; once (locked, linked)."""
    record = (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related("attendee__meeting__org", "attendee__meeting__campaign", "attendee__person")
        .get(pk=record.pk)
    )
    if record.rectification_item is not None:
        return record.rectification_item
    meeting = record.attendee.meeting
    item = rectification.item_from_record(
        record=record,
        org=meeting.org,
        campaign=meeting.campaign,
        title=record.text,
        source=source,
        source_label=f"{meeting.get_kind_display()}：{meeting.theme}",
        owner=record.attendee.person,
        by=by,
        **fields,
    )
    record.rectification_item = item
    record.save(update_fields=["rectification_item"])
    return item


@transaction.atomic
def rectify_commitment(*, commitment: Commitment, by: Any) -> RectificationItem:
    """Turn a commitment into the member's rectification item; a second click returns the same item."""
    return _rectify(commitment, source=rectification.ItemSource.COMMITMENT, due_on=commitment.due_on, by=by)


@transaction.atomic
def rectify_criticism(*, criticism: Criticism, by: Any) -> RectificationItem:
    """Turn a criticism into a rectification item for the member who received it; a second click changes nothing."""
    item = _rectify(criticism, source=rectification.ItemSource.OPINION, detail=criticism.text, by=by)
    if criticism.opinion_id:
        # The same criticism is an opinion of the round: point it at the item too, so nobody makes a second one.
        opinions.link_rectification(opinion_id=criticism.opinion_id, item=item)
    return item
