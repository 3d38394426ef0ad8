"""python manage.py purge_roster_uploads [--days N] [--dry-run]: erase uploaded rosters past their retention."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pingyi.org.roster.retention import due, purge_roster_uploads, retention_days


class Command(BaseCommand):
    help = (
        "Erase the files and row errors of uploaded rosters kept longer than PINGYI_ROSTER_RETENTION_DAYS "
        "(30) after their commit, or after the upload when never committed; the counts stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be erased; erase nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = retention_days() if options["days"] is None else options["days"]
        if options["dry_run"]:
            for upload in due(days=days).select_related("org"):
                self.stdout.write(f"{upload.pk}\t{upload.org.code}\t{upload.uploaded_at:%Y-%m-%d}\t{upload.filename}")
            return
        purged = purge_roster_uploads(by="purge_roster_uploads", days=days)
        self.stdout.write(
            _("已删除 %(n)d 份名册文件（%(kb)d KB），保留期 %(days)d 天")
            % {"n": purged.uploads, "kb": purged.bytes // 1024, "days": days}
        )
