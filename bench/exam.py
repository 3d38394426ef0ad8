"""The 100-question test under load: N members each saving 100 answers against the real server.

    .venv/bin/python bench/exam.py [--members 2000] [--workers 4] [--threads 32] [--grade-papers 2000]

Starts, on loopback and random free ports, a scratch PostgreSQL database (bench/_common.py) and gunicorn
serving the project with DEBUG off (bench/_exam_settings.py). The set-up, before any timing: N members with
logins and a signed-in session each (written straight into the session table), the demo bank of the
party constitution, a paper of 100 objective questions, a sitting open now, and every member's sheet
started (their own draw). Then, one phone per member answering one question after another, from a pool
of client threads:

  ceiling   the same POSTs, with the member's session, to a bare Django view that only inserts one row
            (bench/_exam_urls.py): what any view of this stack costs;
  answers   POSTs of each answer to the real view (htmx's request: CSRF header, session cookie), which
            checks the sheet is the member's, that time is left and it is not submitted, under the
            sheet's row lock, and updates the answer's row.

An answer counts as saved only if the server said so and the database holds exactly what was sent; any
other outcome is lost (must be 0). Then grading: --grade-papers sheets of 100 answers (random responses)
submitted and graded by services.grade_sheets, timed. Targets: nothing lost, p95 within 2× of the
ceiling, grading 2,000 papers under 10 s. The last line is
`exam: p95_ms=… ceiling_p95_ms=… lost=… grade_s=…`.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from _common import ROOT, free_port, scratch_databases, wait_for_port

DB_NAME = "pingyi_bench_exam"
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters: Django accepts the unmasked secret


def setup_child(members: int, out: str) -> None:
    """Inside the bench's environment: the members, their sessions, the paper, the started sheets."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone

    from pingyi.campaigns import services as campaigns
    from pingyi.campaigns.models import CampaignTemplate
    from pingyi.core.middleware import SEEN_KEY
    from pingyi.exams import services
    from pingyi.exams.demo import BANK_FILE
    from pingyi.exams.models import Kind
    from pingyi.org import services as org
    from pingyi.org.models import MemberCategory, OrgType, Person, PersonKind
    from pingyi.org.signin import CLEARED

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_answer (id serial primary key, sheet_id int, position int, response text)")
    branch = org.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    User = get_user_model()
    password = make_password("bench-password-123")
    User.objects.bulk_create(User(username=f"m{i:05d}", password=password) for i in range(members))
    users = list(User.objects.order_by("pk"))
    Person.objects.bulk_create(
        Person(org=branch, kind=PersonKind.MEMBER, category=MemberCategory.FORMAL, name=f"党员{i:05d}", user=u)
        for i, u in enumerate(users)
    )
    now = int(time.time())
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    sessions, keys = [], {}
    for user in users:
        store = SessionStore()
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
            SEEN_KEY: now,
            CLEARED: user.pk,
        }
        key = secrets.token_hex(16)
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=timezone.now() + timedelta(days=1))
        )
        keys[user.pk] = key
    Session.objects.bulk_create(sessions, batch_size=1000)

    bank = services.create_bank(org=branch, name="党章和党内规矩", by="bench")
    services.import_questions(bank=bank, data=BANK_FILE.read_bytes(), filename=BANK_FILE.name, by="bench")
    rules = [
        services.RuleInput(kind=k, count=n)
        for k, n in [(Kind.TRUE_FALSE, 25), (Kind.SINGLE, 41), (Kind.MULTIPLE, 16), (Kind.FILL, 18)]
    ]
    paper = services.create_paper(
        org=branch, bank=bank, code="hundred-questions", title="百题测试", rules=rules, by="bench"
    )
    campaign = campaigns.create_campaign(
        org=branch,
        template=CampaignTemplate.objects.get(code="advanced-nature-education"),
        title="",
        starts_on=timezone.localdate(),
        by="bench",
    )
    sitting = services.create_sitting(
        campaign=campaign,
        paper=paper,
        title="百题测试",
        by="bench",
        opens_at=timezone.now() - timedelta(minutes=5),
        closes_at=timezone.now() + timedelta(hours=6),
        time_limit=360,
    )
    rng = random.Random(2005)
    plan = []
    started = time.perf_counter()
    for person in Person.objects.select_related("user").order_by("pk"):
        sheet = services.start_sheet(sitting=sitting, person=person, by="bench")
        answers = []
        for a in sheet.answers.select_related("question").order_by("position"):
            if a.question.kind == Kind.FILL:
                answers.append((a.position, "text", rng.choice([*a.question.accepted, "不知道"])))
            else:
                ids = a.option_order
                chosen = rng.sample(ids, 2) if a.question.kind == Kind.MULTIPLE else [rng.choice(ids)]
                answers.append((a.position, "choice", ",".join(str(i) for i in sorted(chosen))))
        plan.append({"sheet": sheet.pk, "session": keys[person.user_id], "answers": answers})
    print(
        f"  set-up: {members} members, sessions and started sheets in {time.perf_counter() - started:.1f} s", flush=True
    )
    Path(out).write_text(json.dumps({"sitting": sitting.pk, "plan": plan}))


