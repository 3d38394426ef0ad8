"""What the API answers with. Field names are the integration contract: change them only with a new version."""

from datetime import date, datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class OrgOut(Schema):
    code: str
    name: str
    type: str
    type_label: str
    depth: int
    parent: str | None  # the parent's code, when the parent is within what the caller can see
    can_view: bool  # whether the caller may open the node (its detail and people)

    @staticmethod
    def resolve_type_label(obj: Any) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent_code


class OrgDetailOut(Schema):
    code: str
    name: str
    type: str
    type_label: str
    depth: int
    parent: str | None
    children: list[str]


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    id_number: str  # masked (110***********002X) unless the caller may see private data here
    phone: str  # masked likewise
    kind: str
    category: str
    status: str
    org: str
    group: str | None
    posts: list[str]

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return (obj.id_number or "") if obj.see_private else obj.masked_id_number

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return str(obj.phone if obj.see_private else obj.masked_phone)

    @staticmethod
    def resolve_org(obj: Any) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_group(obj: Any) -> str | None:
        return obj.group.code if obj.group else None

    @staticmethod
    def resolve_posts(obj: Any) -> list[str]:
        return [post.title for post in obj.posts.all()]


class CampaignOut(Schema):
    id: int
    title: str
    org: str
    org_name: str
    status: str
    starts_on: date
    ends_on: date
    current_stage: str | None
    is_demo: bool

    @staticmethod
    def resolve_org(obj: Any) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_org_name(obj: Any) -> str:
        return str(obj.org.name)

    @staticmethod
    def resolve_current_stage(obj: Any) -> str | None:
        stage = obj.current_stage
        return stage.name if stage else None


class PersonRef(Schema):
    id: int
    name: str


class WorkItemOut(Schema):
    code: str
    name: str
    hint: str
    required: bool
    audience: str  # whom it is about: members, leaders, committee, or branch (the node as a whole)
    actors: str  # who must act: self, leaders, committee, secretary, office
    due_on: date | None
    progress: str  # "tracked"; "untracked" (no records feed it yet); "not_started" (stage not begun)
    done: int | None
    expected: int | None  # those it is about, less the excused
    percent: int | None
    states: (
        dict[str, int] | None
    )  # how many are in each state: not_yet_due, not_started, in_progress, overdue, done, excused
    mine: str  # the caller's own state: "" (not about them), "untracked", or a state (see `states`)
    missing: list[PersonRef] | None  # who has not done it (excused not included); null where pages show no names
    overdue: list[PersonRef] | None  # who is past the deadline


class LookBackItemOut(Schema):
    id: int
    order: int
    text: str
    checked: bool
    checked_at: datetime | None
    note: str


class LookBackOut(Schema):
    checked: int
    total: int
    complete: bool
    items: list[LookBackItemOut]


class ReviewOut(Schema):
    rating: str
    rating_label: str
    comment: str
    by: str
    at: datetime


class StageOut(Schema):
    id: int
    order: int
    code: str
    name: str
    status: str
    starts_on: date
    ends_on: date
    days_left: int | None
    signed_off_at: datetime | None
    work_items: list[WorkItemOut]
    lookback: LookBackOut
    reviews: list[ReviewOut]


class CampaignDetailOut(Schema):
    id: int
    title: str
    org: str
    org_name: str
    template: str | None
    status: str
    starts_on: date
    ends_on: date
    shows_names: bool
    stages: list[StageOut]


class RoleOut(Schema):
    role: str
    role_label: str
    org: str
    org_name: str


class MeOut(Schema):
    username: str
    name: str | None  # from the person record linked to the login, if any
    is_superuser: bool
    roles: list[RoleOut]


class ValidationErrorOut(Schema):
    """422: a parameter out of range or of the wrong type; each entry names it (`loc`) and says why (`msg`)."""

    detail: list[dict[str, Any]]


class WritingStateOut(Schema):
    id: int
    title: str
    status: str  # draft, submitted, returned, accepted
    submitted_at: datetime | None
    accepted_at: datetime | None


class WritingLineOut(Schema):
    person: PersonRef
    status: str  # the person's furthest piece: none, draft, submitted, returned, accepted
    writings: list[WritingStateOut]


class WritingItemOut(Schema):
    code: str
    name: str
    due_on: date | None
    mine: list[WritingStateOut]  # the caller's own pieces, if the item concerns them
    people: list[WritingLineOut] | None  # everyone's state; null for a caller who may not see names


