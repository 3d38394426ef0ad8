"""One interface for background work.

    @job("org.import_roster")
    def import_roster_job(ctx: JobContext, *, upload_id: int) -> dict: ...

    job = enqueue("org.import_roster", by=user, org=org, upload_id=7)

In-process by default (the job runs right after the enqueuing transaction
commits); with REDIS_URL set it goes to Celery (docs/adr/0008-jobs.md). Each app's `jobs.py`
is imported at start-up (CoreConfig.ready), so web and worker know the same jobs.

Progress goes to the cache (Redis in production), not the Job row: a job that
writes in one transaction would otherwise hide its progress until it ends.
Pages poll `live_progress(job)` (htmx); commands print a bar.

A job that dies with its process (a killed worker, a restarted server) is noticed: while it runs, a
thread writes its heartbeat to the Job row; a running job whose heartbeat is older than JOB_STALE_SECONDS
is marked failed (`sweep_stale_jobs`: when its page is looked at, when a worker starts, every minute from
Celery beat, and `manage.py sweep_jobs`), and the page that started it offers to start it again. A job
function must therefore be safe to run again: its writes are transactions that rolled back with the dead
process, or it skips what is already done. A redelivered Celery message (acks_late) runs the job only if
no other run holds it: it claims the row with a conditional UPDATE, so a job runs exactly once at a time,
and a job already failed, done or alive elsewhere is left alone (docs/adr/0008).
"""

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TextIO

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import user_of
from .models import Job

log = logging.getLogger(__name__)

RUN_JOB_TASK = "pingyi.run_job"  # the Celery task in celery_tasks.py
JobFunc = Callable[..., dict]
_registry: dict[str, JobFunc] = {}


def job(name: str) -> Callable[[JobFunc], JobFunc]:
    def register(func: JobFunc) -> JobFunc:
        _registry[name] = func
        return func

    return register


def _progress_key(job_id: Any) -> str:
    return f"pingyi:job-progress:{job_id}"


class JobContext:
    """Handed to a job function so it can report progress."""

    def __init__(self, job: Job, on_progress: Callable[[Job], None] | None = None) -> None:
        self.job = job
        self._on_progress = on_progress
        self._last_published = -1

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.job.done, self.job.total = done, total
        if message:
            self.job.message = message
        # Publish about every 1% so a 100,000-row job does not write 100,000 times.
        step = max(total // 100, 1)
        if done == total or done - self._last_published >= step:
            _cache_quietly(cache.set, _progress_key(self.job.pk), (done, total, self.job.message), timeout=24 * 3600)
            self._last_published = done
        if self._on_progress:
            self._on_progress(self.job)


def _cache_quietly(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Progress is a courtesy: with the cache (Redis) down, the job goes on and pages show less."""
    try:
        return call(*args, **kwargs)
    except Exception:  # the cache backend's own connection errors; nothing of the job depends on them
        log.warning("job progress: the cache is not reachable", exc_info=True)
        return None


def live_progress(job: Job) -> Job:
    """The job with its latest published progress, while it runs; a job whose process died is marked failed."""
    if job.status == Job.Status.RUNNING and _is_stale(job):
        sweep_stale_jobs(Job.objects.filter(pk=job.pk))
        job.refresh_from_db()
    if not job.finished:
        published = _cache_quietly(cache.get, _progress_key(job.pk))
        if published:
            job.done, job.total, job.message = published
    return job


def enqueue(name: str, *, by: Any = None, org: Any = None, **params: Any) -> Job:
    if name not in _registry:
        raise KeyError(f"unknown job {name}")
    new = Job.objects.create(name=name, params=params, created_by=user_of(by), org=org)
    if settings.REDIS_URL:
        transaction.on_commit(lambda: _send(new.pk))
    else:
        transaction.on_commit(lambda: run_job(new.pk))
    return new


def _send(job_id: Any) -> None:
    """Hand the job to Celery; with the broker unreachable, run it here rather than lose it."""
    try:
        # By name, so this module needs no import of the task module that imports it (celery_tasks.py).
        current_app.send_task(RUN_JOB_TASK, args=[str(job_id)], retry=False)
    except Exception:  # kombu's and redis' connection errors: the broker is down
        log.warning("job %s: the broker is not reachable, running it in this process", job_id, exc_info=True)
        run_job(job_id)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def _is_stale(job: Job) -> bool:
    beat = job.heartbeat_at or job.started_at or job.created_at
    return beat is not None and beat < timezone.now() - stale_after()


def _claim(job_id: Any) -> bool:
    """Take the job for this run: a queued one, or a running one whose process died (its heartbeat is stale)."""
    now = timezone.now()
    fresh = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED)
    dead = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts__lt=settings.JOB_MAX_ATTEMPTS).filter(
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True, created_at__lt=now - stale_after())
    )
    changes = {"status": Job.Status.RUNNING, "started_at": now, "heartbeat_at": now, "attempts": F("attempts") + 1}
    return bool(fresh.update(**changes) or dead.update(**changes))


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat from its own database connection, outside the job's transaction."""

    def __init__(self, job_id: Any) -> None:
        super().__init__(name=f"job-heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # SQLite busy with the job's own write: the next beat will do
                    log.info("job %s: heartbeat skipped", self.job_id, exc_info=True)
        finally:
            connection.close()


def run_job(job_id: Any, on_progress: Callable[[Job], None] | None = None) -> Job:
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)  # done, failed, or running elsewhere: a redelivery changes nothing
    current = Job.objects.get(pk=job_id)
    heartbeat = _Heartbeat(current.pk)
    heartbeat.start()
    try:
        result = _registry[current.name](JobContext(current, on_progress), **current.params)
    except Exception as exc:  # the job's own transaction has rolled back; record why for the page
        log.exception("job %s failed", current.name)
        current.status = Job.Status.FAILED
        current.message = str(exc) or exc.__class__.__name__
        current.result = {"traceback": traceback.format_exc(limit=5)}
    else:
        current.status = Job.Status.DONE
        current.result = result or {}
        current.done = current.total
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    current.finished_at = timezone.now()
    current.save(update_fields=["status", "message", "result", "done", "total", "finished_at"])  # not the heartbeat
    _cache_quietly(cache.delete, _progress_key(current.pk))
    return current


def sweep_stale_jobs(jobs: Any = None) -> int:
    """Mark failed every running job whose process stopped beating; returns how many. Safe to run anywhere."""
    now = timezone.now()
    running = (jobs if jobs is not None else Job.objects.all()).filter(status=Job.Status.RUNNING)
    stale = running.filter(
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True, created_at__lt=now - stale_after())
    )
    return stale.update(
        status=Job.Status.FAILED,
        finished_at=now,
        message=_("任务中断：处理它的进程已停止（服务器重启或进程被终止），所做的改动已全部撤销。请刷新页面后重试。"),
    )


def progress_bar(stream: TextIO = sys.stderr, width: int = 30) -> Callable[[Job], None]:
    """A command-line progress bar for run_job(on_progress=...)."""

    def draw(current: Job) -> None:
        total = current.total or 1
        filled = int(width * current.done / total)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {current.done}/{current.total}")
        if current.done >= current.total:
            stream.write("\n")
        stream.flush()

    return draw
