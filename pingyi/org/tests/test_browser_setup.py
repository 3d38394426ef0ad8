from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser
from pingyi.org.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_sets_up_a_group_and_a_login_that_works(page: Any, live_server: Any, world: World) -> None:
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/org/unit/BRANCH/")
    page.click("[data-testid=node-add]")
    page.select_option("#id_type", "group")
    page.fill("#id_code", "BRANCH-G2")
    page.fill("#id_name", "第二党小组")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/org/unit/BRANCH-G2/")
    assert OrgUnit.objects.get(code="BRANCH-G2").parent == world.orgs["branch"]

    page.click("text=添加人员")
    page.fill("#id_name", "陈新")
    page.fill("#id_phone", "13700137000")
    page.click("main button[type=submit]")
    page.click("text=开通登录账号")
    assert page.input_value("#id_username") == "13700137000"
    page.click("[data-testid=account-form] button[type=submit]")
    username = page.inner_text("[data-testid=username]")
    password = page.inner_text("[data-testid=password]")
    assert username == "13700137000"

    page.click("nav button[type=submit]")  # 退出
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=password-forced]")  # the printed password must be replaced first
    new = "Chen-xin-2005-dl"
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.click("[data-testid=password-change-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "新密码已设置" in page.inner_text("main")

    page.click("nav button[type=submit]")
    login_in_browser(page, live_server, username, new)
