from typing import Any

from celery import shared_task
from celery.signals import worker_init, worker_ready
from django.conf import settings
from django.core.management import call_command

from .jobs import RUN_JOB_TASK, run_job, sweep_stale_jobs


@shared_task(name=RUN_JOB_TASK)
def run_job_task(job_id: str) -> None:
    run_job(job_id)


@shared_task(name="pingyi.sweep_jobs")
def sweep_jobs_task() -> int:
    return sweep_stale_jobs()


@shared_task(name="pingyi.run_command")
def run_command_task(name: str, *args: str) -> None:
    """Periodic work from celery beat (settings.CELERY_BEAT_SCHEDULE): only the commands listed there.

    A failing command (verify_audit finding a broken chain) raises, so the worker logs it as an error.
    """
    if name not in settings.PERIODIC_COMMANDS:
        raise ValueError(f"{name} is not a periodic command")
    call_command(name, *args)


@worker_init.connect
def refuse_development_key(**kwargs: Any) -> None:
    from .checks import refuse_development_key as refuse

    refuse()


@worker_ready.connect
def sweep_at_start(**kwargs: Any) -> None:
    """A worker starting up after a crash finds the jobs its predecessor left running."""
    sweep_stale_jobs()
