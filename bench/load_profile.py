"""Where bench/load.py's CPU goes: each request type of its mix, one at a time, in this process.

    .venv/bin/python bench/load_profile.py [--setup] [--runs 20] [--only NAME] [--profile NAME] [--queries]

Against a kept PostgreSQL database (pingyi_load_profile, built by `--setup` with bench/load.py's county:
8 branches x 30 members) and the load bench's settings (DEBUG off, Redis cache and sessions), each request
type is sent as the mix's user sends it, through Django's test client, in three batches of `--runs`; the
cheapest batch counts (on a shared machine other processes only ever add). Per type: queries per request,
the CPU of this process (the web worker's share) and of its PostgreSQL backend, and the type's share of the
mix (its weights in bench/_load_users.py), so the list is ranked by what it costs the load: share x CPU.
`--profile NAME` prints cProfile's top functions (CPU time) for the types whose names contain NAME;
`--queries` with `--only` prints each query and the project's frames that asked for it. The baseline is
bench/load.py's bare view, measured the same way. Last line:
    load_profile: mix_cpu_ms=… baseline_cpu_ms=… queries_per_request=…
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from _common import PG_ADMIN_DSN, ROOT

DB_NAME = "pingyi_load_profile"
FIXTURES = Path(os.environ.get("PINGYI_LOAD_PROFILE_DIR", "/tmp")) / "pingyi_load_profile.json"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"

# Share of the site's requests, from bench/_load_users.py: users by class weight (Member 70, Public 15,
# Secretary 10, Supervisor 5), each class's tasks by task weight; every user keeps the same pace.
MEMBER_TASKS = {"home": 4, "campaign": 2, "writings": 2, "autosave": 4, "ballot": 1, "check_in": 2, "answer": 3}
SECRETARY_TASKS = {"campaign": 3, "branch": 2, "round": 2, "writings": 1}
MEMBER_PAGES = ("home", "campaign", "writings", "ballot", "check_in")  # full pages: each asks for the badge


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": os.environ.get("PINGYI_LOAD_PROFILE_REDIS", "redis://127.0.0.1:6379/9"),
        "DJANGO_SETTINGS_MODULE": "_load_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        "DEBUG": "0",
        "PINGYI_SECRET_KEY": "load-profile-" + "x" * 50,
        "PINGYI_CONN_MAX_AGE": "3600",
        "PINGYI_LOAD_FIXTURES": str(FIXTURES),
        "PINGYI_STATIC_ROOT": "/tmp/loadcpu_static",
    }


def setup() -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    cmd = [sys.executable, str(ROOT / "bench" / "load.py"), "--setup", str(FIXTURES)]
    subprocess.run(cmd, env=environment(), cwd=ROOT, check=True)


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request_types(fixtures: dict) -> list[tuple[str, float, Callable[[Any, int], Any]]]:
    """(name, share of the mix, send(client, i)) for each request type; clients come signed in."""
    import re

    from django.test import Client

    members, secretaries = fixtures["members"], fixtures["secretaries"]
    member_weight = sum(MEMBER_TASKS.values())
    secretary_weight = sum(SECRETARY_TASKS.values())

    def signed_in(session: str) -> Client:
        client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_FOR="10.0.0.1")
        client.cookies["sessionid"] = session
        return client

    def member(i: int) -> tuple[Client, dict]:
        me = members[i % len(members)]
        return signed_in(me["session"]), me

    def share(cls: int, task: int, of: int) -> float:
        return cls / 100 * task / of

    def get(url_of: Callable[[dict], str]) -> Callable[[int], Any]:
        def send(i: int) -> Any:
            client, me = member(i)
            return client.get(url_of(me))

        return send

    def autosave(i: int) -> Any:
        client, me = member(i)
        text = "学习心得：" + "认真学习党章，对照检查自己。" * 20
        data = {"title": "学习心得", "text": text, "seq": int(time.time() * 1000) + i, "client": "p"}
        return client.post(me["autosave_url"], data)

    def answer(i: int) -> Any:
        client, me = member(i)
        position, field, value = me["answers"][i % len(me["answers"])]
        return client.post(me["answer_url"], {"position": position, field: value}, HTTP_HX_REQUEST="true")

    def screen_code(i: int) -> Any:
        secretary = secretaries[i % len(secretaries)]
        return signed_in(secretary["session"]).get(secretary["screen_code_url"])

    code_of = re.compile(r'data-url="[^"]*\?code=([^"]+)"')
    pass_of = re.compile(r'name="pass" value="([^"]+)"')

    codes: dict[int, tuple[float, str]] = {}

    def code_for(branch: int) -> str:
        """The code the branch's screen shows: a new one every 10 s, as the screen fetches it (not counted here)."""
        import html

        shown, code = codes.get(branch, (0.0, ""))
        if time.monotonic() - shown > 10:
            page = screen_code(branch).content.decode()
            code = html.unescape(code_of.search(page).group(1))  # type: ignore[union-attr]
            codes[branch] = (time.monotonic(), code)
        return code

    def check_in(i: int) -> Any:
        """Two requests, as the phone makes them: the page the code opens, then 签到 with its pass."""
        import html

        client, me = member(i)
        page = client.get(f"{me['check_in_url']}?code={code_for(me['branch'])}").content.decode()
        token = html.unescape(pass_of.search(page).group(1))  # type: ignore[union-attr]
        return client.post(me["check_in_tap_url"], {"pass": token}, headers={"HX-Request": "true"})

    def secretary(key: str) -> Callable[[int], Any]:
        return lambda i: signed_in(secretaries[i % len(secretaries)]["session"]).get(secretaries[i % 8][key])

    def supervisor(url: Callable[[int], str]) -> Callable[[int], Any]:
        return lambda i: signed_in(fixtures["supervisor"]["session"]).get(url(i))

    public = Client(HTTP_HOST="localhost")
    m = 70
    # A browser asks for the notices badge after each full page a signed-in user opens, as the mix does.
    pages = [share(m, MEMBER_TASKS[task], member_weight) for task in MEMBER_PAGES]
    pages += [share(10, w, secretary_weight) for w in SECRETARY_TASKS.values()]
    return [
        ("baseline: bare view", 0.0, lambda i: public.get("/bench/bare/")),
        ("signed-in page: notices badge", sum(pages) + share(5, 3, 3), get(lambda me: "/notifications/badge/")),
        ("member: home", share(m, 4, member_weight), get(lambda me: "/")),
        ("member: campaign", share(m, 2, member_weight), get(lambda me: me["campaign_url"])),
        ("member: writings page", share(m, 2, member_weight), get(lambda me: me["writings_url"])),
        ("member: writing autosave", share(m, 4, member_weight), autosave),
        ("member: ballot page", share(m, 1, member_weight), get(lambda me: me["rate_url"])),
        ("member: check-in (scan, tap)", share(m, 2, member_weight), check_in),
        ("member: test answer save", share(m, 3, member_weight), answer),
        ("public: opinion form", 0.15, lambda i: public.get(fixtures["opinion_urls"][i % 8])),
        ("secretary: campaign dashboard", share(10, 3, secretary_weight), secretary("campaign_url")),
        ("secretary: branch page", share(10, 2, secretary_weight), secretary("node_url")),
        ("secretary: evaluation round", share(10, 2, secretary_weight), secretary("round_url")),
        ("secretary: writings to review", share(10, 1, secretary_weight), secretary("writings_url")),
        ("screen: check-in code", 0.8 / 30, screen_code),
        ("supervisor: home roll-up", share(5, 2, 3), supervisor(lambda i: "/")),
        ("supervisor: a branch's campaign", share(5, 1, 3), supervisor(lambda i: secretaries[i % 8]["campaign_url"])),
    ]


