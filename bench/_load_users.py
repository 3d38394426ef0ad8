"""The locust users of bench/load.py: who does what, how often. Imported only by the locust child process.

Each task is one thing a person does on the site; weights are how often. Members are most of the
load (their own pages on a phone, the draft autosaving, the ballot once), the public sends opinions
through the QR-code form (a few each, under the per-address limit), secretaries and the supervision
group look at the dashboards. Check-ins (study) and answer saves (exams) join the member's mix by
name when those apps exist: `LATER` lists them, and `member_tasks()` adds any whose URL resolves.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["PINGYI_LOAD_FIXTURES"]) as fixtures:
    FIXTURES: dict[str, Any] = json.load(fixtures)
WAIT = between(float(os.environ.get("PINGYI_LOAD_WAIT_MIN", "3")), float(os.environ.get("PINGYI_LOAD_WAIT_MAX", "10")))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBJECT = re.compile(r'name="g-(\d+)"')
_members = itertools.cycle(FIXTURES["members"])
_addresses = (f"10.{i // 62500 % 250}.{i // 250 % 250}.{i % 250 + 1}" for i in itertools.count())

# Tasks to add by name when their apps exist: (name, URL in the fixtures, weight).
LATER = [("study.check_in", "check_in_url", 2), ("exams.save_answer", "answer_url", 3)]


class Visitor(HttpUser):
    abstract = True
    wait_time = WAIT

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = next(_addresses)

    def login_as(self, session_key: str) -> None:
        self.client.cookies.set("sessionid", session_key)

    def page(self, url: str, name: str, expect: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or (expect and expect not in response.text):
                response.failure(f"{response.status_code}")
            return response.text

    def post(self, url: str, name: str, data: dict, ok: tuple[int, ...] = (200, 302), expect: str = "") -> None:
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": url}
        options = {"headers": headers, "name": name, "catch_response": True, "allow_redirects": False}
        with self.client.post(url, data=data, **options) as r:
            if r.status_code not in ok or (expect and expect not in r.text):
                r.failure(f"{r.status_code}")


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


def member_tasks() -> None:
    """Add the tasks in LATER whose URLs the set-up found (their apps exist on this branch)."""
    for name, key, weight in LATER:
        if FIXTURES["members"][0].get(key):

            def later(user: Member, key: str = key, name: str = name) -> None:
                user.post(user.me[key], f"member: {name}", {})

            Member.tasks.extend([later] * weight)


member_tasks()


class Bare(Visitor):
    """The baseline: the same visitors and pace, every request to a bare view (one row read, no template)."""

    weight = 1

    @task
    def bare(self) -> None:
        self.page("/bench/bare/", "baseline: bare view")
