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
"""

import logging
import sys
import traceback
from collections.abc import Callable
from typing import Any, TextIO

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

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
            cache.set(_progress_key(self.job.pk), (done, total, self.job.message), timeout=24 * 3600)
            self._last_published = done
        if self._on_progress:
            self._on_progress(self.job)


def live_progress(job: Job) -> Job:
    """The job with its latest published progress, while it runs."""
    if not job.finished:
        published = cache.get(_progress_key(job.pk))
        if published:
            job.done, job.total, job.message = published
    return job


def enqueue(name: str, *, by: Any = None, org: Any = None, **params: Any) -> Job:
    if name not in _registry:
        raise KeyError(f"unknown job {name}")
    new = Job.objects.create(name=name, params=params, created_by=user_of(by), org=org)
    if settings.REDIS_URL:
        # By name, so this module needs no import of the task module that imports it (celery_tasks.py).
        transaction.on_commit(lambda: current_app.send_task(RUN_JOB_TASK, args=[str(new.pk)]))
    else:
        transaction.on_commit(lambda: run_job(new.pk))
    return new


def run_job(job_id: Any, on_progress: Callable[[Job], None] | None = None) -> Job:
    current = Job.objects.get(pk=job_id)
    current.status = Job.Status.RUNNING
    current.save(update_fields=["status"])
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
    current.finished_at = timezone.now()
    current.save()
    cache.delete(_progress_key(current.pk))
    return current


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
