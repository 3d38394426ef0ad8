"""Named reads: who is required, registers, a member's next activities, stage statistics, study hours."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from pingyi.campaigns.models import Audience as WorkAudience
from pingyi.campaigns.models import Campaign, Stage
from pingyi.campaigns.progress import audience as members_of
from pingyi.org.models import OrgUnit, Person, PersonKind, under

from .checkin import Scan
from .kinds import ATTEND
from .models import (
    ATTENDED,
    MISSED,
    Activity,
    ActivityAttachment,
    ActivityKind,
    Attendance,
    Audience,
    MakeUp,
    StudySettings,
)


def settings_for(org: OrgUnit) -> StudySettings:
    """The branch's options, or the defaults (everything optional off) when it never changed them."""
    try:
        return org.study_settings  # read with the activity when it was fetched with select_related
    except StudySettings.DoesNotExist:
        return StudySettings(org=org)


def kind_ids_for(rule: str, kind_code: str = "") -> list[int]:
    """The kinds an attendance must be of to count for a work-item rule (and, when given, of this one kind)."""
    return [k.pk for k in ActivityKind.objects.all() if rule in k.rules and (not kind_code or k.code == kind_code)]


def required_people(activity: Activity) -> QuerySet[Any]:
    """The party members an activity asks for, from its audience (all, leaders, committee, a group, named)."""
    people: Any = members_of(org=activity.org, audience=WorkAudience.MEMBERS)  # annotated with the post flags
    if activity.audience == Audience.LEADERS:
        return people.filter(is_leader=True)
    if activity.audience == Audience.COMMITTEE:
        return people.filter(is_committee=True)
    if activity.audience == Audience.GROUP and activity.group is not None:
        return people.filter(Q(group=activity.group) | under(activity.group))
    if activity.audience == Audience.NAMED:
        return people.filter(pk__in=activity.invitees.values("pk"))
    return people


@dataclass(frozen=True)
class RegisterRow:
    person: Person
    attendance: Attendance | None
    required: bool = True

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


def register(activity: Activity) -> list[RegisterRow]:
    """The required people in roster order, then anyone else marked (a guest, someone who left the group)."""
    marks = {
        a.person_id: a
        for a in Attendance.objects.filter(activity=activity).select_related("person", "makeup").order_by("id")
    }
    rows = [RegisterRow(person=p, attendance=marks.pop(p.pk, None)) for p in required_people(activity)]
    return rows + [RegisterRow(person=a.person, attendance=a, required=False) for a in marks.values()]


def _asking(person: Person) -> Q:
    """Activities of the person's branch (or above) whose audience takes in this person."""
    annotated: Any = person
    if hasattr(annotated, "is_leader"):  # annotated already (org.models.person_of)
        flags = {"is_leader": annotated.is_leader, "is_committee": annotated.is_committee}
    else:
        flags = Person.objects.filter(pk=person.pk).with_post_flags().values("is_leader", "is_committee").first() or {}
    asked = Q(audience=Audience.ALL) | Q(audience=Audience.NAMED, invitees=person)
    if person.group_id:
        asked |= Q(audience=Audience.GROUP, group_id=person.group_id)
    if flags.get("is_leader"):
        asked |= Q(audience=Audience.LEADERS)
    if flags.get("is_committee"):
        asked |= Q(audience=Audience.COMMITTEE)
    return Q(org_id__in=[*person.org.ancestor_ids(), person.org_id]) & asked


def upcoming_for(person: Person, *, now: datetime | None = None, limit: int = 5) -> list[Activity]:
    """The activities not yet over that ask for this person, soonest first."""
    now = now or timezone.now()
    found = (
        Activity.objects.filter(_asking(person), ends_at__gte=now)
        .select_related("kind", "lecturer")
        .distinct()
        .order_by("starts_at", "id")
    )
    return list(found[:limit])


def attachments_for(person: Person, *, limit: int = 50) -> list[ActivityAttachment]:
    """The material files of the activities that asked for this person, the latest activity first."""
    asked = Activity.objects.filter(_asking(person)).values("pk")
    found = ActivityAttachment.objects.filter(activity__in=asked).select_related("activity__kind").defer("content")
    return list(found.order_by("-activity__starts_at", "activity_id", "id")[:limit])


def in_stage(stage: Stage) -> Q:
    """An activity counts for a stage when it was scheduled in it, or held in its dates by a node of the
    campaign without naming a stage (the branch routine serves the campaign too)."""
    unnamed = Q(stage__isnull=True, starts_at__date__range=(stage.starts_on, stage.ends_on)) & under(stage.campaign.org)
    return Q(stage=stage) | unnamed


def stage_activities(stage: Stage) -> QuerySet[Activity]:
    return Activity.objects.filter(in_stage(stage)).select_related("kind", "lecturer", "org").order_by("starts_at")


