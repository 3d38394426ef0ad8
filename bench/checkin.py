"""Self check-in in a burst: MEMBERS distinct members check in to one activity at once, against gunicorn on
loopback and PostgreSQL, beside the same burst against a bare Django view that inserts one row (the ceiling).

    .venv/bin/python bench/checkin.py [--members 500] [--workers 4] [--clients 32]

Starts a scratch PostgreSQL database and Redis (bench/_common.py) and gunicorn serving the project with DEBUG
off (bench/_checkin_settings.py), configured as docs/deploy.md deploys it (REDIS_URL, PINGYI_CONN_MAX_AGE=60).
Builds a branch of MEMBERS members, each with a login and a signed-in session made beforehand through the
session engine, as signing in makes it (sign-in and its password hashing are not what is measured), an activity
under way and the branch's self check-in turned on. Then, CLIENTS connections at a time, each member once:

  ceiling   POST to a bare view inserting the member's attendance row into a second activity;
  scan      GET the page the room's code opens (the code made with the server's key, as the screen shows
            it), which hands this login its pass, as a phone does just before the tap (not the target);
  checkin   POST /study/checkin/tap/ with the member's pass from that page and the session cookie, as the
            page's htmx button posts it: the pass check (bound to the login and its session, ADR 0014), one
            read of the activity, the login and the member, the branch check and the insert of the member's
            row (not audited: ADR 0014). The session and the login are not loaded: the pass stands for them.

Prints count, errors, p50 and p95 of each, the gunicorn workers' CPU per request, and the rows stored: lost
(a 200 without a row) and duplicate (more than one row for a member). Target: none lost or duplicate, checkin
p95 within 1.5× of the ceiling. The last line: `checkin: p95_ms=… ceiling_p95_ms=… lost=… duplicate=…`.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
from _common import ROOT, free_port, scratch_databases, scratch_redis, wait_for_port
from opinions import server_cpu_seconds

DB_NAME = "pingyi_bench_checkin"
CSRF = "b" * 32  # the CSRF secret a phone holds in its cookie from the pages it opened (a 32-character secret)
PASS = re.compile(r'name="pass" value="([^"]+)"')


def setup_child(members: int, rounds: int, out: str) -> None:
    """Inside the bench's environment: migrate, make the branch, members, sessions and the two activities."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pingyi.core.middleware import SEEN_KEY
    from pingyi.org import services as org
    from pingyi.org.models import MemberCategory, OrgType, Person, PersonKind
    from pingyi.org.signin import CLEARED
    from pingyi.study import services
    from pingyi.study.models import ActivityKind

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    User = get_user_model()
    branch = org.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    users = User.objects.bulk_create(User(username=f"m{i}", first_name=f"党员{i:03d}") for i in range(members))
    Person.objects.bulk_create(
        Person(org=branch, kind=PersonKind.MEMBER, category=MemberCategory.FORMAL, name=u.first_name, user=u)
        for u in users
    )
    services.save_settings(org=branch, self_checkin=True, photos=False, hours_required=32, by="bench")
    kind = ActivityKind.objects.get(code="study")
    start = timezone.now() - timedelta(minutes=5)
    activities = [
        services.schedule_activity(
            org=branch,
            plan=services.Plan(kind=kind, title=title, starts_at=start, ends_at=start + timedelta(hours=3)),
            by="bench",
        )
        for n in range(rounds)
        for title in (f"学习党章（第{n + 1}轮）", f"基线（第{n + 1}轮）")
    ]
    fixtures = {
        "activities": [a.pk for a in activities[::2]],
        "ceiling_activities": [a.pk for a in activities[1::2]],
        "members": [],
    }
    for person in Person.objects.select_related("user").order_by("pk"):
        session = SessionStore()
        session["_auth_user_id"] = str(person.user.pk)
        session["_auth_user_backend"] = "pingyi.org.signin.AccountBackend"
        session["_auth_user_hash"] = person.user.get_session_auth_hash()
        session[CLEARED] = person.user.pk  # signed in earlier: the gate was cleared then
        session[SEEN_KEY] = int(time.time())
        session.create()
        fixtures["members"].append({"session": session.session_key, "user": person.user.pk, "person": person.pk})
    Path(out).write_text(json.dumps(fixtures))


