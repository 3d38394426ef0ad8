"""Reads for the writings pages: a campaign's writing work items, who has written what, versions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from pingyi.campaigns.models import Campaign, Stage, WorkItem
from pingyi.campaigns.progress import PeopleIndex, PersonRow
from pingyi.campaigns.selectors import days_left, member_row
from pingyi.org.models import OrgUnit, Role, under
from pingyi.org.permissions import CAPABILITIES, Cap, grants_for
from pingyi.originality.selectors import latest_reports, latest_verdicts

from .models import COMPARISONS, KIND_OF_RULE, SECTIONS, Review, Writing, WritingVersion

# How far along a person is with a work item, best first: the row shows their most advanced piece.
RANK = {
    Writing.Status.ACCEPTED: 0,
    Writing.Status.SUBMITTED: 1,
    Writing.Status.RETURNED: 2,
    Writing.Status.DRAFT: 3,
}


def writing_items(campaign: Campaign) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(stage__campaign=campaign, rule__in=list(KIND_OF_RULE))
        .select_related("stage")
        .order_by("stage__order", "order")
    )


@dataclass
class PersonLine:
    person: PersonRow
    writings: list[Writing]

    @property
    def best(self) -> Writing | None:
        return min(self.writings, key=lambda w: RANK[Writing.Status(w.status)], default=None)

    @property
    def status(self) -> str:
        best = self.best
        return best.status if best else "none"

    @property
    def awaits_supervision(self) -> bool:
        best = self.best
        return bool(best and best.status == "submitted" and best.needs_supervision and not best.supervision_ok)


@dataclass
class ItemPanel:
    item: WorkItem
    lines: list[PersonLine] = field(default_factory=list)
    mine: list[Writing] = field(default_factory=list)
    concerns_me: bool = False

    @property
    def stage(self) -> Stage:
        return self.item.stage

    @property
    def due_on(self) -> date:
        return self.item.due_on or self.item.stage.ends_on

    @property
    def days_left(self) -> int | None:
        return days_left(self.due_on)

    @property
    def can_start(self) -> bool:
        return self.concerns_me and self.stage.status != Stage.Status.PENDING and self.may_add

    @property
    def may_add(self) -> bool:
        """A self-analysis is one piece per person; reflections may be several."""
        return not (self.mine and KIND_OF_RULE[self.item.rule] == "self_analysis")

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def accepted(self) -> int:
        return self.count("accepted")

    @property
    def awaiting(self) -> int:
        return self.count("submitted")

    @property
    def returned(self) -> int:
        return self.count("returned")

    @property
    def not_submitted(self) -> list[PersonLine]:
        return [line for line in self.lines if line.status in ("none", "draft")]


def campaign_writings(campaign: Campaign, user: Any, *, show_people: bool) -> tuple[list[ItemPanel], PersonRow | None]:
    """Each writing work item with the viewer's own pieces and, for those who may see names, everyone's state.

    Three queries whatever the branch's size: the items, the people, the writings.
    """
    items = writing_items(campaign)
    me = member_row(user)
    if me is not None and not me.org_path.startswith(campaign.org.path):
        me = None
    people = PeopleIndex([campaign.org]) if show_people else None
    writings = Writing.objects.filter(campaign=campaign).only(
        "id", "work_item_id", "author_id", "kind", "title", "status", "needs_supervision", "supervision_ok",
        "submitted_at", "accepted_at", "draft_saved_at",
    )  # fmt: skip
    if not show_people:
        writings = writings.filter(author_id=me.id if me else None)
    by_item: dict[int, dict[int, list[Writing]]] = defaultdict(lambda: defaultdict(list))
    for writing in writings.order_by("id"):
        by_item[writing.work_item_id][writing.author_id].append(writing)
    panels = []
    for item in items:
        panel = ItemPanel(item=item, concerns_me=bool(me and me.concerned_by(item.audience)))
        panel.mine = by_item[item.pk].get(me.id, []) if me else []
        if people is not None:
            panel.lines = [
                PersonLine(row, by_item[item.pk].get(row.id, []))
                for row in people.concerned(campaign.org, item.audience)
            ]
        panels.append(panel)
    return panels, me


def accepted_writings(campaign: Campaign, item: WorkItem | None = None) -> QuerySet[Writing]:
    """Accepted pieces with their accepted version, in roster order."""
    qs = Writing.objects.filter(campaign=campaign, status=Writing.Status.ACCEPTED)
    if item is not None:
        qs = qs.filter(work_item=item)
    return qs.select_related("author__org", "work_item__stage").prefetch_related(
        Prefetch("versions", queryset=WritingVersion.objects.order_by("-number"))
    )


@dataclass
class Tally:
    """The campaign page's people and pieces for the Excel tally, with what a row needs besides."""

    panels: list[ItemPanel]
    versions: dict[int, WritingVersion]  # writing id -> its latest version, for every piece submitted
    org_names: dict[str, str]  # node path -> name


