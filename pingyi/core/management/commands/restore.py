from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database, then check every table's row count and the "
        "audit head against its manifest. --force replaces a database that has tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a backup directory (pingyi-YYYYmmdd-HHMMSS)")
        parser.add_argument("--force", action="store_true", help="drop what the database holds and replace it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["path"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.mismatches:
            raise CommandError(_("恢复后的数据与备份清单不符：") + "; ".join(result.mismatches))
        self.stdout.write(
            self.style.SUCCESS(
                _("已恢复并核对：%(tables)d 张表，共 %(rows)d 行，与备份清单一致；审计链头 %(head)s。")
                % {"tables": result.tables, "rows": result.rows, "head": result.audit_head or "-"}
            )
        )