def cookie_of(member: dict) -> dict:
    return {"Cookie": f"sessionid={member['session']}; csrftoken={CSRF}"}


def code_on_screen(activity: int, secret_key: str) -> str:
    """The code the room's screen shows now, made with the server's key as the screen's page makes it."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=secret_key, USE_I18N=False)
    sys.path.insert(0, str(ROOT))
    from pingyi.study.checkin import code_for

    return code_for(activity)


class Burst:
    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.accepted: set[int] = set()

    def post(self, person: int, path: str, form: dict | None, headers: dict, ok: str) -> str:
        """POST the form (GET without one); the page's text, counted as accepted when it holds `ok`."""
        body = urlencode(form).encode() if form is not None else None
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request("GET" if form is None else "POST", path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            conn.close()
        except Exception as exc:  # a timeout or a dropped connection: counted as an error
            with self.lock:
                self.errors.append(exc.__class__.__name__)
            return ""
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            if response.status == 200 and ok in text:
                self.accepted.add(person)
            else:
                self.errors.append(f"{response.status}")
        return text

    def run(self, tasks: list, clients: int) -> float:
        begin = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            for task in tasks:
                pool.submit(task)
        return time.perf_counter() - begin


def warm_up(port: int, requests: int) -> None:
    """Each worker imports the project and connects on its first requests: not what is measured."""
    for _ in range(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        conn.close()


def rows(db_url: str, activity: int) -> tuple[set[int], int]:
    """(the members with a row, the rows beyond one per member)."""
    with psycopg.connect(db_url.replace("postgres://", "postgresql://")) as conn:
        found = [
            r[0] for r in conn.execute("SELECT person_id FROM study_attendance WHERE activity_id = %s", [activity])
        ]
    return set(found), len(found) - len(set(found))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 2 else (values[0] if values else 0.0)


def report(label: str, burst: Burst, seconds: float, stored: tuple[set[int], int], expected: int, cpu: float) -> dict:
    people, duplicate = stored
    lost = len(burst.accepted - people)  # answered "done" but no row
    lat = burst.latencies
    result = {
        "p50": statistics.median(lat) if lat else 0.0,
        "p95": p95(lat),
        "errors": len(burst.errors),
        "lost": lost,
        "duplicate": duplicate,
    }
    print(
        f"    {label:<8} {expected} posts in {seconds:5.2f} s ({expected / seconds:5.0f}/s)  "
        f"p50_ms={result['p50']:.0f} p95_ms={result['p95']:.0f} errors={result['errors']} "
        f"rows={len(people)} lost={lost} duplicate={duplicate} server_cpu_ms_per_post={cpu * 1000 / expected:.2f}"
        + (f"  ({', '.join(sorted(set(burst.errors))[:5])})" if burst.errors else ""),
        flush=True,
    )
    return result


@dataclass
class Server:
    port: int
    pid: int
    db_url: str
    secret_key: str
    log: Path


def one_round(server: Server, members: list[dict], activity: int, ceiling_activity: int, clients: int) -> tuple:
    """The ceiling's burst, then the members' scans and their check-in burst, into this round's activities."""
    cpu = server_cpu_seconds(server.pid)
    ceiling = Burst(server.port)
    path = f"/bench/insert/{ceiling_activity}/"
    seconds = ceiling.run(
        [(lambda m=m: ceiling.post(m["person"], path, {"person": m["person"]}, {}, "ok")) for m in members], clients
    )
    stored = rows(server.db_url, ceiling_activity)
    base = report("ceiling", ceiling, seconds, stored, len(members), server_cpu_seconds(server.pid) - cpu)
    code = quote(code_on_screen(activity, server.secret_key))
    scan, passes = Burst(server.port), {}

    def open_code(m: dict) -> None:
        """What the phone does first: the scanned code opens the page that hands this login its pass."""
        page = scan.post(m["person"], f"/study/checkin/?code={code}", None, cookie_of(m), 'name="pass"')
        found = PASS.search(page)
        if found:
            passes[m["person"]] = html.unescape(found.group(1))

    cpu = server_cpu_seconds(server.pid)
    seconds = scan.run([(lambda m=m: open_code(m)) for m in members], clients)
    cpu = server_cpu_seconds(server.pid) - cpu
    print(
        f"    scan     {len(members)} pages in {seconds:5.2f} s  p50_ms={statistics.median(scan.latencies):.0f} "
        f"p95_ms={p95(scan.latencies):.0f} errors={len(scan.errors)} "
        f"server_cpu_ms_per_page={cpu * 1000 / len(members):.2f}  (not the target: the pass for the tap)",
        flush=True,
    )
    burst = Burst(server.port)

    def check_in(m: dict) -> None:
        form = {"pass": passes.get(m["person"], "")}
        headers = {**cookie_of(m), "HX-Request": "true"}  # the page's button posts through htmx
        burst.post(m["person"], "/study/checkin/tap/", form, headers, "已签到")

    cpu = server_cpu_seconds(server.pid)
    seconds = burst.run([(lambda m=m: check_in(m)) for m in members], clients)
    cpu = server_cpu_seconds(server.pid) - cpu
    result = report("checkin", burst, seconds, rows(server.db_url, activity), len(members), cpu)
    if burst.errors:
        print("  server log (last lines):\n" + "\n".join(server.log.read_text().splitlines()[-10:]))
    return base, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_child(args.members, args.rounds, args.setup)
        return
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with scratch_databases("postgres", DB_NAME) as urls, scratch_redis() as redis, tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        fixtures_path = Path(tmp) / "fixtures.json"
        env = {
            **os.environ,
            "DATABASE_URL": urls["postgres"],
            "DJANGO_SETTINGS_MODULE": "_checkin_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "PINGYI_SECRET_KEY": secrets.token_urlsafe(50),
            "REDIS_URL": redis,
            "PINGYI_CONN_MAX_AGE": "60",  # as deploy/pingyi.env.example
            "PINGYI_STATIC_ROOT": tmp,
        }
        setup = [sys.executable, __file__, "--setup", str(fixtures_path), "--members", str(args.members)]
        setup += ["--rounds", str(args.rounds)]
        subprocess.run(setup, env=env, cwd=ROOT, check=True)
        fixtures = json.loads(fixtures_path.read_text())
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115  closed in the finally below
        web = subprocess.Popen(
            [str(gunicorn), "pingyi.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "60", "--no-control-socket"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_port(port)
            members = fixtures["members"]
            warm_up(port, args.workers * 8)
            print(
                f"gunicorn -w {args.workers}, PostgreSQL {DB_NAME}, Redis; {len(members)} members, {args.clients} "
                f"clients at once; {os.cpu_count()} CPUs",
                flush=True,
            )
            results = []
            for n, (activity, ceiling_activity) in enumerate(
                zip(fixtures["activities"], fixtures["ceiling_activities"], strict=True)
            ):
                print(f"  round {n + 1}", flush=True)
                server = Server(port, web.pid, urls["postgres"], env["PINGYI_SECRET_KEY"], Path(tmp) / "gunicorn.log")
                results.append(one_round(server, members, activity, ceiling_activity, args.clients))
        finally:
            web.terminate()
            web.wait(timeout=30)
            log.close()
    base_p95 = statistics.median(base["p95"] for base, _ in results)
    check_p95 = statistics.median(result["p95"] for _, result in results)
    lost = sum(result["lost"] for _, result in results)
    duplicate = sum(result["duplicate"] for _, result in results)
    print(
        f"  median of {len(results)} rounds' p95: checkin {check_p95:.0f} ms, ceiling {base_p95:.0f} ms; "
        f"checkin p95 / ceiling p95 = {check_p95 / max(base_p95, 0.001):.2f}×"
    )
    print(f"checkin: p95_ms={check_p95:.0f} ceiling_p95_ms={base_p95:.0f} lost={lost} duplicate={duplicate}")


if __name__ == "__main__":
    main()
