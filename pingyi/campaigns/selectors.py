"""Read models for the campaign pages and the home page: progress is computed here, never stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from pingyi.org.models import Person, Role, person_of
from pingyi.org.permissions import grants_for, roles_at

from .models import Actors, Campaign, LookBackItem, Stage, StageReview, WorkItem
from .permissions import may_see_names, visible_campaigns
from .progress import CampaignExcusals, ItemProgress, PeopleIndex, PersonRow, State, item_progress, person_progress

STAGE_PREFETCH: list[Any] = [
    Prefetch("stages", queryset=Stage.objects.order_by("order")),
    "stages__work_items",
    "stages__lookback_items",
    Prefetch("stages__reviews", queryset=StageReview.objects.select_related("by")),
]
BOARD_ROLES = {Role.SECRETARY, Role.COMMITTEE, Role.OFFICE}
ACTING_ROLES = {Actors.SECRETARY: Role.SECRETARY, Actors.OFFICE: Role.OFFICE}


def days_left(day: date | None) -> int | None:
    return None if day is None else (day - timezone.localdate()).days


@dataclass
class StagePanel:
    stage: Stage
    items: list[ItemProgress]
    counted: bool  # False for a stage not yet started (or not asked for): its items carry no progress
    reviews: list[StageReview]
    my_review: StageReview | None
    review_form: Any = None  # set by the detail view for reviewers
    placed_messages: list[Any] = field(default_factory=list)  # messages about this stage, shown in its card

    @property
    def lookback(self) -> list[LookBackItem]:
        return list(self.stage.lookback_items.all())

    @property
    def lookback_checked(self) -> int:
        return sum(1 for item in self.lookback if item.checked)

    @property
    def lookback_complete(self) -> bool:
        return self.lookback_checked == len(self.lookback)

    @property
    def days_left(self) -> int | None:
        return days_left(self.stage.ends_on)

    @property
    def untracked(self) -> int:
        return sum(1 for p in self.items if not p.tracked)

    @property
    def required_done(self) -> int:
        return sum(p.done for p in self.items if p.tracked and p.item.required)

    @property
    def required_expected(self) -> int:
        return sum(p.expected_count for p in self.items if p.tracked and p.item.required)

    def chart(self) -> list[dict[str, Any]]:
        return [
            {"name": p.item.name, "done": p.done, "missing": p.expected_count - p.done} for p in self.items if p.tracked
        ]


@dataclass
class CampaignPanel:
    campaign: Campaign
    stages: list[StagePanel]
    show_names: bool
    my_person_id: int | None = None

    @property
    def current(self) -> StagePanel | None:
        return next((s for s in self.stages if s.stage.is_open), None)


@dataclass(frozen=True)
class Task:
    """One work item the viewer must act on: their own part (`own`), or an item they do for others
    (the committee forming opinions on every member), with how many are still to do."""

    progress: ItemProgress
    own: bool

    @property
    def state(self) -> str:
        """Own task: the viewer's state. A task for others: overdue if anyone is, done when nobody is left."""
        p = self.progress
        if self.own:
            return p.mine
        if not p.tracked:
            return "untracked"
        if p.overdue:
            return State.OVERDUE
        if not p.missing:
            return State.DONE
        return State.NOT_YET_DUE if p.count(State.NOT_YET_DUE) else State.IN_PROGRESS

    @property
    def left(self) -> str:
        return self.progress.my_left if self.own else ""

    @property
    def open_for_others(self) -> int:
        return 0 if self.own else len(self.progress.missing)


@dataclass
class TaskCard:
    """What a member must do in the open stage of one campaign: their own items and the items they do for others;
    and what the next stage will ask of them, not yet due (shown as such, so nothing looks late before its time)."""

    campaign: Campaign
    stage: Stage
    tasks: list[Task]
    upcoming: Stage | None = None
    upcoming_tasks: list[Task] = field(default_factory=list)

    @property
    def days_left(self) -> int | None:
        return days_left(self.stage.ends_on)


@dataclass
class HomePage:
    tasks: list[TaskCard] = field(default_factory=list)
    boards: list[CampaignPanel] = field(default_factory=list)  # secretary, committee, office
    has_roles: bool = False
    is_member: bool = False

    @property
    def chart_data(self) -> list[dict[str, Any]]:
        return [
            {"id": panel.campaign.pk, "items": panel.current.chart()}
            for panel in self.boards
            if panel.current and panel.current.chart()
        ]


