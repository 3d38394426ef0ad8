"""python manage.py import_questions FILE --bank NAME [--org CODE] [--format xlsx|aiken|gift] [--background]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pingyi.org.models import OrgUnit

from ...importers import FORMATS, Problems
from ...models import QuestionBank
from ...services import create_bank, import_questions, queue_import


class Command(BaseCommand):
    help = "Import questions into a bank (created if missing): all of the file, or nothing, each problem named by line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--bank", required=True, help="the bank's name")
        parser.add_argument("--org", help="the code of the bank's node (needed when the name is not unique)")
        parser.add_argument("--format", choices=FORMATS, default="")
        parser.add_argument("--background", action="store_true", help="run as a job with progress (large files)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        bank = self._bank(options["bank"], options.get("org"))
        if options["background"]:
            upload = queue_import(
                bank=bank, data=path.read_bytes(), filename=path.name, fmt=options["format"], by="import_questions"
            )
            self.stdout.write(f"job {upload.job_id} queued")
            return
        try:
            result = import_questions(
                bank=bank, data=path.read_bytes(), filename=path.name, fmt=options["format"], by="import_questions"
            )
        except Problems as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported") from exc
        self.stdout.write(self.style.SUCCESS(f"{result.created} questions imported into {bank.name}"))

    def _bank(self, name: str, org_code: str | None) -> QuestionBank:
        banks = QuestionBank.objects.filter(name=name)
        if org_code:
            banks = banks.filter(org__code=org_code)
        found = list(banks[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CommandError("several banks have that name: give --org")
        if not org_code:
            raise CommandError("no bank of that name: give --org to create it")
        org = OrgUnit.objects.filter(code=org_code).first()
        if org is None:
            raise CommandError(f"no node with code {org_code}")
        return create_bank(org=org, name=name, by="import_questions")
