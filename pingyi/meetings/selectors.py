"""Reads for the meeting pages: default attendees, the supervision group, and each attendee's prerequisites."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from pingyi.campaigns.models import Audience, Campaign, WorkItem
from pingyi.campaigns.progress import Report, audience, get_rule
from pingyi.opinions.selectors import opinions_about
from pingyi.org.models import OrgType, OrgUnit, Person
from pingyi.talks.selectors import coverage_for

from .models import Attendee, Criticism, Kind, LifeMeeting

ANALYSIS_RULE = "writings.self_analysis_accepted"
SOLICITED_RULE = "opinions.solicited"


def default_attendees(org: OrgUnit, kind: str) -> QuerySet[Person]:
    """The branch roster for a 组织生活会, the leadership for a 民主生活会: never typed in again."""
    return audience(org=org, audience=Audience.LEADERS if kind == Kind.DEMOCRATIC else Audience.MEMBERS)


def supervision_people(org: OrgUnit) -> QuerySet[Person]:
    """People of the supervision groups (督导组) set up by the nodes above this one."""
    return Person.objects.filter(org__type=OrgType.SUPERVISION_GROUP, org__parent_id__in=org.ancestor_ids()).order_by(
        "org__path", "id"
    )


def meetings_of(campaign: Campaign) -> QuerySet[LifeMeeting]:
    return LifeMeeting.objects.filter(campaign=campaign).annotate(expected=Count("attendees")).order_by("held_on", "id")


def attendees_of(meeting: LifeMeeting) -> QuerySet[Attendee]:
    return meeting.attendees.select_related("person").prefetch_related(
        Prefetch("criticisms", queryset=Criticism.objects.select_related("critic")), "commitments"
    )


@dataclass(frozen=True)
class Prerequisites:
    """One attendee's readiness. A state is done / todo / "" (not asked of them) / untracked (no records yet)."""

    attendee: Attendee
    analysis: str
    talks_owed: int | None  # None: the meeting belongs to no campaign, so no talk rule applies
    opinions: int
    solicited: str

    @property
    def warnings(self) -> bool:
        return self.analysis == "todo" or bool(self.talks_owed) or self.solicited == "todo"


def prerequisites(meeting: LifeMeeting, attendees: list[Attendee]) -> list[Prerequisites]:
    """Warnings, not walls: what each attendee has not yet done before the meeting."""
    ids = [a.person_id for a in attendees]
    campaign = meeting.campaign
    analysis = _rule_states(campaign, ANALYSIS_RULE, ids)
    solicited = _rule_states(campaign, SOLICITED_RULE, ids)
    coverage = coverage_for(campaign) if campaign else None
    opinions = _opinion_counts(attendees, campaign)
    return [
        Prerequisites(
            attendee=a,
            analysis=analysis.get(a.person_id, "") if analysis is not None else "untracked",
            talks_owed=len(coverage.owed_ids(a.person_id)) if coverage else None,
            opinions=opinions.get(a.person_id, 0),
            solicited=solicited.get(a.person_id, "") if solicited is not None else "untracked",
        )
        for a in attendees
    ]


def _rule_states(campaign: Campaign | None, rule_name: str, person_ids: list[int]) -> dict[int, str] | None:
    """Ask the app that keeps the records, through the campaign's work item with that rule; None if no app does yet."""
    rule = get_rule(rule_name)
    if rule is None:
        return None
    item = WorkItem.objects.filter(stage__campaign=campaign, rule=rule_name).first() if campaign else None
    if item is None or campaign is None:
        return {}
    concerned = audience(org=campaign.org, audience=item.audience).filter(pk__in=person_ids)
    asked = set(concerned.values_list("pk", flat=True))
    done = Report.of(rule.func(item, concerned)).done
    return {pk: ("done" if pk in done else "todo") for pk in asked}


def _opinion_counts(attendees: list[Attendee], campaign: Campaign | None) -> dict[int, int]:
    """opinions_about for every attendee, OR-ed into one query."""
    if not attendees:
        return {}
    found: Any = reduce(operator.or_, (opinions_about(a.person, campaign) for a in attendees))
    rows = found.order_by().values("concerns_person").annotate(n=Count("id")).values_list("concerns_person", "n")
    return dict(rows)
