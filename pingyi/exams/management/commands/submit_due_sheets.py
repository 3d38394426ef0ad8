"""Submit every online answer sheet whose time has run out (also done on the sheet's next request)."""

from typing import Any

from django.core.management.base import BaseCommand

from ...services import submit_due_sheets


class Command(BaseCommand):
    help = "Submit answer sheets whose time limit has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{submit_due_sheets()} sheet(s) submitted")
