"""As people do it: the secretary schedules a discussion and takes the register on a phone within the tap budget,
records a leave and a make-up; the counts reach the stage and the campaign; a member checks in by the room's
rotating code and a stale code is refused; the routine page shows a missed monthly meeting."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD, World, add_member, login_in_browser, ten_days_ago
from pingyi.campaigns.models import Campaign
from pingyi.reports.burden import RULES, SECRETARY
from pingyi.study import checkin, services
from pingyi.study.models import Attendance, MakeUp

from .conftest import at, schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def campaign_options() -> dict[str, Any]:
    """Stage 1 (study) started ten days ago, so a session held today falls in it."""
    return {"starts_on": ten_days_ago()}


class Taps:
    """Clicks on the page, counted: the register's budget is in taps."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def __call__(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)


def test_the_secretary_schedules_a_session_and_takes_a_29_member_register_on_a_phone(
    page: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    people = [world.people["member"], *(add_member(world, f"党员{n:02d}") for n in range(1, 29))]
    absent, on_leave, late = people[3], people[10], people[20]
    stage = campaign.stages.get(order=1)
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/study/campaign/{campaign.pk}/")
    page.click(f"#stage-{stage.pk} >> text=安排本阶段活动")
    page.select_option("#id_kind", label="专题讨论")
    page.fill("#id_title", "结合本职工作谈先进性")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_place", "三楼会议室")
    assert page.input_value("#id_stage") == str(stage.pk)
    page.click("#activity-form button[type=submit]")
    page.wait_for_selector("#take-register")
    page.click("#take-register")
    page.wait_for_selector("#all-present")

    tap = Taps(page)
    tap("#all-present")
    page.wait_for_selector("#register-rows [data-status=present] >> nth=28")
    for person, times in ((absent, 1), (on_leave, 2), (late, 3)):
        for _ in range(times):
            before = page.get_attribute(f"#row-{person.pk}", "data-status")
            tap(f"#row-{person.pk} .register-tap")
            page.wait_for_function(f"document.querySelector('#row-{person.pk}').dataset.status !== '{before}'")
    page.fill(f"#reason-{on_leave.pk}", "出差")
    page.press(f"#reason-{on_leave.pk}", "Enter")
    saved = f"document.querySelector('#reason-{on_leave.pk}')?.value === '出差'"
    page.wait_for_function(f"{saved} && !document.querySelector('#row-{on_leave.pk} .text-danger')")

    budget = RULES["study.attendance"].taps[SECRETARY]
    assert tap.count <= budget <= 10, f"{tap.count} taps, the budget is {budget} (the issue allows 10)"
    marks = dict(Attendance.objects.values_list("person_id", "status"))
    assert len(marks) == 29
    assert (marks[absent.pk], marks[on_leave.pk], marks[late.pk]) == ("absent", "leave", "late")
    assert Attendance.objects.get(person=on_leave).reason == "出差"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("#register-done")
    page.click(f"#absentees [data-person='{on_leave.pk}'] >> text=登记补学")
    page.fill("#id_what", "自学讨论材料并向书记汇报体会")
    page.click("#makeup-form button[type=submit]")
    page.wait_for_selector(f"#absentees [data-person='{on_leave.pk}'] .makeup-done")
    assert MakeUp.objects.get().attendance.person == on_leave

    page.goto(f"{live_server.url}/study/stage/{stage.pk}/")
    counts = page.inner_text(".stage-counts")
    assert "集中学习 1 次" in counts and "27 人次" in counts and "缺席或请假 2 人次，已补学 1" in counts
    assert "未补学" in page.inner_text(f"#stage-absentees [data-person='{absent.pk}']")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    # Present or late, and the made-up leave: 28 of 29 took part in a topic discussion.
    assert "28/29" in page.inner_text("tr[data-item=topic-discussion]")


def test_a_member_checks_in_by_the_rotating_code_and_a_stale_code_is_refused(
    page: Any, live_server: Any, world: World, browser: Any, monkeypatch: Any
) -> None:
    activity = schedule(world, title="学习党章", start=timezone.now() - timedelta(minutes=5))
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/study/org/{world.orgs['branch'].code}/settings/")
    page.check("#id_self_checkin")
    page.click("#settings-form button[type=submit]")
    page.wait_for_selector("text=设置已保存")
    page.goto(f"{live_server.url}/study/{activity.pk}/")
    page.click("#open-screen")
    link = page.get_attribute("#checkin-code", "data-url")
    assert link and page.locator("#checkin-code svg").count() == 1

    phone = browser.new_context(viewport=PHONE).new_page()
    login_in_browser(phone, live_server, "member", PASSWORD)
    phone.goto(link)
    phone.click("#checkin-button")
    assert "已签到（出席）" in phone.inner_text("#checkin-done")
    assert "学习党章" in phone.inner_text("main")  # the activity's name stays above the answer
    assert Attendance.objects.get(activity=activity).person == world.people["member"]
    page.wait_for_function("document.querySelector('#checkin-count').innerText.includes('已签到 1')", timeout=20_000)

    page.goto("about:blank")  # the screen stops polling

    past = time.time() - checkin.WINDOW - 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: past)
    stale = checkin.code_for(activity.pk)
    monkeypatch.undo()
    phone.goto(f"{live_server.url}/study/checkin/?code={stale}")
    assert "二维码已过期" in phone.inner_text("#checkin-error")
    assert phone.locator("#checkin-button").count() == 0
    phone.context.close()


def test_the_routine_page_shows_a_missed_monthly_committee_meeting(page: Any, live_server: Any, world: World) -> None:
    year = timezone.localdate().year - 1
    schedule(world, code="committee_meeting", title="一月支委会", start=at(year, 1, 12))
    schedule(world, code="committee_meeting", title="三月支委会", start=at(year, 3, 9))
    services.mark_all_present(activity=schedule(world, start=at(year, 3, 2), hours=3), by=None)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/study/org/{world.orgs['branch'].code}/routine/?year={year}")
    committee = page.locator(".routine-line[data-slot=committee_meeting]")
    states = committee.locator(".routine-cell").evaluate_all("cells => cells.map(c => c.dataset.state)")
    assert states[:3] == ["held", "missed", "held"]
    assert "2月 缺" in committee.inner_text()
    group = page.locator(".routine-line[data-slot=group_meeting] .routine-group[data-group=BRANCH-G1]")
    assert "缺 12 次" in group.inner_text()  # the branch's one group held no meeting of its own all year
    assert "3" in page.inner_text(f"#study-hours tr[data-person='{world.people['member'].pk}']")


def test_the_secretary_sets_two_group_meetings_a_month_on_a_phone_and_resets_it(
    page: Any, live_server: Any, world: World
) -> None:
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/study/org/{world.orgs['branch'].code}/routine/")
    page.click("#edit-cadence")
    page.fill("#id_group_meeting_count", "2")
    page.select_option("#id_committee_meeting_period", "quarter")
    page.click("#save-cadence")
    group = page.locator(".routine-line[data-slot=group_meeting]")
    assert "每月2次" in group.inner_text()
    assert "每季度" in page.inner_text(".routine-line[data-slot=committee_meeting] h2")
    page.click("#edit-cadence")
    page.click("#reset-cadence")
    assert "已恢复标准的三会一课要求" in page.inner_text("main")
    assert "2次" not in page.inner_text(".routine-line[data-slot=group_meeting] h2")
