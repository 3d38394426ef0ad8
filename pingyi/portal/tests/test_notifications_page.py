"""My notices: the inbox, its unread badge, and the kinds a member chooses not to receive."""

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import World, login_in_browser
from pingyi.core import notifications
from pingyi.core.models import Mute, Notification
from pingyi.core.notifications import notify, register_kind

KIND, OTHER = "tests.study_soon", "tests.overdue"


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    register_kind(KIND, "学习活动提醒")
    register_kind(OTHER, "逾期提醒")
    yield
    for code in (KIND, OTHER):
        notifications._kinds.pop(code, None)


@pytest.mark.django_db
def test_a_member_sees_only_their_own_notices(world: World) -> None:
    notify(users=[world.users["member"]], kind=KIND, title="周五下午集中学习", url="/")
    notify(users=[world.users["secretary"]], kind=KIND, title="书记的提醒")
    page = world.client("member").get("/notifications/").content.decode()
    assert "周五下午集中学习" in page and "书记的提醒" not in page
    assert "学习活动提醒" in page  # the kind, as the apps named it


@pytest.mark.django_db
def test_opening_another_persons_notice_is_not_found(world: World) -> None:
    notify(users=[world.users["secretary"]], kind=KIND, title="书记的提醒")
    notice = Notification.objects.get()
    assert world.client("member").post(f"/notifications/{notice.pk}/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.django_db
def test_the_badge_counts_unread(world: World) -> None:
    client = world.client("member")
    assert 'notice-badge"></span>' in client.get("/notifications/badge/").content.decode()
    notify(users=[world.users["member"]], kind=KIND, title="a")
    notify(users=[world.users["member"]], kind=OTHER, title="b")
    assert ">2<" in client.get("/notifications/badge/").content.decode()
    client.post("/notifications/read-all/")
    assert ">2<" not in client.get("/notifications/badge/").content.decode()


@pytest.mark.django_db
def test_unticking_a_kind_mutes_it(world: World) -> None:
    response = world.client("member").post("/notifications/settings/", {"receive": [OTHER]})
    assert response.status_code == 302
    muted = set(Mute.objects.filter(user=world.users["member"]).values_list("kind", flat=True))
    assert KIND in muted and OTHER not in muted  # every kind left unticked, the apps' own included
    assert notify(users=[world.users["member"]], kind=KIND, title="a") == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_reads_a_notice_and_mutes_a_kind_on_a_phone(page: Any, live_server: Any, world: World) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    notify(users=[world.users["member"]], kind=KIND, title="周五下午集中学习", url="/")
    login_in_browser(page, live_server, "member")
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainnav.show")  # the menu has finished opening: a click mid-slide can miss
    assert page.inner_text("#nav-notices #notice-badge").startswith("1")
    page.click("#nav-notices")
    page.wait_for_url(f"{live_server.url}/notifications/")
    page.click("#notices button:has-text('周五下午集中学习')")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/notifications/")
    assert "未读" not in page.inner_text("#notices")

    page.click("text=通知设置")
    page.uncheck("label:has-text('学习活动提醒')")
    page.click("#notice-settings button[type=submit]")
    assert "已保存通知设置" in page.inner_text("main")
    assert not page.is_checked("label:has-text('学习活动提醒')")
    assert page.is_checked("label:has-text('逾期提醒')")
    assert notify(users=[world.users["member"]], kind=KIND, title="又一条", day=None) == 0
