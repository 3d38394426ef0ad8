"""Jobs that die are noticed (issue 17, item 7): heartbeats, the sweep, redelivery, a broker that is down."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pingyi.core import jobs
from pingyi.core.jobs import JobContext, enqueue, job, live_progress, run_job, sweep_stale_jobs
from pingyi.core.models import Job
from pingyi.org.models import OrgType, OrgUnit, RosterUpload
from pingyi.org.roster import uploads
from pingyi.org.tests.sheets import member_row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)

calls: list[int] = []


@job("tests.slow_rows")
def slow_rows(ctx: JobContext, *, n: int, pause: float = 0.0) -> dict:
    """Makes n nodes in one transaction, slowly: a worker killed half-way leaves none."""
    from pingyi.org import services

    calls.append(n)
    with transaction.atomic():
        for i in range(1, n + 1):
            services.create_org_unit(parent=None, type=OrgType.PROVINCE, code=f"S{i}", name=f"S{i}", by=None)
            ctx.progress(i, n)
            time.sleep(pause)
    return {"made": n}


@job("tests.nap")
def nap(ctx: JobContext, *, seconds: float) -> dict:
    time.sleep(seconds)
    return {}


def _dead(job_: Job, seconds: float = 600) -> None:
    """What a killed process leaves behind: a running job whose heartbeat stopped `seconds` ago."""
    then = timezone.now() - timedelta(seconds=seconds)
    Job.objects.filter(pk=job_.pk).update(status=Job.Status.RUNNING, started_at=then, heartbeat_at=then, attempts=1)


def test_a_running_job_beats(settings: Any) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    queued = Job.objects.create(name="tests.nap", params={"seconds": 0.6})
    run_job(queued.pk)
    finished = Job.objects.get(pk=queued.pk)
    assert finished.status == Job.Status.DONE
    assert finished.heartbeat_at > finished.started_at


def test_a_dead_job_is_marked_failed_when_its_page_is_looked_at(world: Any) -> None:
    queued = Job.objects.create(name="tests.slow_rows", params={"n": 1}, org=world.orgs["branch"])
    _dead(queued)
    page = world.client("secretary").get(reverse("portal:job", kwargs={"job_id": queued.pk}))
    assert "任务中断" in page.content.decode()
    assert Job.objects.get(pk=queued.pk).status == Job.Status.FAILED


def test_a_live_job_is_left_alone(settings: Any) -> None:
    queued = Job.objects.create(name="tests.slow_rows", params={"n": 1})
    _dead(queued, seconds=5)
    assert sweep_stale_jobs() == 0
    assert live_progress(Job.objects.get(pk=queued.pk)).status == Job.Status.RUNNING


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="in-process path: the retried job runs in the request")
def test_a_roster_import_killed_mid_way_can_be_started_again(world: Any) -> None:
    """The review's case: "导入中 0%" forever after a kill, and a retry that quietly did nothing."""
    secretary = world.users["secretary"]
    upload = uploads.create_upload(
        org=world.orgs["branch"], by=secretary, filename="名册.xlsx", content=xlsx([member_row(1, "张三")])
    )
    uploads.confirm_columns(upload=upload, by=secretary, chosen=uploads.chosen_columns(upload))  # checked at once
    upload.refresh_from_db()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transaction, "on_commit", lambda func, *a, **k: None)  # the server dies before the job runs
        uploads.queue_commit(upload=upload, by=secretary, skip_invalid=False)
    upload.refresh_from_db()
    _dead(upload.job)
    client = world.client("secretary")
    client.get(reverse("portal:job", kwargs={"job_id": upload.job.pk}))  # the polling card notices
    preview = client.get(reverse("org:roster_preview", kwargs={"upload_id": upload.pk})).content.decode()
    assert reverse("org:roster_commit", kwargs={"upload_id": upload.pk}) in preview
    client.post(reverse("org:roster_commit", kwargs={"upload_id": upload.pk}), {})
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.COMMITTED
    assert world.orgs["branch"].people.filter(name="张三").count() == 1


