"""python manage.py audit_head — print the audit chain's head, to write down or send to the level above."""

from typing import Any

from django.core.management.base import BaseCommand

from pingyi.core.audit import head


class Command(BaseCommand):
    help = "Print the audit log's head as ID:HASH; `verify_audit --against ID:HASH` checks it later."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(head()))
