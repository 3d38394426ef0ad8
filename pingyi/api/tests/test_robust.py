"""The API under bad input and the new endpoints (issue 17, item 12); schemathesis over the whole schema."""

from datetime import datetime, time
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from conftest import World
from pingyi.rectification import services as rectification
from pingyi.writings import services as writings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", ["99999999999999999999", "-1", "x", "10000001"])
def test_a_bad_offset_is_a_422_not_a_500(bearer: Any, offset: str) -> None:
    response = bearer("secretary").get(f"/api/orgs/?offset={offset}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "offset"


def test_an_unknown_path_is_a_json_404(bearer: Any) -> None:
    for path in ["/api/nope", "/api/orgs/BRANCH/people/extra/", "/api/"]:
        response = bearer("secretary").get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path
        assert "detail" in response.json()


def test_every_operation_documents_its_422(world: World) -> None:
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert "422" in operation["responses"], path


def test_writings_status_follows_the_page(world: World, campaign: Any, bearer: Any) -> None:
    member = world.people["member"]
    item = next(i for i in campaign.stages.get(order=1).work_items.all() if i.rule.startswith("writings."))
    writings.start_writing(work_item=item, author=member, by=world.users["member"])
    url = f"/api/campaigns/{campaign.pk}/writings"
    full = bearer("supervisor").get(url).json()
    line = next(line for p in full if p["code"] == item.code for line in p["people"])
    assert line["person"]["name"] == "王党员" and line["status"] == "draft"
    own = bearer("member").get(url).json()
    assert all(p["people"] is None for p in own)
    assert [w["status"] for p in own if p["code"] == item.code for w in p["mine"]] == ["draft"]
    assert bearer("outsider").get(url).status_code == 404


def test_rectification_items_follow_the_page(world: World, campaign: Any, bearer: Any) -> None:
    rectification.create_item(
        org=world.orgs["branch"], campaign=campaign, by=world.users["secretary"], title="窗口排长队", owner=None
    )
    url = f"/api/campaigns/{campaign.pk}/rectification"
    items = bearer("committee").get(url).json()["items"]
    assert [i["title"] for i in items] == ["窗口排长队"]
    assert bearer("member").get(url).json()["items"] == []  # a member sees the items they own
    assert bearer("secretary").get(url + "?status=nonsense").status_code == 422
    assert bearer("outsider").get(url).status_code == 404


# schemathesis: every operation, generated parameters, no server error and no response outside the schema

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture
def token(world: World, campaign: Any) -> Any:
    """A token, and the test's database connection kept across requests, as Django's own test client keeps it
    (a request's end would otherwise close it, and the test's transaction with it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from pingyi.api import services

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield services.create_api_token(user=world.users["secretary"], name="schemathesis", by=None)[1]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def records(world: World, campaign: Any) -> dict[str, Any]:
    """Real path parameters, so the generated queries reach full answers (names, registers, states), not 404s."""
    from datetime import timedelta

    from conftest import add_member
    from pingyi.campaigns import services as campaigns
    from pingyi.exams import services as exams
    from pingyi.exams.tests.conftest import make_bank, make_paper, make_sitting
    from pingyi.study import services as study
    from pingyi.study.kinds import load
    from pingyi.study.models import ActivityKind, Status

    load(ActivityKind)
    stage = campaign.stages.get(order=1)
    start = timezone.make_aware(datetime.combine(stage.starts_on, time(9)))
    plan = study.Plan(
        kind=ActivityKind.objects.get(code="study"),
        title="学习党章",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    activity = study.schedule_activity(org=world.orgs["branch"], plan=plan, by=world.users["secretary"])
    chen = add_member(world, "陈党员")
    study.mark_attendance(activity=activity, person=world.people["member"], status=Status.PRESENT, by=None)
    study.mark_attendance(activity=activity, person=chen, status=Status.LEAVE, reason="出差", by=None)
    campaigns.excuse(campaign=campaign, person=chen, reason="长期病休", by=world.users["secretary"])
    sitting = make_sitting(world, campaign, make_paper(world, make_bank(world)))
    sheet = exams.start_sheet(sitting=sitting, person=world.people["member"], by=world.users["member"])
    exams.submit_sheet(sheet=sheet, by=world.users["member"])
    return {"org_code": "BRANCH", "campaign_id": campaign.pk, "activity_id": activity.pk}


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_on_real_records(case: Any, token: str, records: dict[str, Any]) -> None:
    case.path_parameters = {name: records[name] for name in case.path_parameters or {}}
    # Real ids replace the generated path: a case meant to be invalid there may now be valid, so "invalid
    # data is refused" is the first test's check, not this one's.
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=[negative_data_rejection])
