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
