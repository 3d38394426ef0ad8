import json
from typing import Any

import pytest
from django.test import Client

from conftest import World

pytestmark = pytest.mark.django_db


def test_me_names_the_user_and_their_roles(world: World, bearer: Any) -> None:
    assert bearer("member").get("/api/me").json() == {
        "username": "member",
        "name": "王党员",
        "is_superuser": False,
        "roles": [{"role": "member", "role_label": "党员", "org": "BRANCH", "org_name": "局机关党支部"}],
    }
    office = bearer("office").get("/api/me").json()
    assert office["name"] is None
    assert office["roles"] == [
        {"role": "office", "role_label": "保先办工作人员", "org": "BUREAU", "org_name": "区劳动和社会保障局党组"}
    ]
    assert bearer("admin").get("/api/me").json()["is_superuser"] is True


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_the_openapi_schema_is_served_and_complete() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Pingyi API" and schema["info"]["version"] == "1"
    assert set(schema["paths"]) == {
        "/api/orgs/",
        "/api/orgs/{org_code}",
        "/api/orgs/{org_code}/people",
        "/api/campaigns/",
        "/api/campaigns/{campaign_id}",
        "/api/campaigns/{campaign_id}/writings",
        "/api/campaigns/{campaign_id}/rectification",
        "/api/campaigns/{campaign_id}/progress",
        "/api/campaigns/{campaign_id}/exams",
        "/api/orgs/{org_code}/activities",
        "/api/activities/{activity_id}",
        "/api/me",
    }
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert all(set(op) >= {"operationId", "responses", "security"} for op in operations)
    assert {op["operationId"] for op in operations} == {
        "org_list",
        "org_detail",
        "org_people",
        "campaign_list",
        "campaign_detail",
        "campaign_writings",
        "campaign_rectification",
        "campaign_progress",
        "campaign_exams",
        "org_activities",
        "activity_detail",
        "me",
    }
    components = schema["components"]["schemas"]
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "BrowserSession"}


def test_no_docs_page_that_would_load_swagger_from_a_cdn(world: World) -> None:
    client = world.client("secretary")
    assert client.get("/api/docs").status_code == 404
    assert b"cdn" not in client.get("/api/openapi.json").content.lower()
