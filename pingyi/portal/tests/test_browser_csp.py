"""The pages satisfy their Content Security Policy: Chromium reports no violation on any of them.

The demo branch gives every app something to show; the test opens the main pages and every page one link
away from them, as the secretary, a member and the public, and fails on any violation Chromium reports.
"""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = (".xlsx", ".docx", ".pdf", ".zip", "/logout/", "/admin/")
MAX_PAGES = 60


def _watch(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def _crawl(page: Any, base: str, start: list[str]) -> list[str]:
    seen: list[str] = []
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or any(s in path for s in SKIP):
            continue
        seen.append(path)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if path in start:
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
                parts = urlsplit(href)
                if not parts.netloc and parts.path.startswith("/") and parts.path not in seen:
                    queue.append(parts.path)
    return seen


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "bypass_csp": False}  # the root conftest bypasses it for other tests


@pytest.fixture
def demo(fast_passwords: None) -> None:
    call_command("seed_demo", verbosity=0)


def test_signed_in_pages_report_no_policy_violation(page: Any, live_server: Any, demo: None) -> None:
    violations = _watch(page)
    login_in_browser(page, live_server, "secretary", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/campaigns/")
    campaign = page.eval_on_selector_all(
        "a[href^='/campaigns/']",
        "links => links.map(a => a.getAttribute('href')).find(h => /^\\/campaigns\\/\\d+\\/$/.test(h))",
    )
    seen = _crawl(page, live_server.url, ["/", "/org/unit/DEMO-BRANCH/", campaign])
    assert len(seen) > 20, seen
    assert not violations, violations


def test_member_and_public_pages_report_no_policy_violation(page: Any, live_server: Any, demo: None) -> None:
    from pingyi.opinions.models import OpinionRound

    violations = _watch(page)
    round_ = OpinionRound.objects.exclude(public_key="").first()
    public = [f"/opinions/p/{round_.public_key}/"] if round_ else []
    _crawl(page, live_server.url, ["/accounts/login/", *public])
    login_in_browser(page, live_server, "member", settings.DEMO_PASSWORD)
    _crawl(page, live_server.url, ["/"])
    assert not violations, violations


def test_an_inline_script_would_be_reported(page: Any, live_server: Any, demo: None) -> None:
    """The watcher itself: a page carrying inline script is caught."""
    violations = _watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(200)
    assert violations