def test_a_redelivered_message_does_not_run_a_job_twice() -> None:
    calls.clear()
    queued = Job.objects.create(name="tests.slow_rows", params={"n": 2})
    run_job(queued.pk)
    run_job(queued.pk)  # acks_late: the same message again
    assert calls == [2] and OrgUnit.objects.count() == 2


def test_a_redelivered_message_leaves_a_job_alive_elsewhere_alone() -> None:
    calls.clear()
    queued = Job.objects.create(name="tests.slow_rows", params={"n": 2})
    _dead(queued, seconds=1)
    assert run_job(queued.pk).status == Job.Status.RUNNING and calls == []


def test_a_redelivered_message_takes_over_a_dead_job_once() -> None:
    calls.clear()
    queued = Job.objects.create(name="tests.slow_rows", params={"n": 3})
    _dead(queued)
    taken = run_job(queued.pk)
    assert (taken.status, taken.attempts, calls) == (Job.Status.DONE, 2, [3])
    again = Job.objects.create(name="tests.slow_rows", params={"n": 3})
    _dead(again)
    Job.objects.filter(pk=again.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    assert run_job(again.pk).status == Job.Status.RUNNING  # tried enough: the sweep will fail it
    assert sweep_stale_jobs() == 1


def test_with_the_broker_and_cache_down_a_job_still_runs(settings: Any, monkeypatch: Any) -> None:
    from celery import Celery
    from django.core.cache.backends.redis import RedisCache

    dead = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    settings.REDIS_URL = dead
    monkeypatch.setattr(jobs, "current_app", Celery("down", broker=dead, set_as_current=False))
    monkeypatch.setattr(jobs, "cache", RedisCache(dead, {}))
    with transaction.atomic():
        queued = enqueue("tests.slow_rows", n=4)
    done = Job.objects.get(pk=queued.pk)
    assert done.status == Job.Status.DONE and OrgUnit.objects.count() == 4


# With a real Celery worker (the Celery pass of .ci/run)


def _worker(**env: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    root = Path(settings.BASE_DIR)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pingyi",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--include=pingyi.core.tests.test_jobs_that_die",
        ],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(root),
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PINGYI_JOB_HEARTBEAT_SECONDS": "0.5",
            "PINGYI_JOB_STALE_SECONDS": "3",
            "PINGYI_CELERY_VISIBILITY_TIMEOUT": "5",
            **env,
        },
    )


def _wait(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _kill_mid_job(n: int) -> Job:
    worker = _worker()
    try:
        with transaction.atomic():
            queued = enqueue("tests.slow_rows", n=n, pause=0.3)
        assert _wait(lambda: Job.objects.get(pk=queued.pk).status == Job.Status.RUNNING, 60)
        time.sleep(1.5)  # some rows written inside the job's open transaction
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert OrgUnit.objects.count() == 0, "the killed worker's transaction rolled back"
    return queued


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs this against the local Redis)")
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="needs PostgreSQL")
def test_a_job_killed_with_its_worker_resumes_or_fails_cleanly_exactly_once() -> None:
    """After the kill, either the new worker's start-up sweep fails the job first (then its redelivered message
    does nothing, and the user's retry runs it), or the redelivered message finds it dead first and runs it
    again. Which comes first is a race between the worker's start-up and the broker's visibility timeout;
    either way the nodes are made exactly once."""
    queued = _kill_mid_job(20)
    worker = _worker()
    try:
        assert _wait(lambda: Job.objects.get(pk=queued.pk).finished, 60)
        first = Job.objects.get(pk=queued.pk)
        if first.status == Job.Status.FAILED:
            assert "任务中断" in first.message
            time.sleep(8)  # past the visibility timeout: the redelivered message finds the job failed
            assert Job.objects.get(pk=queued.pk).status == Job.Status.FAILED
            assert OrgUnit.objects.count() == 0
            with transaction.atomic():
                retried = enqueue("tests.slow_rows", n=20)  # what the page's retry does
            assert _wait(lambda: Job.objects.get(pk=retried.pk).finished, 60)
            assert Job.objects.get(pk=retried.pk).status == Job.Status.DONE
        else:
            assert (first.status, first.attempts) == (Job.Status.DONE, 2)
            time.sleep(3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert OrgUnit.objects.count() == 20
