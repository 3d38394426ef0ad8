"""The public opinion form under load: 2,000 submissions over one minute against the real server.

    .venv/bin/python bench/opinions.py [--submissions 2000] [--seconds 60] [--workers 4]

Starts, on loopback and random free ports, a scratch PostgreSQL database (bench/_common.py), a
Redis for the rate-limit counters that all web processes share, and gunicorn serving the project
with DEBUG off (bench/_opinions_settings.py). Then, at an even pace over the given seconds:

  baseline  POSTs of the same texts to a bare Django view that only inserts the row
            (bench/_opinions_urls.py): the ceiling the form's own work is measured against;
  opinions  what a phone does: GET the form (for the CSRF cookie), POST the opinion. Most
            addresses send 3; a few flood (40 each) and must be turned away by the per-address
            limit, with a 429 and the Chinese message.

A submission counts as accepted only if the server said so and its row is in the database, as
refused only if it got the 429 message and no row; anything else is lost (must be 0).
p95 is of the POSTs alone, in milliseconds.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from _common import ROOT, free_port, scratch_databases, wait_for_port

DB_NAME = "pingyi_bench_opinions"
TEXTS = [
    "办理失业登记要交的证明材料太多，希望精简。",
    "社保窗口中午不办事，上班族只能请假来办。",
    "希望把政策宣传资料送到村里。",
    "招工备案要跑三个窗口，希望一窗办结。<b>谢谢</b>",
]


def setup_child() -> None:
    """Run inside the bench's environment: migrate and make one open round; print its id and key."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from pingyi.opinions import services
    from pingyi.org import services as org
    from pingyi.org.models import OrgType

    branch = org.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    round_ = services.create_round(org=branch, title="征求意见", by=None)
    print(f"{round_.pk} {round_.public_key}")


