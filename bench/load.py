"""The whole site under a realistic load: locust, headless, against gunicorn on loopback and PostgreSQL.

    .venv/bin/python bench/load.py [--users 200] [--seconds 120] [--workers 4] [--branches 8] [--members 30]

Starts on loopback and random free ports a scratch PostgreSQL database (bench/_common.py), a Redis
for the cache every web worker shares, and gunicorn serving the project with DEBUG off
(bench/_load_settings.py). Builds a county's worth of data: a district with `--branches` branches of
`--members` members each, every member with a login, a campaign, an open evaluation round, an opinion
round and a draft reflection; per branch a study session on now with self check-in turned on (the room's
screen shows the rotating code) and an open sitting of the 100-question test (the district's paper, drawn
from the demo bank) with every member's sheet started; a secretary per branch and a supervision-group
member at the district. Sessions are made beforehand (the configured engine) as a real sign-in leaves them, so
sign-in (its password hashing) is not part of it.

Then, each phase for `--seconds` with `--users` concurrent users arriving over the first tenth:

  baseline  the same users and pace, every request to a bare view (one row read, no template):
            what loopback, gunicorn and the client cost on this machine, the ceiling of the rest;
  site      the mix in bench/_load_users.py: members (home, campaign, writings, autosave, ballot
            once, check-in by the code on the screen, test answers saved), the public (the opinion
            form, a few each), secretaries and the supervisor (dashboards), and the rooms' screens
            (a new check-in code every 10 s each). Think time between a user's actions: 3-10 s unless
            --wait says otherwise.

Prints per request type count, failures, p50 and p95; per request, the CPU of the gunicorn workers
and of the PostgreSQL backends, and the time the workers spent ready to run but waiting for a CPU
(/proc schedstat: on a shared machine, what other processes cost the latency); the load average before
and after, and the client's own CPU (locust runs on the same two cores). The last line:
    load: users=… rps=… p95_ms=… errors=…
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

import psycopg
from _common import ROOT, free_port, scratch_databases, wait_for_port
from opinions import server_cpu_seconds

DB_NAME = "pingyi_bench_load"


def setup_child(branches: int, members: int, out: str) -> None:
    """Inside the bench's environment: migrate, build the county, write the fixtures for the users."""
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pingyi.campaigns import services as campaigns
    from pingyi.campaigns.models import CampaignTemplate
    from pingyi.core.middleware import SEEN_KEY
    from pingyi.evaluation import services as evaluation
    from pingyi.exams import services as exams
    from pingyi.exams.demo import BANK_FILE
    from pingyi.exams.models import Kind
    from pingyi.opinions import services as opinions
    from pingyi.org import services as org
    from pingyi.org.models import MemberCategory, OrgType, Role
    from pingyi.org.signin import CLEARED
    from pingyi.study import services as study
    from pingyi.study.models import ActivityKind
    from pingyi.writings import services as writings
    from pingyi.writings.models import REFLECTION_RULE

    User = get_user_model()
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # where a real sign-in leaves it

    def session_for(user: object) -> str:
        """The session a real sign-in leaves: seen now, the sign-in gate cleared (no one-time password)."""
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)  # type: ignore[attr-defined]
        session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]
        session["_auth_user_hash"] = user.get_session_auth_hash()  # type: ignore[attr-defined]
        session[SEEN_KEY] = int(time.time())
        session[CLEARED] = user.pk  # type: ignore[attr-defined]
        session.create()
        return str(session.session_key)

    now = timezone.now()
    rng = random.Random(2005)

    node = org.create_org_unit
    province = node(parent=None, type=OrgType.PROVINCE, code="P", name="某省", by=None)
    city = node(parent=province, type=OrgType.CITY, code="P-C", name="某市", by=None)
    district = node(parent=city, type=OrgType.DISTRICT, code="P-C-D", name="某区委", by=None)
    supervisor = User.objects.create_user("supervisor")
    org.grant_role(user=supervisor, org=district, role=Role.SUPERVISOR, by=None)
    template = CampaignTemplate.objects.get(code="advanced-nature-education")
    # The 100-question test: the district's bank and paper serve every branch (the demo bank, 100 objective questions).
    bank = exams.create_bank(org=district, name="党章和党内规矩", by=None)
    exams.import_questions(bank=bank, data=BANK_FILE.read_bytes(), filename=BANK_FILE.name, by=None)
    rules = [(Kind.TRUE_FALSE, 25), (Kind.SINGLE, 41), (Kind.MULTIPLE, 16), (Kind.FILL, 18)]
    paper = exams.create_paper(
        org=district, bank=bank, code="hundred-questions", title="百题测试", by=None,
        rules=[exams.RuleInput(kind=kind, count=n) for kind, n in rules],
    )  # fmt: skip
    study_kind = ActivityKind.objects.get(code="study")
    fixtures: dict = {"members": [], "secretaries": [], "opinion_urls": [], "supervisor": {}}
    for b in range(branches):
        bureau = node(parent=district, type=OrgType.PARTY_GROUP, code=f"B{b}", name=f"第{b + 1}局党组", by=None)
        branch = node(parent=bureau, type=OrgType.BRANCH, code=f"B{b}-Z", name=f"第{b + 1}局机关党支部", by=None)
        secretary = User.objects.create_user(f"secretary{b}")
        org.grant_role(user=secretary, org=branch, role=Role.SECRETARY, by=None)
        people = []
        for m in range(members):
            person = org.save_person(
                org=branch, by=None, name=f"党员{b}-{m}", category=MemberCategory.FORMAL, phone=f"1380000{b:02d}{m:02d}"
            )
            person.user = User.objects.create_user(f"m{b}-{m}", first_name=person.name)
            person.save(update_fields=["user"])
            people.append(person)
        campaign = campaigns.create_campaign(
            org=branch, template=template, title="", starts_on=dt.date.today() - dt.timedelta(days=7), by=None
        )
        round_ = evaluation.create_round(campaign=campaign, org=branch, title="民主测评", by=None)
        round_ = evaluation.open_round(round=round_, by=None)
        opinion_round = opinions.create_round(org=branch, title="征求意见", by=None)
        item = campaign.stages.first().work_items.get(rule=REFLECTION_RULE)
        # A study session on now, with self check-in turned on (off by default): the room's screen shows the code.
        study.save_settings(org=branch, self_checkin=True, photos=False, hours_required=32, by=None)
        plan = study.Plan(kind=study_kind, title="集中学习党章", starts_at=now - dt.timedelta(minutes=5),
                          ends_at=now + dt.timedelta(hours=3))  # fmt: skip
        activity = study.schedule_activity(org=branch, plan=plan, by=secretary)
        sitting = exams.create_sitting(
            campaign=campaign, paper=paper, title="百题测试", by=None, time_limit=360,
            opens_at=now - dt.timedelta(minutes=5), closes_at=now + dt.timedelta(hours=6),
        )  # fmt: skip
        for person in people:
            draft = writings.start_writing(work_item=item, author=person, by=person.user)
            sheet = exams.start_sheet(sitting=sitting, person=person, by=person.user)
            fixtures["members"].append(
                {
                    "session": session_for(person.user),
                    "branch": b,
                    "campaign_url": f"/campaigns/{campaign.pk}/",
                    "writings_url": f"/writings/campaigns/{campaign.pk}/",
                    "autosave_url": f"/writings/{draft.pk}/autosave/",
                    "rate_url": f"/evaluation/rounds/{round_.pk}/rate/",
                    "check_in_url": "/study/checkin/",
                    "check_in_tap_url": "/study/checkin/tap/",
                    "sheet_url": f"/exams/sheets/{sheet.pk}/",
                    "answer_url": f"/exams/sheets/{sheet.pk}/answer/",
                    "answers": answers_for(sheet, rng),
                }
            )
        fixtures["secretaries"].append(
            {
                "session": session_for(secretary),
                "campaign_url": f"/campaigns/{campaign.pk}/",
                "node_url": f"/org/unit/{branch.code}/",
                "round_url": f"/evaluation/rounds/{round_.pk}/",
                "writings_url": f"/writings/campaigns/{campaign.pk}/",
                "screen_code_url": f"/study/{activity.pk}/screen/code/",
            }
        )
        fixtures["opinion_urls"].append(f"/opinions/p/{opinion_round.public_key}/")
    fixtures["supervisor"] = {"session": session_for(supervisor)}
    Path(out).write_text(json.dumps(fixtures))


