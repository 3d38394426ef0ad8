from typing import Any

from celery import shared_task
from celery.signals import worker_init, worker_ready

from .jobs import RUN_JOB_TASK, run_job, sweep_stale_jobs


@shared_task(name=RUN_JOB_TASK)
def run_job_task(job_id: str) -> None:
    run_job(job_id)


@shared_task(name="pingyi.sweep_jobs")
def sweep_jobs_task() -> int:
    return sweep_stale_jobs()


@worker_init.connect
def refuse_development_key(**kwargs: Any) -> None:
    from .checks import refuse_development_key as refuse

    refuse()


@worker_ready.connect
def sweep_at_start(**kwargs: Any) -> None:
    """A worker starting up after a crash finds the jobs its predecessor left running."""
    sweep_stale_jobs()
