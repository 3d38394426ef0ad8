"""How work items learn who has done them: one small interface later apps plug into.

A provider is a function that, given a work item and the queryset of people it
concerns, returns the ids of those who have done it, from that app's own records:

    from pingyi.campaigns.progress import register_rule

    @register_rule("study.attendance", _("参加集中学习达到规定次数"))
    def attended(item: WorkItem, people: QuerySet[Person]) -> set[int]:
        minimum = item.params.get("min_sessions", 1)
        return set(
            Attendance.objects.filter(member__in=people, activity__stage=item.stage)
            .values("member").annotate(n=Count("id")).filter(n__gte=minimum).values_list("member", flat=True)
        )

Register in the app's `AppConfig.ready()`. Progress is never typed in: a work item
whose rule has no provider yet is "not tracked" (ItemProgress.tracked is False) and
pages say so rather than show a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from pingyi.org.models import OrgUnit, Person, under

from .models import Audience, WorkItem

Rule = Callable[[WorkItem, QuerySet[Person]], Iterable[int]]


@dataclass(frozen=True)
class RegisteredRule:
    name: str
    label: str
    func: Rule
    url_name: str = ""  # the page where the work is done, reversed with campaign_id=<the item's campaign>


_rules: dict[str, RegisteredRule] = {}


def register_rule(name: str, label: Any, url_name: str = "") -> Callable[[Rule], Rule]:
    """Decorator: make `func` the provider for work items whose `rule` is `name`.

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
    """The people a work item concerns: party members (probationary included) in the node's subtree.

    Leaders and the committee are those members holding a Post so flagged, wherever the
    post is: a bureau leader's leadership post usually sits on the party group above the branch.
    """
    people = Person.objects.members().in_subtree(org).with_post_flags()
    if audience == Audience.LEADERS:
        people = people.filter(is_leader=True)
    elif audience == Audience.COMMITTEE:
        people = people.filter(is_committee=True)
    return people.order_by("org__path", "id")


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    org_path: str
    is_leader: bool
    is_committee: bool

    def concerned_by(self, audience: str) -> bool:
        if audience == Audience.LEADERS:
            return self.is_leader
        if audience == Audience.COMMITTEE:
            return self.is_committee
        return True


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


@dataclass(frozen=True)
class ItemProgress:
    item: WorkItem
    expected: list[PersonRow]
    done_ids: frozenset[int] | None  # None: no provider registered for the item's rule yet
    me: PersonRow | None = None  # the viewer, when they are a member

    @property
    def mine(self) -> str:
        """The viewer's own state: "" when the item does not concern them, else done / todo / untracked."""
        if self.me is None or all(r.id != self.me.id for r in self.expected):
            return ""
        if self.done_ids is None:
            return "untracked"
        return "done" if self.me.id in self.done_ids else "todo"

    @property
    def tracked(self) -> bool:
        return self.done_ids is not None

    @property
    def url(self) -> str:
        """Where the work is done, when the providing app names a page."""
        rule = get_rule(self.item.rule)
        if rule is None or not rule.url_name:
            return ""
        return reverse(rule.url_name, kwargs={"campaign_id": self.item.stage.campaign_id})

    @property
    def done(self) -> int:
        return len(self.done_ids or ())

    @property
    def expected_count(self) -> int:
        return len(self.expected)

    @property
    def missing(self) -> list[PersonRow]:
        """Empty when not tracked: without records nobody can be named as missing."""
        if self.done_ids is None:
            return []
        return [r for r in self.expected if r.id not in self.done_ids]

    @property
    def complete(self) -> bool:
        return self.tracked and self.done == self.expected_count

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.expected_count) if self.expected_count else 100

    def is_done_by(self, person_id: int) -> bool | None:
        return None if self.done_ids is None else person_id in self.done_ids


def item_progress(item: WorkItem, org: OrgUnit, index: PeopleIndex, me: PersonRow | None = None) -> ItemProgress:
    expected = index.concerned(org, item.audience)
    return ItemProgress(item=item, expected=expected, done_ids=_done(item, org, expected), me=me)


def person_progress(item: WorkItem, org: OrgUnit, person: PersonRow) -> ItemProgress:
    """One person's own status, asking the provider about that person only."""
    return ItemProgress(item=item, expected=[person], done_ids=_done(item, org, [person]), me=person)


def _done(item: WorkItem, org: OrgUnit, expected: list[PersonRow]) -> frozenset[int] | None:
    rule = get_rule(item.rule)
    if rule is None:
        return None
    if not expected:
        return frozenset()
    people = audience(org=org, audience=item.audience)
    if len(expected) == 1:
        people = people.filter(pk=expected[0].id)
    wanted = {r.id for r in expected}
    # A provider may return ids outside the audience (e.g. someone moved away); they do not count.
    return frozenset(int(pk) for pk in rule.func(item, people) if pk in wanted)
