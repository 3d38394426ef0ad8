"""The endpoints: each fetches through the permissions the pages use and reads through their selectors."""

import re
from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import BeforeValidator

from pingyi.campaigns.permissions import get_campaign_for_user, visible_campaigns
from pingyi.campaigns.selectors import STAGE_PREFETCH, campaign_page
from pingyi.core.access_log import record_private_view
from pingyi.exams.permissions import get_campaign_to_sit
from pingyi.org.models import MemberStatus, PersonKind
from pingyi.org.permissions import Cap, can, get_org_for_user
from pingyi.rectification.models import ItemStatus
from pingyi.study import selectors as study
from pingyi.study.permissions import get_activity_for_user

from . import selectors
from .schemas import (
    ActivityDetailOut,
    ActivityOut,
    CampaignDetailOut,
    CampaignOut,
    CampaignProgressOut,
    ErrorOut,
    ExamSittingOut,
    MeOut,
    OrgDetailOut,
    OrgOut,
    PersonOut,
    RectificationItemOut,
    ValidationErrorOut,
    WritingItemOut,
)

MAX_LIMIT = 500
# Far past any real list, and within every database's integer: a larger offset is a 422, not a 500.
MAX_OFFSET = 10_000_000
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
UNAUTHENTICATED: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

router = Router()


class Paging(LimitOffsetPagination):
    """ninja's limit/offset with the offset bounded; a limit past MAX_LIMIT is cut to it, as it always was."""

    class Input(Schema):
        limit: int = Field(100, ge=1)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class RectificationFilter(Schema):
    status: ItemStatus | None = None


class PeopleFilter(Schema):
    kind: PersonKind | None = None
    status: MemberStatus | None = None


@router.get("/orgs/", response={200: list[OrgOut], **UNAUTHENTICATED}, tags=["orgs"])
@paginate(Paging, max_limit=MAX_LIMIT)
def org_list(request: HttpRequest) -> Any:
    """The nodes of the organisation tree the caller can see, in tree order."""
    return selectors.visible_orgs(request.user)


@router.get("/orgs/{org_code}", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"])
def org_detail(request: HttpRequest, org_code: str) -> Any:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    return {
        "code": org.code,
        "name": org.name,
        "type": org.type,
        "type_label": str(org.get_type_display()),
        "depth": org.depth,
        "parent": org.parent.code if org.parent else None,
        "children": list(org.children.order_by("path").values_list("code", flat=True)),
    }


@router.get("/orgs/{org_code}/people", response={200: list[PersonOut], **ERRORS}, tags=["orgs"])
@paginate(Paging, max_limit=MAX_LIMIT)
def org_people(request: HttpRequest, org_code: str, filters: Query[PeopleFilter]) -> Any:
    """Everyone in the node's subtree; ID numbers and phones masked unless the caller may see them here."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    people = selectors.people_for(request.user, org, kind=filters.kind or "", status=filters.status or "")
    if can(request.user, Cap.SEE_PRIVATE, org):
        record_private_view(user=request.user, org=org, what="api.org_people", count=people.count())
    return people


@router.get("/campaigns/", response={200: list[CampaignOut], **UNAUTHENTICATED}, tags=["campaigns"])
@paginate(Paging, max_limit=MAX_LIMIT)
def campaign_list(request: HttpRequest) -> Any:
    return visible_campaigns(request.user).select_related("org").prefetch_related(STAGE_PREFETCH[0])


@router.get("/campaigns/{int:campaign_id}", response={200: CampaignDetailOut, **ERRORS}, tags=["campaigns"])
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    """Stages, work items with progress from the records, and the look-back checklist, as the page shows them."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    return selectors.campaign_detail(campaign_page(campaign, request.user))


@router.get(
    "/campaigns/{int:campaign_id}/writings",
    response={200: list[WritingItemOut], **ERRORS},
    tags=["campaigns"],
)
def campaign_writings(request: HttpRequest, campaign_id: int) -> Any:
    """Each writing work item: the caller's own pieces and, for those the writings page shows names to, everyone's."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    return selectors.writing_items(campaign, request.user, show_people=can(request.user, Cap.VIEW_ORG, campaign.org))


@router.get(
    "/campaigns/{int:campaign_id}/rectification",
    response={200: list[RectificationItemOut], **ERRORS},
    tags=["campaigns"],
)
@paginate(Paging, max_limit=MAX_LIMIT)
def campaign_rectification(request: HttpRequest, campaign_id: int, filters: Query[RectificationFilter]) -> Any:
    """The campaign's rectification list; a member who only takes part sees the items they own, as on the page."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    return selectors.rectification_items(campaign, request.user, status=filters.status or "")


@router.get(
    "/campaigns/{int:campaign_id}/progress",
    response={200: CampaignProgressOut, **ERRORS},
    tags=["campaigns"],
)
def campaign_progress(request: HttpRequest, campaign_id: int) -> Any:
    """Each work item's state per person, with what is left and why someone is excused (the counts are in the
    campaign's detail); everyone's for those the pages show names to, a member's own otherwise."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    return selectors.campaign_progress(campaign_page(campaign, request.user))


def _iso_day(value: Any) -> Any:
    """A day as the schema says (2005-03-01); pydantic alone would also read `0` as 1 January 1970."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


class ActivityFilter(Schema):
    # `from` is a Python keyword: the field is from_, the query parameter `from`.
    from_: Day | None = Field(None, alias="from", description="held on or after this day")
    to: Day | None = Field(None, description="held on or before this day")
    kind: str | None = Field(None, max_length=30, description="an activity kind's code, e.g. party_lecture")


@router.get("/orgs/{org_code}/activities", response={200: list[ActivityOut], **ERRORS}, tags=["study"])
@paginate(Paging, max_limit=MAX_LIMIT)
def org_activities(request: HttpRequest, org_code: str, filters: Query[ActivityFilter]) -> Any:
    """The activities of the node and below, as the study pages list them, oldest first."""
    org = get_org_for_user(request.user, org_code, Cap.VIEW_CAMPAIGN)
    return study.activities_in(org, first=filters.from_, last=filters.to, kind=filters.kind or "")


@router.get("/activities/{int:activity_id}", response={200: ActivityDetailOut, **ERRORS}, tags=["study"])
def activity_detail(request: HttpRequest, activity_id: int) -> Any:
    """An activity and its register: each required person's mark for those who view the organisation; a member
    sees their own row."""
    activity = get_activity_for_user(request.user, activity_id)
    return selectors.activity_register(activity, request.user)


@router.get(
    "/campaigns/{int:campaign_id}/exams",
    response={200: list[ExamSittingOut], **ERRORS},
    tags=["campaigns"],
)
def campaign_exams(request: HttpRequest, campaign_id: int) -> Any:
    """The test's sittings, with who sat and who did not for those who read results, and the caller's own sheet
    (its score once handed in and graded); a member sees the sittings they are seated in."""
    campaign, person = get_campaign_to_sit(request.user, campaign_id)
    return selectors.campaign_sittings(campaign, person, request.user)


@router.get("/me", response={200: MeOut, **UNAUTHENTICATED}, tags=["me"])
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    person = getattr(user, "person", None)
    return {
        "username": user.get_username(),
        "name": person.name if person else None,
        "is_superuser": user.is_superuser,
        "roles": selectors.role_list(user),
    }