def attended_counts(stage: Stage, *, kind_ids: list[int], people: Any) -> Counter[int]:
    """Per person: activities of these kinds in the stage attended (present, late, remote) or made up."""
    rows = Attendance.objects.filter(
        Q(status__in=ATTENDED) | Q(status__in=MISSED, makeup__isnull=False),
        activity__in=Activity.objects.filter(in_stage(stage), kind_id__in=kind_ids),
        person__in=people,
    )
    return Counter(rows.values_list("person_id", flat=True))


@dataclass(frozen=True)
class Absence:
    person: Person
    activity: Activity
    attendance: Attendance
    makeup: MakeUp | None


@dataclass(frozen=True)
class MemberLine:
    person: Person
    attended: int
    missed: int
    made_up: int


@dataclass(frozen=True)
class StageStatistics:
    """What a stage summary counts, straight from the registers ("12 study sessions, 392 person-times …")."""

    campaign: Campaign
    stage: Stage
    activities: int
    activities_by_kind: list[tuple[str, int]]  # (kind name, activities), in the kinds' order
    sessions: int  # activities of the kinds that count as group study (study.attendance)
    person_times: int  # attendances present, late or remote (人次)
    absentees: list[Absence]
    made_up: int
    not_made_up: int
    members: list[MemberLine]
    lectures: list[Activity]  # party lectures and tutorials, with their lecturer
    # Outreach to members away or retired, good deeds and liaison visits are the outreach app's
    # (pingyi.outreach.selectors.stage_statistics); the stage summary puts the two side by side.


def stage_statistics(campaign: Campaign, stage: Stage) -> StageStatistics:
    activities = list(stage_activities(stage))
    kinds = list(ActivityKind.objects.all())
    by_kind = Counter(a.kind_id for a in activities)
    rows = list(
        Attendance.objects.filter(activity__in=[a.pk for a in activities])
        .select_related("person", "makeup")
        .order_by("activity__starts_at", "person__name")
    )
    by_id = {a.pk: a for a in activities}
    absentees = [
        Absence(person=r.person, activity=by_id[r.activity_id], attendance=r, makeup=_makeup(r))
        for r in rows
        if r.status in MISSED
    ]
    lines: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        line = lines[r.person_id]
        line[0 if r.attended else 1] += 1
        line[2] += 1 if (not r.attended and _makeup(r)) else 0
    people = {p.pk: p for p in members_of(org=campaign.org, audience=WorkAudience.MEMBERS)}
    people.update({r.person_id: r.person for r in rows if r.person_id not in people})
    return StageStatistics(
        campaign=campaign,
        stage=stage,
        activities=len(activities),
        activities_by_kind=[(k.label, by_kind[k.pk]) for k in kinds if by_kind[k.pk]],
        sessions=sum(1 for a in activities if ATTEND in a.kind.rules),
        person_times=sum(1 for r in rows if r.attended),
        absentees=absentees,
        made_up=sum(1 for a in absentees if a.makeup),
        not_made_up=sum(1 for a in absentees if not a.makeup),
        members=[MemberLine(p, *lines.get(pk, [0, 0, 0])) for pk, p in people.items()],
        lectures=[a for a in activities if a.kind.needs_lecturer],
    )


def _makeup(row: Attendance) -> MakeUp | None:
    try:
        return row.makeup
    except MakeUp.DoesNotExist:
        return None


@dataclass(frozen=True)
class HoursLine:
    person: Person
    hours: Decimal
    required: int

    @property
    def short(self) -> Decimal:
        return max(Decimal(self.required) - self.hours, Decimal(0))


def study_hours(org: OrgUnit, year: int) -> list[HoursLine]:
    """Each member's study hours in a year: activities that count towards study hours attended, plus
    those missed and made up (self-study is an activity of its own kind, confirmed on its register)."""
    required = settings_for(org).hours_required
    counted = Attendance.objects.filter(
        Q(status__in=ATTENDED) | Q(status__in=MISSED, makeup__isnull=False),
        activity__kind__counts_study_hours=True,
        activity__starts_at__year=year,
    ).filter(under(org, via="activity__org"))
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for row in counted.select_related("activity"):
        hours[row.person_id] += row.activity.hours
    people = members_of(org=org, audience=WorkAudience.MEMBERS)
    return [HoursLine(person=p, hours=hours.get(p.pk, Decimal(0)), required=required) for p in people]


def month_activities(org: OrgUnit, first: date, last: date) -> QuerySet[Activity]:
    return (
        Activity.objects.in_subtree(org)
        .filter(starts_at__date__range=(first, last))
        .select_related("kind")
        .order_by("starts_at")
    )


