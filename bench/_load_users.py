"""The locust users of bench/load.py: who does what, how often. Imported only by the locust child process.

Each task is one thing a person does on the site; weights are how often. Members are most of the
load (their own pages on a phone, the draft autosaving, the ballot once, checking in to the study
session by the code on the room's screen, saving answers of the 100-question test), the public sends
opinions through the QR-code form (a few each, under the per-address limit), secretaries and the
supervision group look at the dashboards. One `Screen` stands for the screens in the branches' rooms:
each polls its check-in code every REFRESH seconds, as the screen page does, and the members read the
code off it (a code is signed and good for 30 s: nobody can make one without the server's key).
Check-ins and answer saves join the member's mix when the fixtures carry their URLs (`LATER`).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, constant_pacing, task

with open(os.environ["PINGYI_LOAD_FIXTURES"]) as fixtures:
    FIXTURES: dict[str, Any] = json.load(fixtures)
WAIT = between(float(os.environ.get("PINGYI_LOAD_WAIT_MIN", "3")), float(os.environ.get("PINGYI_LOAD_WAIT_MAX", "10")))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBJECT = re.compile(r'name="g-(\d+)"')
_members = itertools.cycle(FIXTURES["members"])
_addresses = (f"10.{i // 62500 % 250}.{i // 250 % 250}.{i % 250 + 1}" for i in itertools.count())

CODE = re.compile(r'data-url="[^"]*\?code=([^"]+)"')
PASS = re.compile(r'name="pass" value="([^"]+)"')
BADGE = "/notifications/badge/"  # the nav's hx-get on every signed-in page
REFRESH = 10  # seconds between codes on a room's screen (pingyi.study.checkin.REFRESH)
CODES: dict[int, str] = {}  # branch index -> the code its screen shows now (the Screen user keeps it fresh)

# Tasks added when the fixtures carry their URL: (task, URL in the fixtures, weight); filled in below Member.
LATER: list[tuple[Any, str, int]] = []


class Visitor(HttpUser):
    abstract = True
    wait_time = WAIT

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = next(_addresses)

    def login_as(self, session_key: str) -> None:
        self.client.cookies.set("sessionid", session_key)

    def page(self, url: str, name: str, expect: str = "") -> str:
        # No redirects followed: a session the site does not accept lands on the sign-in page, and must count as
        # a failure, not as a fast page.
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200 or (expect and expect not in response.text):
                response.failure(f"{response.status_code}")
            text = response.text
        if BADGE in text:  # a signed-in page's nav asks for the unread notices as it loads (htmx)
            headers = {"HX-Request": "true", "HX-Current-URL": url}
            name = "signed-in page: notices badge"
            with self.client.get(BADGE, name=name, headers=headers, catch_response=True) as badge:
                if badge.status_code != 200:
                    badge.failure(f"{badge.status_code}")
        return text

    def post(
        self, url: str, name: str, data: dict, ok: tuple[int, ...] = (200, 302), expect: str = "", htmx: bool = False
    ) -> None:
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": url}
        if htmx:
            headers["HX-Request"] = "true"
        options = {"headers": headers, "name": name, "catch_response": True, "allow_redirects": False}
        with self.client.post(url, data=data, **options) as r:
            if r.status_code not in ok or (expect and expect not in r.text):
                r.failure(f"{r.status_code} {r.text[:80]}")


class Member(Visitor):
    weight = 70

    def on_start(self) -> None:
        super().on_start()
        self.me = next(_members)
        self.login_as(self.me["session"])
        self.page(self.me["writings_url"], "member: writings page")  # the page the editor is on (and its CSRF cookie)
        self.seq = 0
        self.client_id = uuid.uuid4().hex[:16]
        self.voted = False
        self.answered = 0

    @task(4)
    def home(self) -> None:
        self.page("/", "member: home (我的任务)")

    @task(2)
    def campaign(self) -> None:
        self.page(self.me["campaign_url"], "member: campaign")

    @task(2)
    def writings(self) -> None:
        self.page(self.me["writings_url"], "member: writings page")

    @task(4)
    def autosave(self) -> None:
        self.seq += 1
        text = "学习心得：" + "认真学习党章，对照检查自己。" * random.randint(5, 40)
        data = {"title": "学习心得", "text": text, "seq": self.seq, "client": self.client_id}
        self.post(self.me["autosave_url"], "member: writing autosave", data, ok=(200,))

    @task(1)
    def ballot(self) -> None:
        page = self.page(self.me["rate_url"], "member: ballot page")
        if self.voted or "g-" not in page:
            return
        grades = {f"g-{s}": 1 for s in set(SUBJECT.findall(page))}
        self.post(self.me["rate_url"], "member: cast ballot", grades, ok=(302,))
        self.voted = True


class Public(Visitor):
    weight = 15

    def on_start(self) -> None:
        super().on_start()
        self.url = random.choice(FIXTURES["opinion_urls"])
        self.sent = 0

    @task
    def opinion(self) -> None:
        form = self.page(self.url, "public: opinion form")
        token = TOKEN.search(form)
        if self.sent >= 3 or not token:  # a person sends a few, well under the per-address limit
            return
        self.sent += 1
        text = "希望窗口中午也能办事。"
        data = {"csrfmiddlewaretoken": token.group(1), "text": text, "submission_key": uuid.uuid4().hex, "website": ""}
        self.post(self.url, "public: send opinion", data, ok=(200,), expect="您的意见已收到")


class Secretary(Visitor):
    weight = 10

    def on_start(self) -> None:
        super().on_start()
        self.me = random.choice(FIXTURES["secretaries"])
        self.login_as(self.me["session"])
        self.page("/", "secretary: home")

    @task(3)
    def campaign(self) -> None:
        self.page(self.me["campaign_url"], "secretary: campaign dashboard")

    @task(2)
    def branch(self) -> None:
        self.page(self.me["node_url"], "secretary: branch page")

    @task(2)
    def round(self) -> None:
        self.page(self.me["round_url"], "secretary: evaluation round")

    @task(1)
    def writings(self) -> None:
        self.page(self.me["writings_url"], "secretary: writings to review")


class Supervisor(Visitor):
    weight = 5

    def on_start(self) -> None:
        super().on_start()
        self.login_as(FIXTURES["supervisor"]["session"])

    @task(2)
    def home(self) -> None:
        self.page("/", "supervisor: home roll-up")

    @task(1)
    def campaign(self) -> None:
        self.page(random.choice(FIXTURES["secretaries"])["campaign_url"], "supervisor: a branch's campaign")


def check_in(user: Member) -> None:
    """The phone scans the code on the room's screen (the check-in page, which gives this login a pass), then
    the member taps 签到 (the pass posted). A second check-in says "already checked in": still a success."""
    code = CODES.get(user.me["branch"])
    if code is None:  # the screen has not shown a code yet
        return
    page = user.page(f"{user.me['check_in_url']}?code={code}", "member: check-in (scan the code)", expect='name="pass"')
    found = PASS.search(page)
    if found:
        data = {"pass": html.unescape(found.group(1))}
        tap = user.me["check_in_tap_url"]  # the page's button posts through htmx
        user.post(tap, "member: check-in (tap)", data, ok=(200,), expect='id="checkin-done"', htmx=True)


def save_answer(user: Member) -> None:
    """The answer sheet saves each answer as it is given (htmx, on change): the next question of the member's own
    draw, round again after the last (a changed mind)."""
    position, field, value = user.me["answers"][user.answered % len(user.me["answers"])]
    user.answered += 1
    user.post(user.me["answer_url"], "member: test answer save", {"position": position, field: value},
              ok=(200,), expect="已保存", htmx=True)  # fmt: skip


LATER += [(check_in, "check_in_url", 2), (save_answer, "answer_url", 3)]


def member_tasks() -> None:
    """Add the tasks in LATER whose URLs the set-up wrote (their apps exist on this branch)."""
    for later, key, weight in LATER:
        if FIXTURES["members"][0].get(key):
            Member.tasks.extend([later] * weight)


member_tasks()


class Screen(Visitor):
    """The screens in the branches' rooms, one after another: each shows a new code every REFRESH seconds."""

    fixed_count = 1
    wait_time = constant_pacing(REFRESH / max(len(FIXTURES["secretaries"]), 1))

    def on_start(self) -> None:
        super().on_start()
        self.next = itertools.cycle(range(len(FIXTURES["secretaries"])))

    @task
    def show_code(self) -> None:
        branch = next(self.next)
        secretary = FIXTURES["secretaries"][branch]
        if not secretary.get("screen_code_url"):
            return
        # One browser per room: the cookie a server sets for one secretary must not ride along to the next screen.
        self.client.cookies.clear()
        self.login_as(secretary["session"])
        found = CODE.search(self.page(secretary["screen_code_url"], "screen: check-in code (every 10 s)"))
        if found:
            CODES[branch] = html.unescape(found.group(1))


class Bare(Visitor):
    """The baseline: the same visitors and pace, every request to a bare view (one row read, no template)."""

    weight = 1

    @task
    def bare(self) -> None:
        self.page("/bench/bare/", "baseline: bare view")
