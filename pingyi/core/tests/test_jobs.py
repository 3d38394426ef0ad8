"""The job interface: in-process by default, Celery over Redis when REDIS_URL is set."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from pingyi.core.jobs import JobContext, enqueue, job, live_progress, progress_bar, run_job
from pingyi.core.models import Job
from pingyi.org.models import OrgType, OrgUnit


@job("tests.count_to")
def count_to(ctx: JobContext, *, n: int, fail_at: int = -1) -> dict:
    from pingyi.org import services

    with transaction.atomic():
        for i in range(1, n + 1):
            if i == fail_at:
                raise ValueError(f"第 {i} 步出错")
            services.create_org_unit(parent=None, type=OrgType.PROVINCE, code=f"J{i}", name=f"J{i}", by=None)
            ctx.progress(i, n)
    return {"made": n}


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="in-process path")
def test_enqueued_job_runs_after_commit_and_reports_progress() -> None:
    with transaction.atomic():
        queued = enqueue("tests.count_to", n=250)
        assert Job.objects.get(pk=queued.pk).status == Job.Status.QUEUED
    done = Job.objects.get(pk=queued.pk)
    assert (done.status, done.done, done.total, done.result) == (Job.Status.DONE, 250, 250, {"made": 250})
    assert done.percent == 100


def test_a_failing_job_is_marked_failed_and_rolls_back() -> None:
    queued = Job.objects.create(name="tests.count_to", params={"n": 10, "fail_at": 7})
    finished = run_job(queued.pk)
    assert finished.status == Job.Status.FAILED
    assert "第 7 步出错" in finished.message
    assert not OrgUnit.objects.exists()


def test_progress_bar_draws_on_the_command_line() -> None:
    out = io.StringIO()
    queued = Job.objects.create(name="tests.count_to", params={"n": 4})
    run_job(queued.pk, on_progress=progress_bar(out, width=4))
    assert "[####] 4/4" in out.getvalue()


def test_unknown_job_names_are_refused() -> None:
    with pytest.raises(KeyError):
        enqueue("no.such.job")


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs this against the local Redis)")
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="a worker process cannot see an in-memory test DB",
)
def test_celery_worker_runs_the_job_from_redis() -> None:
    root = Path(settings.BASE_DIR)
    env = {**os.environ, "PYTHONPATH": str(root)}
    env["DATABASE_URL"] = _test_database_url()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pingyi",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--include=pingyi.core.tests.test_jobs",
        ],
        cwd=root,
        env=env,
    )
    try:
        with transaction.atomic():
            queued = enqueue("tests.count_to", n=20)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            current = Job.objects.get(pk=queued.pk)
            if current.finished:
                break
            time.sleep(0.3)
        assert current.status == Job.Status.DONE, current.message
        assert OrgUnit.objects.count() == 20
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@job("tests.watch_progress")
def watch_progress(ctx: JobContext) -> dict:
    """Checks from inside the job that a page polling now would see the progress."""
    with transaction.atomic():
        ctx.progress(3, 10, "第3步")
        seen = live_progress(Job.objects.get(pk=ctx.job.pk))
    return {"seen": [seen.done, seen.total, seen.message]}


def test_progress_is_visible_to_pollers_while_the_job_transaction_is_open() -> None:
    queued = Job.objects.create(name="tests.watch_progress")
    finished = run_job(queued.pk)
    assert finished.result == {"seen": [3, 10, "第3步"]}
    assert live_progress(Job.objects.get(pk=queued.pk)).percent == 100


def test_every_apps_jobs_module_is_registered_at_start_up() -> None:
    from pingyi.core.jobs import _registry

    assert "org.import_roster" in _registry