def origin(sql: str) -> str:
    """The query's first 100 characters and the project's frames that asked for it, innermost first."""
    import traceback

    frames = [f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}" for f in traceback.extract_stack()
              if str(ROOT / "pingyi") in f.filename]  # fmt: skip
    return f"{sql[:100]}\n      " + " < ".join(reversed(frames[-4:]))


def measure(runs: int, only: str, profile: str, show_queries: bool) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    fixtures = json.loads(FIXTURES.read_text())
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    rows = []
    for name, share, send in request_types(fixtures):
        if only and only not in name:
            continue
        status = send(0).status_code  # warm: imports, templates, the connection
        if status != 200:  # the kept sessions idle out (SESSION_IDLE_MINUTES): the sign-in page is not a page
            sys.exit(f"{name} answered {status}, not its page: build the county again with --setup")
        queries: list[str] = []

        def record(execute: Callable, sql: str, *rest: Any, found: list[str] = queries) -> Any:
            found.append(origin(sql))
            return execute(sql, *rest)

        with connection.execute_wrapper(record):
            send(1)
        profiler = cProfile.Profile(time.process_time) if profile and profile in name else None
        # Three batches, the cheapest counted: on a shared machine, other processes only ever add to a figure.
        batches = []
        for batch in range(3):
            db_before, cpu_before = backend_cpu(pid), time.process_time()
            if profiler and batch == 0:
                profiler.enable()
            for i in range(runs):
                send(batch * runs + i + 2)
            if profiler and batch == 0:
                profiler.disable()
            web = (time.process_time() - cpu_before) * 1000 / runs
            batches.append((web + (backend_cpu(pid) - db_before) * 1000 / runs, web))
        total_ms, cpu_ms = min(batches)
        db_ms = total_ms - cpu_ms
        rows.append((name, share, status, len(queries), cpu_ms, db_ms))
        if profiler:
            print(f"--- {name}")
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        if show_queries and only:
            print(f"--- {name}: {len(queries)} queries", *queries, sep="\n  ")
    print(f"{'request type':<34} {'share':>6} {'status':>6} {'queries':>7} {'web_ms':>7} {'db_ms':>6} {'share*cpu':>9}")
    for name, share, status, count, cpu_ms, db_ms in sorted(rows, key=lambda r: -r[1] * (r[4] + r[5])):
        cost = share * (cpu_ms + db_ms)
        print(f"{name:<34} {share:>6.3f} {status:>6} {count:>7} {cpu_ms:>7.1f} {db_ms:>6.1f} {cost:>9.2f}")
    mix = [r for r in rows if r[1]]
    requests = sum(r[1] * (2 if "(scan, tap)" in r[0] else 1) for r in mix) or 1  # a check-in is two requests
    mix_cpu = sum(r[1] * (r[4] + r[5]) for r in mix) / requests
    mix_queries = sum(r[1] * r[3] for r in mix) / requests
    base = next((r[4] + r[5] for r in rows if r[0].startswith("baseline")), 0.0)
    print(f"load_profile: mix_cpu_ms={mix_cpu:.1f} baseline_cpu_ms={base:.1f} queries_per_request={mix_queries:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help="(re)build the database and fixtures first")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="only the request types whose names contain this")
    parser.add_argument("--profile", default="", help="cProfile the request types whose names contain this")
    parser.add_argument("--queries", action="store_true", help="with --only: print each request type's SQL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.runs, args.only, args.profile, args.queries)
        return
    if args.setup or not FIXTURES.exists():
        setup()
    cmd = [sys.executable, __file__, "--child", "--runs", str(args.runs), "--only", args.only]
    cmd += ["--profile", args.profile, *(["--queries"] if args.queries else [])]
    sys.exit(subprocess.run(cmd, env=environment(), cwd=ROOT).returncode)  # the child printed why it stopped


if __name__ == "__main__":
    main()