def tally(campaign: Campaign, user: Any, item: WorkItem | None = None) -> Tally:
    """The same people and states the campaign page counts, so the tally and the page agree."""
    panels, _me = campaign_writings(campaign, user, show_people=True)
    panels = [p for p in panels if p.stage.status != Stage.Status.PENDING]  # the page lists nobody for these
    if item is not None:
        panels = [p for p in panels if p.item.pk == item.pk]
    sent = [w.pk for p in panels for line in p.lines for w in line.writings if w.status != Writing.Status.DRAFT]
    versions: dict[int, WritingVersion] = {}
    for version in WritingVersion.objects.filter(writing_id__in=sent).order_by("writing_id", "-number"):
        versions.setdefault(version.writing_id, version)
    names = dict(OrgUnit.objects.in_subtree(campaign.org).values_list("path", "name"))
    return Tally(panels=panels, versions=versions, org_names=names)


@dataclass
class WritingPage:
    writing: Writing
    versions: list[WritingVersion]
    shown: WritingVersion | None
    reviews: list[Review]

    @property
    def latest(self) -> WritingVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def is_latest(self) -> bool:
        return self.shown is not None and self.shown == self.latest

    @property
    def previous(self) -> WritingVersion | None:
        if self.shown is None:
            return None
        earlier = [v for v in self.versions if v.number < self.shown.number]
        return earlier[-1] if earlier else None

    @property
    def shown_parts(self) -> list[dict[str, Any]]:
        sections = self.shown.sections if self.shown else {}
        return [{"label": label, "text": sections.get(key, "")} for key, label in SECTIONS]

    @property
    def shown_comparisons(self) -> list[dict[str, Any]]:
        comparisons = self.shown.comparisons if self.shown else {}
        return [{"label": label, **comparisons.get(key, {})} for key, label in COMPARISONS]

    @property
    def returns(self) -> list[Review]:
        """Comments on the latest version that sent it back: what the author must address."""
        latest = self.latest
        return [r for r in self.reviews if r.version_id == getattr(latest, "pk", None) and r.decision == "returned"]


def writing_page(writing: Writing, number: int | None = None) -> WritingPage:
    versions = list(writing.versions.select_related("submitted_by").order_by("number"))
    shown = next((v for v in versions if v.number == number), None) if number else None
    if shown is None and versions:
        shown = versions[-1]
    reviews = list(writing.reviews.select_related("by", "version").order_by("at", "id"))
    return WritingPage(writing=writing, versions=versions, shown=shown, reviews=reviews)


def flagged_count(campaign: Campaign) -> int:
    """Pieces of the campaign whose latest submitted version the copy check marked red (复制比超标)."""
    latest = dict(
        WritingVersion.objects.filter(writing__campaign=campaign)
        .values("writing")
        .annotate(last=Max("pk"))
        .values_list("writing", "last")
    )
    verdicts = latest_verdicts("writing", list(latest.values()))
    return sum(1 for version in latest.values() if verdicts.get(version) == "red")


# The review queue: what waits for this reviewer. The home card counts the same query.


def waiting_for(user: Any) -> Q | None:
    """Pieces waiting for this reviewer's decision. The branch side waits on every piece it has not yet
    accepted; the supervision group only on leaders' self-analyses not yet accepted by it (it may review
    the rest, but they do not wait for it). None when the user reviews nowhere."""
    if getattr(user, "is_superuser", False):
        return Q(branch_ok=False) | Q(needs_supervision=True, supervision_ok=False)
    reviewing = CAPABILITIES[Cap.REVIEW_WRITINGS]
    wanted: Q | None = None
    for path, role in grants_for(user):
        if role not in reviewing:
            continue
        here = under(path, via="author__org")
        if role == Role.SUPERVISOR:
            here &= Q(needs_supervision=True, supervision_ok=False)
        else:
            here &= Q(branch_ok=False)
        wanted = here if wanted is None else wanted | here
    return wanted


def review_queue(user: Any, campaign: Campaign | None = None) -> QuerySet[Writing]:
    """Every piece waiting for the user, oldest submission first (never their own)."""
    wanted = waiting_for(user)
    if wanted is None:
        return Writing.objects.none()
    queue = Writing.objects.filter(wanted, status=Writing.Status.SUBMITTED).exclude(author__user=user)
    if campaign is not None:
        queue = queue.filter(campaign=campaign)
    return queue.order_by("submitted_at", "id")


@dataclass
class QueueRow:
    writing: Writing
    report: Any  # the newest originality report of the latest version, or None while it is checked


def queue_rows(user: Any, campaign: Campaign) -> list[QueueRow]:
    """The queue with each piece's latest version and 复制比 report: three queries whatever its length."""
    latest = WritingVersion.objects.filter(writing=OuterRef("pk")).order_by("-number")
    writings = list(
        review_queue(user, campaign)
        .select_related("author__org", "work_item")
        .annotate(latest_version=Subquery(latest.values("pk")[:1]), latest_number=Subquery(latest.values("number")[:1]))
        .annotate(latest_words=Subquery(latest.values("word_count")[:1]))
    )
    reports = latest_reports("writing", [w.latest_version for w in writings if w.latest_version])
    return [QueueRow(w, reports.get(w.latest_version)) for w in writings]


def next_in_queue(user: Any, campaign: Campaign, after: Writing) -> Writing | None:
    """The piece to open after deciding on `after`: the oldest other one still waiting."""
    return review_queue(user, campaign).exclude(pk=after.pk).only("id", "title").first()