class Load:
    """Sends requests on an even schedule from a thread pool and records each POST's outcome."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.outcomes: dict[str, str] = {}  # submission key -> accepted / refused / error: ...

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body.encode(), headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def post(self, key: str, path: str, form: dict, headers: dict) -> tuple[int, str]:
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        start = time.perf_counter()
        status, _, body = self.request("POST", path, urlencode(form), headers)
        with self.lock:
            self.latencies.append((time.perf_counter() - start) * 1000)
        return status, body

    def run(self, tasks: list, seconds: float, threads: int = 48) -> None:
        begin = time.monotonic() + 0.5
        step = seconds / len(tasks)

        def scheduled(i: int, task) -> None:  # type: ignore[no-untyped-def]
            delay = begin + i * step - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                task()
            except Exception as exc:  # a timeout or a dropped connection: the sender lost it
                key = getattr(task, "key", f"task-{i}")
                with self.lock:
                    self.outcomes[key] = f"error: {exc.__class__.__name__}"

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for i, task in enumerate(tasks):
                pool.submit(scheduled, i, task)


def baseline_tasks(load: Load, round_id: int, n: int) -> list:
    def make(i: int):  # type: ignore[no-untyped-def]
        key = uuid.uuid4().hex

        def task() -> None:
            status, body = load.post(key, f"/bench/insert/{round_id}/", {"text": TEXTS[i % 4], "key": key}, {})
            with load.lock:
                load.outcomes[key] = "accepted" if status == 200 and body.startswith("ok") else f"error: {status}"

        task.key = key  # type: ignore[attr-defined]
        return task

    return [make(i) for i in range(n)]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def opinion_tasks(load: Load, public_key: str, n: int) -> list:
    floods = 5  # addresses that flood: a tenth of all submissions, shared among them
    per_flood = max(n // 10 // floods, 1)
    addresses = [f"10.1.0.{i + 1}" for i in range(floods)] * per_flood
    normal = n - len(addresses)
    addresses += [f"10.2.{i // 750}.{(i // 3) % 250 + 1}" for i in range(normal)]  # three each
    random.Random(2005).shuffle(addresses)
    path = f"/opinions/p/{public_key}/"

    def make(i: int, address: str):  # type: ignore[no-untyped-def]
        key = uuid.uuid4().hex

        def task() -> None:
            headers = {"X-Forwarded-For": address}
            status, got, page = load.request("GET", path, headers=headers)
            cookie = got.get("Set-Cookie", "").split(";")[0]
            token = TOKEN.search(page)
            if status != 200 or not token or not cookie:
                raise RuntimeError(f"form not served: {status}")
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "text": f"{TEXTS[i % 4]}（{i}）",
                "submission_key": key,
                "website": "",
            }
            status, body = load.post(key, path, form, {**headers, "Cookie": cookie})
            if status == 200 and "您的意见已收到" in body:
                outcome = "accepted"
            elif status == 429 and "提交过于频繁" in body:
                outcome = "refused"
            else:
                outcome = f"error: {status}"
            with load.lock:
                load.outcomes[key] = outcome

        task.key = key  # type: ignore[attr-defined]
        return task

    return [make(i, a) for i, a in enumerate(addresses)]


def stored_keys(db_url: str, round_id: int) -> set[str]:
    with psycopg.connect(db_url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT submission_key FROM opinions_opinion WHERE round_id = %s AND submission_key IS NOT NULL",
            [round_id],
        ).fetchall()
    return {row[0] for row in rows}


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers so far (Linux /proc), to tell work from waiting."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 2 else (values[0] if values else 0.0)


def tally(load: Load, stored: set[str]) -> dict[str, int]:
    accepted = refused = lost = refused_but_stored = 0
    for key, outcome in load.outcomes.items():
        if outcome == "accepted" and key in stored:
            accepted += 1
        elif outcome == "refused" and key not in stored:
            refused += 1
        else:
            lost += 1
            refused_but_stored += outcome == "refused"
    return {"accepted": accepted, "refused": refused, "lost": lost, "refused_but_stored": refused_but_stored}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_child()
        return

    redis_bin = shutil.which("redis-server")
    if redis_bin is None:
        sys.exit("bench/opinions.py needs redis-server: the rate-limit counters must be shared by all workers")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with scratch_databases("postgres", DB_NAME) as urls, tempfile.TemporaryDirectory() as tmp:
        db_url = urls["postgres"]
        redis_port, web_port = free_port(), free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "DJANGO_SETTINGS_MODULE": "_opinions_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "PINGYI_SECRET_KEY": secrets.token_urlsafe(50),
            "PINGYI_CONN_MAX_AGE": "60",
        }
        redis = subprocess.Popen(
            [redis_bin, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        web = None
        try:
            wait_for_port(redis_port)
            out = subprocess.run(
                [sys.executable, __file__, "--setup"], env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
            ).stdout
            round_id_text, public_key = out.strip().splitlines()[-1].split()
            round_id = int(round_id_text)
            log_path = Path(tmp) / "gunicorn.log"
            log = open(log_path, "w")  # noqa: SIM115  closed in the finally below
            web = subprocess.Popen(
                [
                    str(gunicorn),
                    "pingyi.wsgi",
                    "-w",
                    str(args.workers),
                    "-b",
                    f"127.0.0.1:{web_port}",
                    "--timeout",
                    "60",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_for_port(web_port)
            print(
                f"gunicorn -w {args.workers} on 127.0.0.1:{web_port}, PostgreSQL {DB_NAME}, Redis :{redis_port}; "
                f"{args.submissions} submissions over {args.seconds:.0f} s each",
                flush=True,
            )
            Load(web_port).request("GET", f"/opinions/p/{public_key}/")  # warm every import path once

            cpu = server_cpu_seconds(web.pid)
            base = Load(web_port)
            base.run(baseline_tasks(base, round_id, args.submissions), args.seconds)
            base_tally = tally(base, stored_keys(db_url, round_id))
            base_cpu, cpu = server_cpu_seconds(web.pid) - cpu, server_cpu_seconds(web.pid)
            print(
                f"  baseline (bare insert view): accepted={base_tally['accepted']} lost={base_tally['lost']} "
                f"p50_ms={statistics.median(base.latencies):.1f} p95_ms={p95(base.latencies):.1f} "
                f"server_cpu_ms_per_submission={base_cpu * 1000 / args.submissions:.1f}",
                flush=True,
            )

            real = Load(web_port)
            real.run(opinion_tasks(real, public_key, args.submissions), args.seconds)
            real_tally = tally(real, stored_keys(db_url, round_id))
            real_cpu = server_cpu_seconds(web.pid) - cpu
            errors = sorted({o for o in real.outcomes.values() if o.startswith("error")})
            print(
                f"  opinions (public form):      accepted={real_tally['accepted']} refused={real_tally['refused']} "
                f"lost={real_tally['lost']} p50_ms={statistics.median(real.latencies):.1f} "
                f"p95_ms={p95(real.latencies):.1f} "
                f"server_cpu_ms_per_submission={real_cpu * 1000 / args.submissions:.1f}"
                + (f" errors={errors}" if errors else ""),
                flush=True,
            )
            if real_tally["refused_but_stored"]:
                print(f"  refused yet stored: {real_tally['refused_but_stored']}")
            if real_tally["lost"] or base_tally["lost"]:
                print("  server log (last lines):\n" + "\n".join(log_path.read_text().splitlines()[-20:]))
        finally:
            if web is not None:
                web.terminate()
                web.wait(timeout=30)
                log.close()
            redis.terminate()
            redis.wait(timeout=30)
    print(
        f"opinions: accepted={real_tally['accepted']} refused={real_tally['refused']} lost={real_tally['lost']} "
        f"p95_ms={p95(real.latencies):.0f} ceiling_p95_ms={p95(base.latencies):.0f}"
    )


if __name__ == "__main__":
    main()