def campaign_panels(
    campaigns: Iterable[Campaign], user: Any, *, all_stages: bool = False, person: PersonRow | None = None
) -> list[CampaignPanel]:
    """Progress for prefetched campaigns: one query for the people, then one per tracked work item's provider."""
    campaigns = list(campaigns)
    index = PeopleIndex(c.org for c in campaigns)
    panels = []
    for campaign in campaigns:
        stages = []
        excusals = CampaignExcusals(campaign.pk)
        for stage in campaign.stages.all():
            counted = stage.status != Stage.Status.PENDING and (all_stages or stage.is_open)
            items = [
                item_progress(i, campaign.org, index, person, excusals=excusals)
                if counted
                else ItemProgress(i, [], None)
                for i in stage.work_items.all()
            ]
            reviews = list(stage.reviews.all())
            mine = next((r for r in reviews if r.by_id == user.pk), None)
            stages.append(StagePanel(stage=stage, items=items, counted=counted, reviews=reviews, my_review=mine))
        panels.append(
            CampaignPanel(
                campaign=campaign,
                stages=stages,
                show_names=may_see_names(user, campaign),
                my_person_id=person.id if person else None,
            )
        )
    return panels


def campaign_page(campaign: Campaign, user: Any) -> CampaignPanel:
    prefetch_related_objects([campaign], *STAGE_PREFETCH)
    return campaign_panels([campaign], user, all_stages=True, person=member_row(user))[0]


def member_row(user: Any) -> PersonRow | None:
    """The user's own member record with the flags the audiences need, if they are a party member."""
    person: Any = person_of(user, member_only=True)  # Any: the post flags are annotations
    return PersonRow(person.id, person.name, person.org.path, person.is_leader, person.is_committee) if person else None


def acts_on(item: WorkItem, person: PersonRow, roles: set[Role]) -> bool | None:
    """Whether the person must act on the item: True for their own part, False for acting on others', None if not."""
    if item.actors == Actors.SELF:
        return True if person.concerned_by(item.audience) else None
    if person.acts_as(item.actors) or ACTING_ROLES.get(Actors(item.actors)) in roles:
        return False
    return None


def member_tasks(person: PersonRow, campaigns: Iterable[Campaign], user: Any) -> list[TaskCard]:
    """Only what the member can do: their own items, and items they act on for others; never an item about
    them that others do (the committee's opinion of them is not their task)."""
    cards = []
    for campaign in campaigns:
        stage = campaign.current_stage
        if stage is None or not person.org_path.startswith(campaign.org.path):
            continue
        roles = roles_at(user, campaign.org)
        tasks = []
        mine = CampaignExcusals(campaign.pk, people=[person.id])
        for item in stage.work_items.all():
            own = acts_on(item, person, roles)
            if own is True:
                tasks.append(Task(person_progress(item, campaign.org, person, excusals=mine), own=True))
            elif own is False:
                tasks.append(Task(item_progress(item, campaign.org, PeopleIndex([campaign.org]), person), own=False))
        upcoming = next((s for s in campaign.stages.all() if s.order > stage.order), None)
        later = [
            _not_yet_due(item, person, own)
            for item in (upcoming.work_items.all() if upcoming else [])
            if (own := acts_on(item, person, roles)) is not None
        ]
        if tasks or later:
            cards.append(TaskCard(campaign=campaign, stage=stage, tasks=tasks, upcoming=upcoming, upcoming_tasks=later))
    return cards


def _not_yet_due(item: WorkItem, person: PersonRow, own: bool) -> Task:
    """A task of a stage not yet open: not yet due, whatever the records say (no provider is asked)."""
    return Task(ItemProgress(item=item, expected=[person], states={person.id: State.NOT_YET_DUE}, me=person), own=own)


def home_page(user: Any) -> HomePage:
    campaigns = list(visible_campaigns(user).open().select_related("org").prefetch_related(*STAGE_PREFETCH))
    person = member_row(user)
    # Supervisors and the administrator get the roll-up of their subtree (reports), not a row per campaign.
    boards = [c for c in campaigns if roles_at(user, c.org) & BOARD_ROLES]
    return HomePage(
        tasks=member_tasks(person, campaigns, user) if person else [],
        boards=campaign_panels(boards, user),
        has_roles=bool(user.is_superuser or person or grants_for(user)),
        is_member=person is not None,
    )


def member_of_campaign(user: Any, campaign: Campaign) -> Person | None:
    """The viewer's own member record when the campaign concerns them."""
    person = person_of(user, member_only=True)
    return person if person and person.org.is_within(campaign.org) else None