def answers_for(sheet: object, rng: random.Random) -> list[list]:
    """What the member will answer, question by question: [position, "choice", [option ids]] or [position,
    "text", words], drawn from the sheet's own draw (a phone posts exactly these fields)."""
    from pingyi.exams.models import Kind

    found = []
    for a in sheet.answers.select_related("question").order_by("position"):  # type: ignore[attr-defined]
        if a.question.kind == Kind.FILL:
            found.append([a.position, "text", rng.choice([*a.question.accepted, "不知道"])])
        else:
            ids = a.option_order
            chosen = rng.sample(ids, 2) if a.question.kind == Kind.MULTIPLE else [rng.choice(ids)]
            found.append([a.position, "choice", [str(i) for i in sorted(chosen)]])
    return found


def locust_child(host: str, users: int, seconds: float, phase: str, out: str) -> None:
    """Runs one phase in its own process (gevent patches everything it imports)."""
    from gevent import monkey

    monkey.patch_all()
    import gevent
    from locust.env import Environment

    sys.path.insert(0, str(ROOT / "bench"))
    import _load_users as mix

    classes = [mix.Bare] if phase == "baseline" else [mix.Screen, mix.Member, mix.Public, mix.Secretary, mix.Supervisor]
    env = Environment(user_classes=classes, host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / (seconds / 10), 1))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    stats = env.stats
    rows = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        rows.append(
            {
                "name": f"{entry.method} {entry.name}",
                "count": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
            }
        )
    total = stats.total
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "rows": rows,
        "count": total.num_requests,
        "failures": total.num_failures,
        "errors": sorted({f"{e.name}: {e.error}" for e in stats.errors.values()})[:10],
        "rps": total.num_requests / seconds,
        "p50": total.get_response_time_percentile(0.5),
        "p95": total.get_response_time_percentile(0.95),
        "client_cpu_s": usage.ru_utime + usage.ru_stime,
    }
    Path(out).write_text(json.dumps(result))