def activities_in(
    org: OrgUnit, *, first: date | None = None, last: date | None = None, kind: str = ""
) -> QuerySet[Activity]:
    """The subtree's activities held between two days (either open), of one kind when given: the API's list."""
    found = Activity.objects.in_subtree(org)
    if first:
        found = found.filter(starts_at__date__gte=first)
    if last:
        found = found.filter(starts_at__date__lte=last)
    if kind:
        found = found.filter(kind__code=kind)
    return found.select_related("kind", "org", "stage", "lecturer").order_by("starts_at", "id")


def lecturers_in(stage: Stage, people: Any) -> set[int]:
    """People who gave a party lecture or a tutorial in the stage."""
    lectures = Activity.objects.filter(in_stage(stage), kind__needs_lecturer=True, lecturer__in=people)
    return set(lectures.values_list("lecturer_id", flat=True))


def for_check_in(activity_id: int, login_id: int) -> tuple[Activity, Person | None]:
    """The activity (its times, title, place, branch and settings) and the login's member record with its node,
    in one statement: what the scanned code's page checks and puts into the pass. Raises Activity.DoesNotExist.
    A plain cursor: the same reads through the ORM made the scan page 1.5 ms of CPU dearer (bench/checkin.py).

    The instances hold only these fields (as with .only()); anything else read from them is loaded on demand.
    A branch without a settings row comes back without one, and settings_for() gives the defaults."""
    sql = (
        "SELECT a.title, a.starts_at, a.ends_at, a.place, a.org_id, o.path, o.name, s.id, s.self_checkin, "
        "p.id, m.id, m.path "
        f"FROM {Activity._meta.db_table} a JOIN {OrgUnit._meta.db_table} o ON o.id = a.org_id "
        f"LEFT JOIN {StudySettings._meta.db_table} s ON s.org_id = a.org_id "
        f"LEFT JOIN {Person._meta.db_table} p ON p.user_id = %s AND p.kind = %s "
        f"LEFT JOIN {OrgUnit._meta.db_table} m ON m.id = p.org_id "
        "WHERE a.id = %s"
    )
    db = router.db_for_read(Activity)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [login_id, PersonKind.MEMBER, activity_id])
        found = cursor.fetchone()
    if found is None:
        raise Activity.DoesNotExist
    title, starts, ends, place, org_id, org_path, org_name, settings_id, checkin_on, *member = found
    org = _partial(OrgUnit, db, id=org_id, path=org_path, name=org_name)
    if settings_id is not None:
        org.study_settings = _partial(StudySettings, db, id=settings_id, org_id=org_id, self_checkin=bool(checkin_on))
    activity = _partial(
        Activity, db, id=activity_id, title=title, starts_at=_aware(starts, db), ends_at=_aware(ends, db),
        place=place, org_id=org_id,
    )  # fmt: skip
    activity.org = org
    member_id, member_org_id, member_path = member
    if member_id is None:
        return activity, None
    person = _partial(Person, db, id=member_id, org_id=member_org_id)
    person.org = _partial(OrgUnit, db, id=member_org_id, path=member_path)
    return activity, person


def scanned(activity: Activity, member: Person, login_id: int) -> Scan:
    """What the check-in page read, for its pass (for_check_in's records, the member checked to belong)."""
    return Scan(
        activity.pk, int(activity.starts_at.timestamp()), int(activity.ends_at.timestamp()),
        settings_for(activity.org).self_checkin, activity.org_id, activity.org.path,
        login_id, member.pk, member.org_id, member.org.path,
    )  # fmt: skip


def as_scanned(scan: Scan) -> tuple[Activity, Person]:
    """The activity and the member as the scan saw them: unsaved instances holding what the check-in reads."""
    branch = OrgUnit(id=scan.branch_id, path=scan.branch_path)
    branch.study_settings = StudySettings(org=branch, self_checkin=scan.self_checkin)
    activity = Activity(id=scan.activity_id, org=branch, starts_at=_moment(scan.starts), ends_at=_moment(scan.ends))
    return activity, Person(id=scan.person_id, org=OrgUnit(id=scan.member_node_id, path=scan.member_path))


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def login_for_tap(login_id: int) -> Any:
    """The login a check-in pass names, with what the pass is checked against (active, password hash); None
    when it is gone. One plain statement: the tap reads nothing else before its insert (bench/checkin.py)."""
    user_model = get_user_model()
    db = router.db_for_read(user_model)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT password, is_active FROM {user_model._meta.db_table} WHERE id = %s", [login_id])
        found = cursor.fetchone()
    if found is None:
        return None
    return _partial(user_model, db, id=login_id, password=found[0], is_active=bool(found[1]))


def _aware(value: datetime, db: str) -> datetime:
    """A plain cursor skips the ORM's converters: SQLite gives naive UTC datetimes, PostgreSQL aware ones."""
    return timezone.make_aware(value, connections[db].timezone) if timezone.is_naive(value) else value


def _partial(model: Any, db: str, **values: Any) -> Any:
    """An instance as the database gave it, with only these fields (the rest deferred, as .only() leaves them)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])
