from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pingyi.privacy import services


class Command(BaseCommand):
    help = "Clear personal data older than its retention period (settings.PERSONAL_DATA_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would be cleared; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = services.apply_retention(by="apply_retention", dry_run=options["dry_run"])
        for rule in services.retention_rules():
            days = services.retention_days(rule)
            count = cleared.get(rule.key)
            shown = _("永久保存") if not days else (_("%(n)d 条") % {"n": count})
            self.stdout.write(f"{rule.key}\t{days}\t{shown}\t{rule.label}")
        if options["dry_run"]:
            self.stdout.write(_("试运行：没有改动任何数据。"))
