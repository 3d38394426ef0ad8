"""The supervision roll-up of a province on one machine: the page read from the kept counts, beside the
naive count of the same figures from the raw rows, on a synthetic province (manage.py seed_synthetic).

    .venv/bin/python bench/rollup.py [--members 1000000] [--runs 30] [--naive-runs 5] [--drop]

The database `pingyi_rollup` on 127.0.0.1:5432 is REUSED when it holds the same seed (its comment names
the member count, the seed and the generator's version); otherwise it is dropped, created, migrated and
seeded, and the seeding time printed. It is kept afterwards so a second run measures at once; `--drop`
drops it at the end. A database seeded on an earlier day first has its date-dependent counts moved to
today by tallies.recount_dates, as the daily job does.

Then, as a supervisor (督导组) granted at each level, through the Django test client with DEBUG off:
  page   GET of the roll-up page of the province, the first city and the first district (`--runs` each,
         after two warm-ups): everything the page does, including its check for stale counts;
  naive  the same figures (per child node and in total) counted from the raw rows in one SQL statement
         (pingyi/portal/synthetic/naive.py), `--naive-runs` each;
and checks that the figures the page shows equal the naive count, at every level. Then how stale a
figure can get: tallies.refresh_branch on 50 random branches (the recount after a write under a branch),
and tallies.recount_dates over every row set back a day (the first refresh of a new day).
Last, every node's kept sums (reports.NodeTally) are checked against the branch rows under it (identical=yes
needs both). Target: province page p95 < 300 ms. The last line:
    rollup: province_p95_ms=… naive_p95_ms=… identical=yes|no
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg
from _common import PG_ADMIN_DSN, ROOT

DATABASE = "pingyi_rollup"
REFRESH_SAMPLE = 50
STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def percentile(times: list[float], q: float) -> float:
    """Nearest rank: the smallest time at or above which lie a share `q` of the runs."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def timed(func: Callable[[], object], runs: int, warm: int = 2) -> list[float]:
    for _ in range(warm):
        func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(members: int, runs: int, naive_runs: int, seed_needed: bool) -> None:
    import django
    from django.conf import settings

    # static files unhashed (no collectstatic on a bench); everything else as deployed, DEBUG off
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC}}
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from pingyi.org.models import OrgUnit, Role, RoleGrant
    from pingyi.portal.synthetic import seed as synthetic
    from pingyi.portal.synthetic.naive import differences, kept_figures, naive_figures
    from pingyi.reports import selectors, tallies

    call_command("migrate", verbosity=0)
    if seed_needed:
        start, cpu = time.perf_counter(), time.process_time()
        done = synthetic.seed(synthetic.Shape(members=members), say=lambda line: print(line, flush=True))
        print(f"seeded {done.members:,} members in {done.branches:,} branches, {done.rows:,} rows: "
              f"{time.perf_counter() - start:.1f} s ({time.process_time() - cpu:.1f} s CPU in this process; "
              f"the machine is shared, so the wall time includes waiting for a core)", flush=True)  # fmt: skip
    else:
        print(f"reused the seeded database {DATABASE} (same members, seed and generator version)")
        moved = tallies.recount_dates()
        if moved:
            print(f"moved {moved:,} branches' date-dependent counts to today (tallies.recount_dates)")
    today = timezone.localdate()
    province = OrgUnit.objects.get(code=f"{synthetic.PREFIX}P")
    city = OrgUnit.objects.filter(parent=province).order_by("code").first()
    district = OrgUnit.objects.filter(parent=city).order_by("code").first()
    assert city is not None and district is not None
    stale = tallies.stale(province).count()
    print(f"stale branch counts before measuring: {stale} (a page with stale counts starts a refresh job)")
    print(f"{'level':9s} {'branches':>9s} {'queries':>8s} {'page p50':>9s} {'page p95':>9s} "
          f"{'naive p50':>10s} {'naive p95':>10s}  identical")  # fmt: skip
    results: dict[str, tuple[float, float]] = {}
    identical = True
    for level, root in (("province", province), ("city", city), ("district", district)):
        user, _new = get_user_model().objects.get_or_create(username=f"syn-bench-{level}")
        RoleGrant.objects.get_or_create(user=user, org=root, role=Role.SUPERVISOR)
        client = Client()
        client.force_login(user)
        url = reverse("reports:rollup", kwargs={"org_code": root.code})

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.status_code

        queries: list[str] = []

        def count(execute: Callable[..., object], sql: str, *rest: object, seen: list[str] = queries) -> object:
            seen.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            page()
        page_times = timed(page, runs)
        naive_times = timed(lambda root=root: naive_figures(root, today), naive_runs, warm=1)
        found = differences(kept_figures(selectors.rollup(root, today)), naive_figures(root, today))
        identical = identical and not found
        for line in found[:5]:
            print("  differs:", line)
        branches = tallies.branches_under(root).count()
        p = (percentile(page_times, 0.5), percentile(page_times, 0.95))
        n = (percentile(naive_times, 0.5), percentile(naive_times, 0.95))
        results[level] = (p[1], n[1])
        print(f"{level:9s} {branches:9,d} {len(queries):8d} {p[0]:9.1f} {p[1]:9.1f} {n[0]:10.1f} {n[1]:10.1f}  "
              f"{'yes' if not found else 'NO'}", flush=True)  # fmt: skip
    print(f"page: {runs} runs a level after 2 warm-ups; naive: {naive_runs} runs a level after 1")
    freshness(province, tallies)
    drift = tallies.node_drift(province)  # after the recounts and the date move just measured
    identical = identical and not drift
    print(f"node sums equal to their branch rows after the recounts and the date move: {'no' if drift else 'yes'}")
    for line in drift[:5]:
        print("  differs:", line)
    page_p95, naive_p95 = results["province"]
    print(
        f"rollup: province_p95_ms={page_p95:.1f} naive_p95_ms={naive_p95:.1f} identical={'yes' if identical else 'no'}"
    )


