"""python manage.py sweep_jobs — mark failed the background jobs whose process died (for cron without beat)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pingyi.core.jobs import sweep_stale_jobs


class Command(BaseCommand):
    help = "Mark running jobs whose heartbeat stopped as failed, so their pages offer to start them again."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(_("已将 %(n)d 个中断的任务标记为失败。") % {"n": sweep_stale_jobs()})