def warm_up(host: str, fixtures_path: str, workers: int) -> None:
    """Each worker imports the project and opens its connections on its first requests: not what is measured."""
    import http.client
    from urllib.parse import urlsplit

    fixtures = json.loads(Path(fixtures_path).read_text())
    member = fixtures["members"][0]
    address = urlsplit(host)
    for _ in range(workers * 6):
        for path in ("/bench/bare/", "/", member["campaign_url"], fixtures["opinion_urls"][0]):
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            conn.request("GET", path, headers={"Cookie": f"sessionid={member['session']}"})
            conn.getresponse().read()
            conn.close()


def run_queue_wait_seconds(master: int) -> float:
    """Time gunicorn's workers spent ready to run but waiting for a CPU (/proc/<pid>/schedstat): on a
    shared machine, the part of the latency that other processes' work caused."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sum(int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) for pid in children) / 1e9


def database_cpu(db_url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving the bench's database (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    with psycopg.connect(db_url.replace("postgres://", "postgresql://")) as conn:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])]
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a backend that ended in between
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def run_phase(env: dict, web: subprocess.Popen, args: argparse.Namespace, phase: str, tmp: str) -> dict:
    out = str(Path(tmp) / f"{phase}.json")
    load_before = os.getloadavg()[0]
    db_before = database_cpu(env["DATABASE_URL"])
    cpu, waited = server_cpu_seconds(web.pid), run_queue_wait_seconds(web.pid)
    cmd = [sys.executable, __file__, "--locust", phase, "--out", out, "--users", str(args.users)]
    cmd += ["--seconds", str(args.seconds), "--host", env["PINGYI_LOAD_HOST"]]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    result = json.loads(Path(out).read_text())
    result["server_cpu_ms"] = (server_cpu_seconds(web.pid) - cpu) * 1000 / max(result["count"], 1)
    result["cpu_wait_ms"] = (run_queue_wait_seconds(web.pid) - waited) * 1000 / max(result["count"], 1)
    db_after = database_cpu(env["DATABASE_URL"])
    db_seconds = sum(t - db_before.get(pid, 0.0) for pid, t in db_after.items())
    result["db_cpu_ms"] = db_seconds * 1000 / max(result["count"], 1)
    result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
    print(
        f"  {phase}: {result['count']} requests, {result['rps']:.1f}/s, failures={result['failures']}, "
        f"p50_ms={result['p50']:.0f} p95_ms={result['p95']:.0f} "
        f"server_cpu_ms_per_request={result['server_cpu_ms']:.1f} db_cpu_ms_per_request={result['db_cpu_ms']:.1f} "
        f"waiting_for_a_cpu_ms_per_request={result['cpu_wait_ms']:.1f} "
        f"client_cpu_s={result['client_cpu_s']:.0f} "
        f"load_avg {result['load_before']:.2f} -> {result['load_after']:.2f}",
        flush=True,
    )
    for row in result["rows"]:
        print(f"    {row['name']:<48} {row['count']:>6} fail={row['failures']:<3} "
              f"p50={row['p50']:>5.0f} p95={row['p95']:>5.0f}")  # fmt: skip
    for error in result["errors"]:
        print(f"    error: {error}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--branches", type=int, default=8)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--wait", default="3,10", help="think time between a user's actions, min,max seconds")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--locust", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_child(args.branches, args.members, args.setup)
        return
    if args.locust:
        locust_child(args.host, args.users, args.seconds, args.locust, args.out)
        return

    redis_bin = shutil.which("redis-server")
    if redis_bin is None:
        sys.exit("bench/load.py needs redis-server: every web worker must share one cache")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    wait_min, wait_max = args.wait.split(",")
    with scratch_databases("postgres", DB_NAME) as urls, tempfile.TemporaryDirectory() as tmp:
        redis_port, web_port = free_port(), free_port()
        env = {
            **os.environ,
            "DATABASE_URL": urls["postgres"],
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "DJANGO_SETTINGS_MODULE": "_load_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "PINGYI_SECRET_KEY": secrets.token_urlsafe(50),
            # Connections live through a phase, so the database CPU of each backend is counted whole.
            "PINGYI_CONN_MAX_AGE": "3600",
            "WEB_CONCURRENCY": str(args.workers),
            "PINGYI_LOAD_FIXTURES": str(Path(tmp) / "fixtures.json"),
            "PINGYI_STATIC_ROOT": tmp,  # no collectstatic here: the pages' CSS is not what is measured
            "PINGYI_LOAD_HOST": f"http://127.0.0.1:{web_port}",
            "PINGYI_LOAD_WAIT_MIN": wait_min,
            "PINGYI_LOAD_WAIT_MAX": wait_max,
        }
        redis = subprocess.Popen(
            [redis_bin, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        web = None
        try:
            wait_for_port(redis_port)
            setup = [sys.executable, __file__, "--setup", env["PINGYI_LOAD_FIXTURES"]]
            setup += ["--branches", str(args.branches), "--members", str(args.members)]
            subprocess.run(setup, env=env, cwd=ROOT, check=True)
            log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115  closed in the finally below
            web = subprocess.Popen(
                [str(gunicorn), "pingyi.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{web_port}",
                 "--timeout", "60", "--no-control-socket"],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            wait_for_port(web_port)
            warm_up(env["PINGYI_LOAD_HOST"], env["PINGYI_LOAD_FIXTURES"], args.workers)
            print(
                f"gunicorn -w {args.workers}, PostgreSQL {DB_NAME}, Redis :{redis_port}; {args.branches} branches x "
                f"{args.members} members; {args.users} users for {args.seconds:.0f} s per phase, think time "
                f"{wait_min}-{wait_max} s; {os.cpu_count()} CPUs",
                flush=True,
            )
            base = None if args.skip_baseline else run_phase(env, web, args, "baseline", tmp)
            site = run_phase(env, web, args, "site", tmp)
            if site["failures"]:
                lines = (Path(tmp) / "gunicorn.log").read_text().splitlines()[-15:]
                print("  server log (last lines):\n" + "\n".join(lines))
        finally:
            if web is not None:
                web.terminate()
                web.wait(timeout=30)
                log.close()
            redis.terminate()
            redis.wait(timeout=30)
    ceiling = f" baseline_p95_ms={base['p95']:.0f}" if base else ""
    print(
        f"  per request: server_cpu_ms={site['server_cpu_ms']:.1f} db_cpu_ms={site['db_cpu_ms']:.1f} "
        f"waiting_for_a_cpu_ms={site['cpu_wait_ms']:.1f}{ceiling}"
    )
    print(f"load: users={args.users} rps={site['rps']:.1f} p95_ms={site['p95']:.0f} errors={site['failures']}")


if __name__ == "__main__":
    main()