def freshness(province: Any, tallies: Any) -> None:
    """How stale a figure can get: the cost of recounting a branch from the records (after any write under
    it), and of moving every row's date-dependent counts to a new day (the first refresh of the day)."""
    from datetime import timedelta

    from django.db.models import F

    from pingyi.reports.models import BranchTally

    sample = list(tallies.branches_under(province).order_by("?")[:REFRESH_SAMPLE])
    start = time.perf_counter()
    for org in sample:
        tallies.refresh_branch(org)
    per_branch = (time.perf_counter() - start) * 1000 / len(sample)
    total = tallies.branches_under(province).count()
    print(f"refresh_branch: {per_branch:.1f} ms a branch ({len(sample)} sampled); all {total:,} branches "
          f"would take {per_branch * total / 60000:.1f} min on one worker")  # fmt: skip
    BranchTally.objects.update(counted_on=F("counted_on") - timedelta(days=1))
    start = time.perf_counter()
    moved = tallies.recount_dates()
    print(f"recount_dates (a new day, every row): {moved:,} rows in {time.perf_counter() - start:.1f} s")


def prepare(members: int) -> bool:
    """Create the database unless it holds this seed already; True when it must be seeded."""
    sys.path.insert(0, str(ROOT))
    from pingyi.portal.synthetic import VERSION

    wanted = f"seed_synthetic members={members} seed=2005 version={VERSION}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if row is not None and row[0] == wanted:
            return False
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
        print(f"created the database {DATABASE}", flush=True)
    return True


def mark_seeded(members: int) -> None:
    from pingyi.portal.synthetic import VERSION

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        text = f"seed_synthetic members={members} seed=2005 version={VERSION}"
        admin.execute(f"COMMENT ON DATABASE {DATABASE} IS '{text}'")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--child", choices=["seed", "reuse"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        measure(args.members, args.runs, args.naive_runs, seed_needed=args.child == "seed")
        return
    seed_needed = prepare(args.members)
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "pingyi.settings",
        "DEBUG": "0",  # no query log, templates cached, as in production
        "PINGYI_SECRET_KEY": secrets.token_urlsafe(50),
        "PINGYI_ALLOWED_HOSTS": "testserver",
        "REDIS_URL": "",
    }
    cmd = [sys.executable, __file__, "--child", "seed" if seed_needed else "reuse", "--members", str(args.members),
           "--runs", str(args.runs), "--naive-runs", str(args.naive_runs)]  # fmt: skip
    print(f"{DATABASE} is {'dropped at the end' if args.drop else 'kept for the next run (--drop drops it)'}")
    try:
        subprocess.run(cmd, env=env, check=True, cwd=ROOT)
        if seed_needed:
            mark_seeded(args.members)
    finally:
        if args.drop:
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
