from celery import shared_task

from .jobs import RUN_JOB_TASK, run_job


@shared_task(name=RUN_JOB_TASK)
def run_job_task(job_id: str) -> None:
    run_job(job_id)
