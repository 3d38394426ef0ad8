"""Celery app, used only when REDIS_URL is set (see pingyi.core.jobs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingyi.settings")

app = Celery("pingyi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["pingyi.core"], related_name="celery_tasks")
