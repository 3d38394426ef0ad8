from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.core.backup import BackupError, make_backup, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the uploads into a timestamped directory with a manifest (pingyi.core.backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="directory to write into (default: settings.BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="then remove all but this many newest backups there")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = make_backup(output=options["output"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = read_manifest(path)
        self.stdout.write(
            _("已备份到 %(path)s：%(tables)d 张表，共 %(rows)d 行；审计链头 %(head)s。")
            % {
                "path": path,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "head": manifest["audit_head"] or "-",
            }
        )