class RectificationItemOut(Schema):
    id: int
    title: str
    org: str
    status: str
    status_label: str
    source: str
    owner: PersonRef | None
    due_on: date | None
    overdue: bool
    reported_at: datetime | None
    verified_at: datetime | None

    @staticmethod
    def resolve_org(obj: Any) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_owner(obj: Any) -> dict[str, Any] | None:
        return {"id": obj.owner.pk, "name": obj.owner.name} if obj.owner else None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(getattr(obj, "is_overdue", False))


class ActivityOut(Schema):
    id: int
    title: str
    org: str
    kind: str  # the kind's code (study, party_lecture, theme_day …)
    kind_name: str
    starts_at: datetime
    ends_at: datetime
    hours: float  # what attending it adds to study hours, to the quarter hour
    place: str
    audience: str  # all, leaders, committee, group, named
    lecturer: str  # the lecturer's name (a member, or one invited from outside); "" if none
    stage: int | None  # the campaign stage it was scheduled in, if any
    campaign: int | None

    @staticmethod
    def resolve_org(obj: Any) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.kind.code)

    @staticmethod
    def resolve_kind_name(obj: Any) -> str:
        return str(obj.kind.name)

    @staticmethod
    def resolve_hours(obj: Any) -> float:
        return float(obj.hours)

    @staticmethod
    def resolve_lecturer(obj: Any) -> str:
        return str(obj.lecturer_label)

    @staticmethod
    def resolve_stage(obj: Any) -> int | None:
        return obj.stage_id

    @staticmethod
    def resolve_campaign(obj: Any) -> int | None:
        return obj.stage.campaign_id if obj.stage_id else None


class RegisterRowOut(Schema):
    person: PersonRef
    required: bool  # asked for by the activity's audience (false: a guest, or someone since moved)
    status: str | None  # present, late, remote, absent, leave; null while not marked
    reason: str  # the reason given for leave
    source: str | None  # register (marked by the secretary) or checkin (the member's own scan)
    made_up: bool  # make-up study recorded for a missed activity


class ActivityDetailOut(ActivityOut):
    counts: dict[str, int] | None  # marks by state, person_times, unmarked, required; null where no names are shown
    # The register: everyone's row for those who may view the organisation; otherwise the caller's own row.
    attendance: list[RegisterRowOut]


class PersonStateOut(Schema):
    person: PersonRef
    state: str  # not_yet_due, not_started, in_progress, overdue, done, excused
    left: str  # what the records say is still to do ("还差 1 次"), if the app says
    reason: str  # why the person is excused, when they are
    done_on: date | None  # the day the records say it was done, for apps that know


class ItemStatesOut(Schema):
    code: str
    name: str
    per_person: bool  # false: the item is about the node as a whole (its state is in the campaign's counts)
    progress: str  # tracked, untracked, not_started: as in the campaign detail
    mine: PersonStateOut | None  # the caller's own state, when the item is about them and tracked
    people: list[PersonStateOut] | None  # everyone's; null where pages show no names, or nothing is tracked


class StageStatesOut(Schema):
    order: int
    code: str
    name: str
    status: str
    items: list[ItemStatesOut]


class CampaignProgressOut(Schema):
    id: int
    shows_names: bool
    stages: list[StageStatesOut]


class SittingCountsOut(Schema):
    seats: int  # everyone the sitting is for (a make-up: those given a seat)
    sat: int  # handed in
    absent: int  # no sheet handed in (a sheet started and never handed in counts here, as on the page)
    excused: int  # not held to the test, with a reason recorded by the campaign


class MySheetOut(Schema):
    state: str  # started, submitted
    started_at: datetime
    submitted_at: datetime | None
    score: int | None  # once handed in and fully graded; null while short answers wait for a grader
    max_score: int
    pending: int  # short answers still to be graded by hand


class ExamSittingOut(Schema):
    id: int
    title: str
    paper: str  # the paper's title
    work_item: str | None  # the campaign work item it counts for
    makeup_of: int | None  # the sitting this one makes up for
    opens_at: datetime
    closes_at: datetime
    time_limit: int  # minutes to answer once started
    counts: SittingCountsOut | None  # for those who read results; null for a member
    mine: MySheetOut | None  # the caller's own sheet, if they started one
