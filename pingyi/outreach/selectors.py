"""Reads for the outreach pages and the stage summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from pingyi.campaigns.models import Campaign, Stage
from pingyi.org.models import MemberStatus, OrgUnit, Person, under

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

# Members the branch keeps in touch with by phone and post rather than at its meetings.
AWAY_OR_RETIRED = (MemberStatus.AWAY, MemberStatus.RETIRED, MemberStatus.LEFT_POST)


def photos_enabled(org: OrgUnit) -> bool:
    """The nearest setting on the node or above it; off where nobody turned it on."""
    found = OutreachSettings.objects.filter(org_id__in=org.ancestor_ids()).order_by("-org__depth").first()
    return bool(found and found.photos)


def members(org: OrgUnit) -> QuerySet[Person]:
    return Person.objects.members().in_subtree(org).order_by("org__path", "id")


def away_or_retired(org: OrgUnit) -> QuerySet[Person]:
    return members(org).filter(status__in=AWAY_OR_RETIRED)


def contact_roster(org: OrgUnit) -> QuerySet[Person]:
    """The members away or retired, each with the day and way of the last contact and how many there were."""
    last = Contact.objects.filter(person=OuterRef("pk")).order_by("-contacted_on", "-id")
    return (
        away_or_retired(org)
        .select_related("org")
        .annotate(
            last_contacted_on=Subquery(last.values("contacted_on")[:1]),
            last_kind=Subquery(last.values("kind")[:1]),
            last_result=Subquery(last.values("result")[:1]),
            contacts=Subquery(
                Contact.objects.filter(person=OuterRef("pk")).values("person").annotate(n=Count("id")).values("n")[:1]
            ),
        )
    )


def contacts_of(person: Person) -> QuerySet[Contact]:
    return Contact.objects.filter(person=person)


def plan_for(stage: Stage) -> StudyPlan | None:
    return StudyPlan.objects.filter(stage=stage).first()


@dataclass(frozen=True)
class PlanStatus:
    read: list[tuple[Person, object]]  # (person, read_at)
    unread: list[Person]

    @property
    def total(self) -> int:
        return len(self.read) + len(self.unread)


def plan_status(plan: StudyPlan) -> PlanStatus:
    reads = {r.person_id: r.read_at for r in plan.reads.all()}
    people = list(members(plan.campaign.org).select_related("org"))
    return PlanStatus(
        read=[(p, reads[p.pk]) for p in people if p.pk in reads], unread=[p for p in people if p.pk not in reads]
    )


def has_read(plan: StudyPlan, person: Person) -> bool:
    return plan.reads.filter(person=person).exists()


def _copies() -> Prefetch:
    """A material's electronic copies for a list: their names and sizes, not their content."""
    return Prefetch("files", queryset=MaterialFile.objects.defer("content"))


def received_by(person: Person, *, limit: int = 100) -> list[Material]:
    """The books and materials handed to this member, with their electronic copies (`files`): every handout of
    their branch but the ones they were named as not having received, unless it has an electronic copy (then
    `got` is False: the page says the printed one did not reach them)."""
    mine = Handout.objects.filter(material=OuterRef("pk"), person=person)
    got, copied = Exists(mine.filter(received=True)), Exists(MaterialFile.objects.filter(material=OuterRef("pk")))
    found = Material.objects.annotate(got=got).filter(Q(got=True) | (Exists(mine) & copied)).prefetch_related(_copies())
    return list(found.order_by("-issued_on", "-id")[:limit])


def plans_for(person: Person, *, limit: int = 3) -> list[tuple[StudyPlan, bool]]:
    """The study plans issued to this member's branch (by a campaign of it or above), the latest stage first,
    each with whether they confirmed reading it."""
    nodes = [*person.org.ancestor_ids(), person.org_id]
    plans = list(
        StudyPlan.objects.filter(campaign__org_id__in=nodes)
        .select_related("campaign", "stage")
        .order_by("-stage__starts_on", "-id")[:limit]
    )
    read = set(PlanRead.objects.filter(plan__in=plans, person=person).values_list("plan_id", flat=True))
    return [(plan, plan.pk in read) for plan in plans]


def materials(org: OrgUnit) -> QuerySet[Material]:
    return (
        Material.objects.filter(under(org))
        .annotate(
            handed=Count("handouts"),
            got=Count("handouts", filter=Q(handouts__received=True)),
        )
        .prefetch_related(_copies())
        .order_by("-issued_on", "-id")
    )


def missing_handouts(material_ids: list[int]) -> dict[int, list[str]]:
    """Material id -> names of the members who did not get it."""
    found: dict[int, list[str]] = {}
    rows = Handout.objects.filter(material_id__in=material_ids, received=False).select_related("person")
    for h in rows.order_by("person__name"):
        found.setdefault(h.material_id, []).append(h.person.name)
    return found


def points(org: OrgUnit) -> QuerySet[LiaisonPoint]:
    return LiaisonPoint.objects.filter(under(org)).prefetch_related("leaders")


def visits(org: OrgUnit) -> QuerySet[LiaisonVisit]:
    return LiaisonVisit.objects.filter(under(org, via="point__org")).select_related("point").prefetch_related("people")


def deeds(org: OrgUnit) -> QuerySet[GoodDeed]:
    return (
        GoodDeed.objects.filter(under(org))
        .select_related("point")
        .prefetch_related("doers", Prefetch("photos", queryset=DeedPhoto.objects.only("id", "deed_id")))
    )


# --- The stage summary ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageStatistics:
    """What outreach adds to a stage summary, counted from the records dated within the stage."""

    starts_on: date
    ends_on: date
    members: int
    plan_issued: bool
    plan_read: int
    readings: int
    materials_issued: int  # kinds of books or materials handed out
    handouts: int  # copies received by members
    away_or_retired: int
    contacted: int  # of those, contacted at least once in the stage
    contacts: int  # contacts made
    remote: int  # took part remotely
    good_deeds: int
    liaison_visits: int
    party_days_at_points: int


def stage_statistics(campaign: Campaign, stage: Stage) -> StageStatistics:
    org = campaign.org
    start, end = stage.starts_on, min(stage.ends_on, timezone.localdate())
    plan = plan_for(stage)
    within = under(org)
    contacts = Contact.objects.filter(within, contacted_on__range=(start, end))
    stage_visits = LiaisonVisit.objects.filter(under(org, via="point__org"), held_on__range=(start, end))
    materials_in = Material.objects.filter(within, issued_on__range=(start, end))
    return StageStatistics(
        starts_on=start,
        ends_on=end,
        members=members(org).count(),
        plan_issued=plan is not None,
        plan_read=plan.reads.count() if plan else 0,
        readings=len(plan.reading_list) if plan else 0,
        materials_issued=materials_in.count(),
        handouts=Handout.objects.filter(material__in=materials_in, received=True).count(),
        away_or_retired=away_or_retired(org).count(),
        contacted=contacts.values("person").distinct().count(),
        contacts=contacts.count(),
        remote=contacts.filter(remote=True).values("person").distinct().count(),
        good_deeds=GoodDeed.objects.filter(within, done_on__range=(start, end)).count(),
        liaison_visits=stage_visits.count(),
        party_days_at_points=stage_visits.filter(kind="party_day").count(),
    )
