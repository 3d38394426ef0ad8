"""How work items learn where each person stands: one small interface the apps plug into.

A work item is about some people (`audience`: members, leaders, the committee) or about the node as a
whole (`Audience.BRANCH`), and some people must act (`actors`: each person for themselves, or the
committee, the leaders, the secretary, the office acting for all of them). Its progress is counted per
person it is about (once for the node), and never typed in: a provider in the app that keeps the
records reports what they show. Register it in the app's `progress.py` (an app hook, docs/apps.md):

    @register_rule("study.attendance", _("参加集中学习达到规定次数"), url_name="study:campaign")
    def attended(item: WorkItem, people: QuerySet[Person]) -> Report:
        counts = dict(attendances_in(item.stage).filter(member__in=people).values_list(...))
        minimum = item.params.get("min_sessions", 1)
        return Report(
            done={pk for pk, n in counts.items() if n >= minimum},
            started={pk for pk, n in counts.items() if 0 < n < minimum},
            left={pk: _("还差 %(n)d 次") % {"n": minimum - n} for pk, n in counts.items() if n < minimum},
        )

A provider may return a plain iterable of the ids that are done. A node-wide item's provider returns
`Report(done={NODE})` (or `started={NODE}`) when the node has done it. From the report, the item's stage
and deadline, and the recorded excusals, every person gets one State. A work item whose rule has no
provider yet is "not tracked" (ItemProgress.tracked is False) and pages say what it needs instead of
showing a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet, TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgUnit, Person, under

from .models import Actors, Audience, Excusal, Stage, WorkItem

NODE = 0  # the subject id of a node-wide work item


class State(TextChoices):
    NOT_YET_DUE = "not_yet_due", _("未到时间")  # its stage has not opened yet
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    OVERDUE = "overdue", _("已逾期")  # past its deadline (or its stage closed) and not done
    DONE = "done", _("已完成")
    EXCUSED = "excused", _("不作要求")  # an approved exclusion or a recorded reason


OPEN_STATES = (State.NOT_STARTED, State.IN_PROGRESS)  # still to do, with time left


@dataclass(frozen=True)
class Report:
    """What an app's records say about the people a work item asked about (ids; NODE for the node)."""

    done: frozenset[int] | set[int] = frozenset()
    started: frozenset[int] | set[int] = frozenset()  # something recorded, not yet enough (a draft, some talks)
    excused: Mapping[int, str] = field(default_factory=dict)  # id -> the recorded reason
    left: Mapping[int, str] = field(default_factory=dict)  # id -> what is left, in the user's words
    done_on: Mapping[int, date] = field(default_factory=dict)  # id -> the day the record says it was done

    @classmethod
    def of(cls, value: Report | Iterable[int]) -> Report:
        return value if isinstance(value, Report) else cls(done=frozenset(int(pk) for pk in value))


Rule = Callable[[WorkItem, QuerySet[Person]], "Report | Iterable[int]"]


@dataclass(frozen=True)
class RegisteredRule:
    name: str
    label: str
    func: Rule
    url_name: str = ""  # the page where the work is done, reversed with campaign_id=<the item's campaign>


_rules: dict[str, RegisteredRule] = {}


def register_rule(name: str, label: Any, url_name: str = "") -> Callable[[Rule], Rule]:
    """Decorator: make `func` the provider for work items whose `rule` is `name` (named `<app>.<what>`).

    `url_name` (e.g. "writings:campaign") makes the item a link on home and campaign pages;
    the URL must take exactly one kwarg, `campaign_id`, and check permissions itself.
    """

    def register(func: Rule) -> Rule:
        _rules[name] = RegisteredRule(name=name, label=label, func=func, url_name=url_name)
        return func

    return register


def unregister_rule(name: str) -> None:
    _rules.pop(name, None)


def get_rule(name: str) -> RegisteredRule | None:
    return _rules.get(name) if name else None


def audience(*, org: OrgUnit, audience: str) -> QuerySet[Person]:
    """The people a work item is about: party members (probationary included) in the node's subtree.

    Leaders and the committee are those members holding a Post so flagged, wherever the
    post is: a bureau leader's leadership post usually sits on the party group above the branch.
    A node-wide item is about nobody in particular: its actors are found with `actors_of`.
    """
    people = Person.objects.members().in_subtree(org).with_post_flags()
    if audience == Audience.LEADERS:
        people = people.filter(is_leader=True)
    elif audience == Audience.COMMITTEE:
        people = people.filter(is_committee=True)
    elif audience == Audience.BRANCH:
        people = people.none()
    return people.order_by("org__path", "id")


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    org_path: str
    is_leader: bool
    is_committee: bool

    def concerned_by(self, audience: str) -> bool:
        """Whether a work item with this audience is about this person."""
        if audience == Audience.LEADERS:
            return self.is_leader
        if audience == Audience.COMMITTEE:
            return self.is_committee
        return audience == Audience.MEMBERS

    def acts_as(self, actors: str) -> bool:
        """Whether this person is among the leaders or the committee acting for an item (roles are separate)."""
        return (actors == Actors.LEADERS and self.is_leader) or (actors == Actors.COMMITTEE and self.is_committee)


