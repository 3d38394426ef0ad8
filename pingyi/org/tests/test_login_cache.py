"""The login kept in the shared cache (PINGYI_CACHE_USERS): one query fewer a request, never a stale sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from pingyi.org.signin import AccountBackend, _cached_user_key

LOGIN_QUERY = 'FROM "auth_user" WHERE "auth_user"."id" ='


@pytest.fixture(autouse=True)
def cached_logins(settings):
    settings.PINGYI_CACHE_USERS = True
    cache.clear()
    yield
    cache.clear()


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def login_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return sum(LOGIN_QUERY in q["sql"] for q in queries.captured_queries)


def test_a_signed_in_page_reads_the_login_from_the_cache_after_the_first(world):
    client = signed_in("member")
    login_queries(client)
    assert login_queries(client) == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda user: (user.set_password("a-new-password-1"), user.save()),
        lambda user: (setattr(user, "is_active", False), user.save()),
        lambda user: user.delete(),
    ],
    ids=["new password", "deactivated", "deleted"],
)
def test_a_changed_login_ends_its_sessions_at_once(world, change):
    client = signed_in("member")
    assert login_queries(client) == 1 and login_queries(client) == 0  # kept
    change(get_user_model().objects.get(username="member"))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_copy_kept_while_the_change_was_uncommitted_is_dropped_at_commit(world, django_capture_on_commit_callbacks):
    user = get_user_model().objects.get(username="member")
    stale = AccountBackend().get_user(user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        user.set_password("a-new-password-1")
        user.save()
        cache.set(_cached_user_key(user.pk), stale)  # another request read the old row before the commit
    assert cache.get(_cached_user_key(user.pk)) is None
    assert AccountBackend().get_user(user.pk).password == user.password


def test_without_a_shared_cache_nothing_is_kept(world, settings):
    settings.PINGYI_CACHE_USERS = False
    client = signed_in("member")
    login_queries(client)
    assert login_queries(client) == 1
