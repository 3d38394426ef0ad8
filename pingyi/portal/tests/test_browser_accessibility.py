"""The member's main pages, as an older member uses them on a phone: axe-core finds no serious or critical
violation, text enlarged to twice its size still fits the screen, and the main controls are big enough for
a thumb (issue 12, item 5). The pages are the demo branch's, seen by the demo member."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from conftest import login_in_browser
from pingyi.evaluation.models import EvaluationRound
from pingyi.feedback.models import Feedback
from pingyi.rectification.models import RectificationItem
from pingyi.writings.models import REFLECTION_RULE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
TOUCH = 44  # CSS pixels: the smallest target an older thumb hits reliably (WCAG 2.5.5)


@pytest.fixture
def demo(fast_passwords: None, settings: Any) -> None:
    settings.WRITING_LENGTHS = {}
    call_command("seed_demo", verbosity=0)


def _member_pages(page: Any, base: str) -> dict[str, str]:
    """The URL of each main page of the demo member, found the way the member finds them."""
    from pingyi.campaigns.models import WorkItem

    round_ = EvaluationRound.objects.get(is_demo=True)
    feedback = Feedback.objects.get(person__user__username="member", sent_at__isnull=False)
    item = RectificationItem.objects.filter(owner__user__username="member").first()
    assert item is not None
    reflection = WorkItem.objects.get(stage__campaign=round_.campaign, rule=REFLECTION_RULE)
    page.goto(f"{base}/writings/campaigns/{round_.campaign_id}/")
    page.click(f"#start-{reflection.pk}")
    page.wait_for_url("**/edit/")
    return {
        "home": f"{base}/",
        "writing editor": page.url,
        "ballot": f"{base}/evaluation/rounds/{round_.pk}/rate/",
        "feedback": f"{base}/feedback/{feedback.pk}/",
        "rectification item": f"{base}/rectification/items/{item.pk}/",
    }


def _serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_member_pages_pass_axe_fit_when_enlarged_and_have_thumb_sized_controls(
    page: Any, live_server: Any, demo: None
) -> None:
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", settings.DEMO_PASSWORD)
    axe = Axe()
    problems: dict[str, Any] = {}
    for name, url in _member_pages(page, live_server.url).items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = _serious(axe.run(page))
        # Twice the text size (the phone's large-text setting): nothing may push the page sideways.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > PHONE["width"]:
            found.append(f"at 200% text the page is {wide}px wide")
        page.evaluate("document.documentElement.style.fontSize = ''")
        small = page.evaluate(
            """(least) => Array.from(document.querySelectorAll(
                   'main .btn, main input[type=submit], main select, main input.form-control, main textarea'))
                 .filter((el) => el.offsetParent !== null)
                 .map((el) => [el.id || el.name || el.textContent.trim().slice(0, 12),
                               el.getBoundingClientRect().height])
                 .filter(([, h]) => h < least)""",
            TOUCH,
        )
        if small:
            found.append(f"controls lower than {TOUCH}px: {small[:5]}")
        if found:
            problems[name] = found
    assert not problems, problems


def test_the_checker_can_fail(page: Any, live_server: Any) -> None:
    """A control case: axe does report a serious violation when there is one."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<button></button>')")
    assert any(v.startswith("button-name (critical)") for v in _serious(Axe().run(page)))