class PeopleIndex:
    """Every member under a set of nodes, read in one query, so a page with many campaigns
    resolves each work item's audience in memory instead of one query per item."""

    def __init__(self, orgs: Iterable[OrgUnit]) -> None:
        paths = sorted({org.path for org in orgs})
        rows = (
            Person.objects.members()
            .filter(under(*paths))
            .with_post_flags()
            .order_by("org__path", "id")
            .values_list("id", "name", "org__path", "is_leader", "is_committee")
        )
        self.rows = [PersonRow(*row) for row in rows] if paths else []

    def concerned(self, org: OrgUnit, audience: str) -> list[PersonRow]:
        return [r for r in self.rows if r.org_path.startswith(org.path) and r.concerned_by(audience)]


def node_row(org: OrgUnit) -> PersonRow:
    """The single subject of a node-wide work item."""
    return PersonRow(id=NODE, name=org.name, org_path=org.path, is_leader=False, is_committee=False)


@dataclass(frozen=True)
class ItemProgress:
    item: WorkItem
    expected: list[PersonRow]  # everyone the item is about (the node, for a node-wide item)
    states: Mapping[int, State] | None  # None: no provider registered for the item's rule yet
    left: Mapping[int, str] = field(default_factory=dict)
    reasons: Mapping[int, str] = field(default_factory=dict)  # why someone is excused
    me: PersonRow | None = None  # the viewer, when they are a member
    started_ids: frozenset[int] = frozenset()  # started, not done, not excused, whatever the date
    done_on: Mapping[int, date] = field(default_factory=dict)  # when, for providers that know

    @property
    def tracked(self) -> bool:
        return self.states is not None

    @property
    def due_on(self) -> date:
        return self.item.due_on or self.item.stage.ends_on

    @cached_property  # a page asks for it several times per item (reversing a URL is not free)
    def url(self) -> str:
        """Where the work is done, when the providing app names a page."""
        rule = get_rule(self.item.rule)
        if rule is None or not rule.url_name:
            return ""
        return reverse(rule.url_name, kwargs={"campaign_id": self.item.stage.campaign_id})

    def state_of(self, subject_id: int) -> State | None:
        return None if self.states is None else self.states.get(subject_id)

    def with_state(self, *states: State) -> list[PersonRow]:
        if self.states is None:
            return []
        return [r for r in self.expected if self.states.get(r.id) in states]

    def count(self, state: State) -> int:
        return len(self.with_state(state))

    @property
    def counts(self) -> dict[str, int]:
        return {state.value: self.count(state) for state in State}

    @property
    def mine(self) -> str:
        """The viewer's own state when the item is about them: a State value, "untracked", or ""."""
        if self.me is None or all(r.id != self.me.id for r in self.expected):
            return ""
        return "untracked" if self.states is None else self.states[self.me.id]

    @property
    def my_left(self) -> str:
        return self.left.get(self.me.id, "") if self.me else ""

    @property
    def done_ids(self) -> frozenset[int] | None:
        return None if self.states is None else frozenset(r.id for r in self.with_state(State.DONE))

    @property
    def done(self) -> int:
        return self.count(State.DONE)

    @property
    def excused(self) -> list[PersonRow]:
        return self.with_state(State.EXCUSED)

    @property
    def expected_count(self) -> int:
        """Everyone the item is about, less those excused: what a percentage counts against."""
        return len(self.expected) - len(self.excused)

    @property
    def missing(self) -> list[PersonRow]:
        """Not done and not excused. Empty when not tracked: without records nobody is named."""
        return self.with_state(State.NOT_YET_DUE, State.NOT_STARTED, State.IN_PROGRESS, State.OVERDUE)

    @property
    def overdue(self) -> list[PersonRow]:
        return self.with_state(State.OVERDUE)

    @property
    def complete(self) -> bool:
        return self.tracked and self.done == self.expected_count

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.expected_count) if self.expected_count else 100

    def is_done_by(self, person_id: int) -> bool | None:
        return None if self.states is None else self.states.get(person_id) == State.DONE


