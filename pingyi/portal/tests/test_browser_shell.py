from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_in_chinese(page: Any, live_server: Any, world: World) -> None:
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码不对" in page.inner_text("main")


def test_log_in_and_switch_to_english(page: Any, live_server: Any, world: World) -> None:
    login_in_browser(page, live_server, "secretary", PASSWORD)
    assert page.inner_text("nav").count("首页") == 1
    page.select_option("#language-select", "en")
    page.click("footer button[type=submit]")
    page.wait_for_load_state()
    assert "Home" in page.inner_text("nav")
    assert "首页" not in page.inner_text("nav")
