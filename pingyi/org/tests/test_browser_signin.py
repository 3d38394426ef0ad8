"""A member's first sign-in with the password the secretary printed, as a person would do it."""

from typing import Any

import pytest

from conftest import World
from pingyi.org import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_sets_a_new_password_before_anything_else(page: Any, live_server: Any, world: World) -> None:
    person = services.save_person(org=world.orgs["branch"], by=None, name="新党员")
    printed = services.open_account(person=person, username="xin", by=world.users["secretary"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", printed.username)
    page.fill("#id_password", printed.password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=password-forced]")
    page.goto(f"{live_server.url}/campaigns/")  # anything else leads back to the password page
    page.wait_for_selector("[data-testid=password-forced]")
    page.fill("#id_old_password", printed.password)
    page.fill("#id_new_password1", "my-own-password-2005")
    page.fill("#id_new_password2", "my-own-password-2005")
    page.click("[data-testid=password-change-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/campaigns/")
    assert "新密码已设置" in page.inner_text("main")
    page.goto(f"{live_server.url}/")
    assert "password-forced" not in page.content()
