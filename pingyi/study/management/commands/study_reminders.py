"""Remind the people each of tomorrow's activities asks for (one notice a person a day): for cron or beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pingyi.study.reminders import send_reminders


class Command(BaseCommand):
    help = "Send reminders for tomorrow's study activities (a second run the same day sends nothing new)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"study_reminders: activities={sent.activities} queued={sent.queued}")
