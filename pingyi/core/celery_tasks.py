from celery import shared_task

from .jobs import run_job


@shared_task(name="pingyi.run_job")
def run_job_task(job_id: str) -> None:
    run_job(job_id)
