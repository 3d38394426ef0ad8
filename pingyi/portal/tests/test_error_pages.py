"""Error pages in the user's language, saying nothing about what was asked for."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

from conftest import World


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _body(response: Any) -> str:
    # Each render masks the CSRF token afresh; everything else must be the same.
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def test_unknown_page_in_chinese_and_in_english(world: World) -> None:
    response = world.client("member").get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = _english(world.client("member")).get("/no-such-page/")
    assert "Page not found" in response.content.decode()


def test_outside_the_subtree_reads_exactly_like_nothing_there(world: World) -> None:
    client = world.client("outsider")
    elsewhere = client.get("/org/unit/BRANCH/")  # exists, but in another branch's part of the tree
    nothing = client.get("/org/unit/NO-SUCH-NODE/")
    assert elsewhere.status_code == nothing.status_code == 404
    assert _body(elsewhere).replace("/org/unit/BRANCH/", "") == _body(nothing).replace("/org/unit/NO-SUCH-NODE/", "")
    assert "局机关党支部" not in elsewhere.content.decode()


def test_forbidden_page_names_no_object(world: World) -> None:
    response = world.client("member").get("/org/unit/BRANCH/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page and "局机关党支部" not in page


def test_csrf_failure_page_is_ours(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "member", "password": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    response = _english(Client(enforce_csrf_checks=True)).post("/accounts/login/", {"username": "member"})
    assert "This page has expired" in response.content.decode()


def test_bad_request_page() -> None:
    response = Client().get("/", headers={"host": "evil.example.com"})  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "服务器出错"), ("en", "Server error")])
def test_server_error_page_renders_without_a_request_context(language: str, words: str) -> None:
    with translation.override(language):
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert words in response.content.decode()