def grade_child(papers: int) -> None:
    """Submit and grade `papers` sheets of 100 answers each; print the seconds grading took."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from pingyi.exams import services
    from pingyi.exams.drawing import draw, new_seed
    from pingyi.exams.models import Answer, AnswerSheet, Kind, Question, Sitting
    from pingyi.org.models import Person, PersonKind

    sitting = Sitting.objects.get()
    spec = services.paper_spec(sitting.paper)
    kinds = dict(Question.objects.values_list("id", "kind"))
    accepted = dict(Question.objects.values_list("id", "accepted"))
    branch = sitting.org
    Person.objects.bulk_create(Person(org=branch, kind=PersonKind.MEMBER, name=f"阅卷{i:05d}") for i in range(papers))
    people = list(Person.objects.filter(name__startswith="阅卷").order_by("pk"))
    now = timezone.now()
    rng = random.Random(7)
    sheets = AnswerSheet.objects.bulk_create(
        AnswerSheet(
            sitting=sitting, person=p, seed=new_seed(), started_at=now, due_at=now, submitted_at=now, max_score=100
        )
        for p in people
    )
    rows = []
    for sheet in sheets:
        for position, d in enumerate(draw(spec, sheet.seed), start=1):
            if kinds[d.question_id] == Kind.FILL:
                response = rng.choice([*accepted[d.question_id], "不知道"])
            else:
                response = str(rng.choice(d.option_order))
            rows.append(
                Answer(
                    sheet=sheet,
                    position=position,
                    question_id=d.question_id,
                    option_order=list(d.option_order),
                    max_points=d.points,
                    response=response,
                )
            )
    Answer.objects.bulk_create(rows, batch_size=5000)
    started = time.perf_counter()
    graded = services.grade_sheets([s.pk for s in sheets])
    seconds = time.perf_counter() - started
    assert graded == papers * 100 and not AnswerSheet.objects.filter(pk__in=[s.pk for s in sheets], score=None).exists()
    print(json.dumps({"grade_s": seconds, "answers": graded}))


class Load:
    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failed: list[str] = []

    def member(self, path: str, member: dict, real: bool) -> None:
        """One phone: a kept connection, one answer after another."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={member['session']}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "HX-Request": "true",
        }
        mine: list[float] = []
        try:
            for position, field, value in member["answers"]:
                if real:
                    form = {"position": position, field: value.split(",") if field == "choice" else value}
                    body = urlencode(form, doseq=True)
                else:
                    body = urlencode({"position": position, "value": value})
                start = time.perf_counter()
                try:
                    conn.request("POST", path, body=body.encode(), headers=headers)
                    response = conn.getresponse()
                    text = response.read().decode("utf-8", "replace")
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                    with self.lock:
                        self.failed.append(f"{member['sheet']}#{position}: {exc.__class__.__name__}")
                    continue
                mine.append((time.perf_counter() - start) * 1000)
                ok = response.status == 200 and ("已保存" in text if real else text == "ok")
                if not ok:
                    with self.lock:
                        self.failed.append(f"{member['sheet']}#{position}: {response.status} {text[:80]}")
        finally:
            conn.close()
            with self.lock:
                self.latencies.extend(mine)

    def run(self, plan: list[dict], real: bool, threads: int) -> float:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for member in plan:
                path = f"/exams/sheets/{member['sheet']}/answer/" if real else f"/bench/answer/{member['sheet']}/"
                pool.submit(self.member, path, member, real)
        return time.perf_counter() - start


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 2 else (values[0] if values else 0.0)