class CampaignExcusals:
    """A campaign's recorded excusals (of these people, when given), read in one query for a page that shows
    several of its work items, instead of one query per item."""

    def __init__(self, campaign_id: int, people: Iterable[int] | None = None) -> None:
        rows = Excusal.objects.filter(campaign_id=campaign_id)
        if people is not None:
            rows = rows.filter(person_id__in=list(people))
        # By id, as _excusals reads them: of two excusals of one person, the later one's reason is shown.
        self.rows = list(rows.order_by("id").values_list("work_item_id", "person_id", "reason"))

    def of(self, item: WorkItem, people: set[int]) -> dict[int, str]:
        if not item.per_person:
            return {}
        return {pk: why for on, pk, why in self.rows if (on is None or on == item.pk) and pk in people}


def item_progress(
    item: WorkItem,
    org: OrgUnit,
    index: PeopleIndex,
    me: PersonRow | None = None,
    *,
    excusals: CampaignExcusals | None = None,
) -> ItemProgress:
    expected = index.concerned(org, item.audience) if item.per_person else [node_row(org)]
    return _progress(item, org, expected, me, excusals)


def person_progress(
    item: WorkItem, org: OrgUnit, person: PersonRow, *, excusals: CampaignExcusals | None = None
) -> ItemProgress:
    """One person's own state, asking the provider about that person only."""
    return _progress(item, org, [person], person, excusals)


def _progress(
    item: WorkItem,
    org: OrgUnit,
    expected: list[PersonRow],
    me: PersonRow | None,
    excusals: CampaignExcusals | None = None,
) -> ItemProgress:
    rule = get_rule(item.rule)
    if rule is None:
        return ItemProgress(item=item, expected=expected, states=None, me=me)
    report = _report(rule, item, org, expected)
    wanted = {r.id for r in expected}
    recorded = excusals.of(item, wanted) if excusals is not None else _excusals(item, wanted)
    reasons = {pk: why for pk, why in {**report.excused, **recorded}.items() if pk in wanted}
    states = {r.id: state_for(item, r.id, report, reasons) for r in expected}
    left = {pk: str(text) for pk, text in report.left.items() if pk in wanted}
    started = frozenset(pk for pk in report.started if pk in wanted and states[pk] not in (State.DONE, State.EXCUSED))
    done_on = {pk: day for pk, day in report.done_on.items() if states.get(pk) == State.DONE}
    return ItemProgress(
        item=item,
        expected=expected,
        states=states,
        left=left,
        reasons=reasons,
        me=me,
        started_ids=started,
        done_on=done_on,
    )


def _report(rule: RegisteredRule, item: WorkItem, org: OrgUnit, expected: list[PersonRow]) -> Report:
    if not expected:
        return Report()
    people: QuerySet[Person]
    if item.per_person and len(expected) == 1:
        # One person's own state (the home page asks for each of its tasks): whether they are in the audience
        # is known from their row, so the provider gets a plain query for them, far cheaper to build.
        row = expected[0]
        if not (row.org_path.startswith(org.path) and row.concerned_by(item.audience)):
            return Report()
        people = Person.objects.members().filter(pk=row.id).order_by()
    elif item.audience == Audience.MEMBERS:
        # Without the post flags the audience query does not need: providers take it as a subquery.
        people = Person.objects.members().in_subtree(org).order_by("org__path", "id")
    else:
        people = audience(org=org, audience=item.audience)
    # A provider may report ids outside the audience (e.g. someone moved away); they do not count.
    return Report.of(rule.func(item, people))


def _excusals(item: WorkItem, people: set[int]) -> dict[int, str]:
    if not item.per_person:
        return {}
    rows = Excusal.objects.filter(Q(work_item__isnull=True) | Q(work_item=item), campaign_id=item.stage.campaign_id)
    return dict(rows.filter(person_id__in=people).values_list("person_id", "reason"))


def state_for(
    item: WorkItem, subject: int, report: Report, reasons: Mapping[int, str], today: date | None = None
) -> State:
    """One subject's state: done and excused come from the records; the rest from the item's stage and deadline."""
    if subject in report.done:
        return State.DONE
    if subject in reasons:
        return State.EXCUSED
    stage = item.stage
    if stage.status == Stage.Status.PENDING:
        return State.NOT_YET_DUE
    today = today or timezone.localdate()
    if stage.status == Stage.Status.CLOSED or today > (item.due_on or stage.ends_on):
        return State.OVERDUE
    return State.IN_PROGRESS if subject in report.started else State.NOT_STARTED
