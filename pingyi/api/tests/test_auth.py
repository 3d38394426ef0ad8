import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import HttpError

from conftest import World
from pingyi.api import services
from pingyi.api.auth import session_auth
from pingyi.api.models import ApiToken
from pingyi.core.models import AuditEntry

pytestmark = pytest.mark.django_db
ME = "/api/me"


def _get(secret: str, url: str = ME) -> Any:
    return Client().get(url, headers={"Authorization": f"Bearer {secret}"})


def test_a_token_authenticates_as_its_user(world: World) -> None:
    token, secret = services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    response = _get(secret)
    assert response.status_code == 200
    assert response.json()["username"] == "secretary"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_secret_is_never_stored(world: World) -> None:
    token, secret = services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    assert not any(secret in str(entry.data) for entry in AuditEntry.objects.all())


def test_a_revoked_token_is_refused(world: World) -> None:
    token, secret = services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    services.revoke_api_token(token=token, by=world.users["admin"])
    response = _get(secret)
    assert response.status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoke").count() == 1


@pytest.mark.parametrize("header", ["Bearer pyt_wrong", "Bearer ", "Token pyt_x", "Basic c2VjcmV0YXJ5Og=="])
def test_a_wrong_token_is_refused(world: World, header: str) -> None:
    services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    response = Client().get(ME, headers={"Authorization": header})
    assert response.status_code == 401


def test_a_disabled_users_token_is_refused(world: World) -> None:
    _, secret = services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    world.users["secretary"].is_active = False
    world.users["secretary"].save()
    assert _get(secret).status_code == 401


def test_anonymous_gets_401_in_json_with_a_chinese_reason() -> None:
    response = Client().get(ME)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "令牌" in response.json()["detail"]


def test_a_logged_in_browser_session_may_call_the_api(world: World) -> None:
    response = world.client("committee").get(ME)
    assert response.status_code == 200 and response.json()["username"] == "committee"


def test_session_auth_checks_csrf_on_unsafe_methods(world: World) -> None:
    request = RequestFactory().post(ME)
    request.user = world.users["secretary"]
    request.COOKIES["sessionid"] = "x"
    request._dont_enforce_csrf_checks = False  # type: ignore[attr-defined]
    with pytest.raises(HttpError) as refused:
        session_auth(request)
    assert refused.value.status_code == 403 and "CSRF" in str(refused.value)
    safe = RequestFactory().get(ME)
    safe.user = world.users["secretary"]
    assert session_auth(safe) == world.users["secretary"]


def test_wrong_method_is_405(world: World) -> None:
    assert world.client("secretary").delete(ME).status_code == 405


def test_last_use_is_written_at_most_every_few_minutes(world: World, django_assert_num_queries: Any) -> None:
    token, secret = services.create_api_token(user=world.users["secretary"], name="报表系统", by=None)
    _get(secret)
    token.refresh_from_db()
    first = token.last_used_at
    _get(secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - services.LAST_USED_PRECISION * 2)
    _get(secret)
    token.refresh_from_db()
    assert token.last_used_at is not None and first is not None and token.last_used_at > first


def test_command_prints_the_secret_once_and_stores_its_hash(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "office", "--name", "统计平台", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.user == world.users["office"] and token.name == "统计平台"
    assert token.token_hash == services.hash_secret(secret)
    assert secret not in err.getvalue() and token.prefix in err.getvalue()
    assert _get(secret).json()["username"] == "office"


def test_command_refuses_an_unknown_user(world: World) -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "x", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