def lost_answers(db_url: str, plan: list[dict]) -> tuple[int, int]:
    """(answers not stored as sent, ceiling rows missing)."""
    sent = {(m["sheet"], p): v for m in plan for p, _f, v in m["answers"]}
    with psycopg.connect(db_url.replace("postgres://", "postgresql://")) as conn:
        stored = {
            (sheet, position): response
            for sheet, position, response in conn.execute(
                "SELECT sheet_id, position, response FROM exams_answer WHERE saved_at IS NOT NULL"
            )
        }
        ceiling = conn.execute("SELECT count(*) FROM bench_answer").fetchone()[0]
    lost = sum(1 for key, value in sent.items() if stored.get(key) != value)
    return lost, len(sent) - ceiling


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=32, help="phones answering at the same moment")
    parser.add_argument("--grade-papers", type=int, default=2000)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--grade", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_child(args.members, args.setup)
        return
    if args.grade:
        grade_child(args.grade)
        return

    gunicorn = Path(sys.executable).parent / "gunicorn"
    with scratch_databases("postgres", DB_NAME) as urls, tempfile.TemporaryDirectory() as tmp:
        db_url = urls["postgres"]
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "_exam_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "PINGYI_SECRET_KEY": secrets.token_urlsafe(50),
            "PINGYI_CONN_MAX_AGE": "60",
        }
        env.pop("REDIS_URL", None)
        plan_file = Path(tmp) / "plan.json"
        print(
            f"exam bench: {args.members} members × 100 answers, gunicorn -w {args.workers}, "
            f"{args.threads} phones at once, PostgreSQL {DB_NAME}",
            flush=True,
        )
        subprocess.run(
            [sys.executable, __file__, "--members", str(args.members), "--setup", str(plan_file)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        plan = json.loads(plan_file.read_text())["plan"]
        log_path = Path(tmp) / "gunicorn.log"
        web = None
        with open(log_path, "w") as log:
            try:
                web = subprocess.Popen(
                    [
                        str(gunicorn),
                        "pingyi.wsgi",
                        "-w",
                        str(args.workers),
                        "-b",
                        f"127.0.0.1:{port}",
                        "--timeout",
                        "120",
                        "--keep-alive",
                        "30",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                wait_for_port(port)
                warm = Load(port)
                warm.member(
                    f"/exams/sheets/{plan[0]['sheet']}/answer/", {**plan[0], "answers": plan[0]["answers"][:3]}, True
                )
                ceiling = Load(port)
                ceiling_s = ceiling.run(plan, real=False, threads=args.threads)
                answers = Load(port)
                answers_s = answers.run(plan, real=True, threads=args.threads)
            finally:
                if web is not None:
                    web.terminate()
                    web.wait(timeout=30)
        lost, ceiling_lost = lost_answers(db_url, plan)
        total = sum(len(m["answers"]) for m in plan)
        for label, load, seconds, missing in (
            ("ceiling", ceiling, ceiling_s, ceiling_lost),
            ("answers", answers, answers_s, lost),
        ):
            print(
                f"  {label:8s} {total} POSTs in {seconds:6.1f} s ({total / seconds:6.0f}/s)  "
                f"p50_ms={statistics.median(load.latencies):.1f} p95_ms={p95(load.latencies):.1f}  "
                f"failed={len(load.failed)} lost={missing}",
                flush=True,
            )
            for line in load.failed[:5]:
                print(f"    {line}")
        if lost or answers.failed:
            print("  server log (last lines):\n" + "\n".join(log_path.read_text().splitlines()[-20:]))
        out = subprocess.run(
            [sys.executable, __file__, "--grade", str(args.grade_papers)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        graded = json.loads(out.strip().splitlines()[-1])
        print(f"  grading  {args.grade_papers} papers ({graded['answers']} answers) in {graded['grade_s']:.2f} s")
    print(
        f"exam: p95_ms={p95(answers.latencies):.0f} ceiling_p95_ms={p95(ceiling.latencies):.0f} "
        f"lost={lost} grade_s={graded['grade_s']:.2f}"
    )


if __name__ == "__main__":
    main()
