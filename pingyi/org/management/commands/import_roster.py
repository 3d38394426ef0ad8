"""python manage.py import_roster FILE --org CODE [--dry-run] [--skip-invalid]"""

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.core.jobs import progress_bar
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit
from pingyi.org.roster.importer import import_roster
from pingyi.org.roster.uploads import JOB_NAME


class Command(BaseCommand):
    help = "Import an Excel (.xlsx) roster into an organisation node; nothing is written unless every row is valid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="code of the importing node")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip the bad ones")

    def handle(self, *args: Any, **options: Any) -> None:
        org = OrgUnit.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("找不到代码为 %(code)s 的组织") % {"code": options["org"]})
        path: Path = options["file"]
        if path.suffix.lower() != ".xlsx" or not path.is_file():
            raise CommandError(_("请给出一个 Excel .xlsx 文件：%(path)s") % {"path": path})
        result = import_roster(
            data=path.read_bytes(),
            org=org,
            by="import_roster",
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            progress=self._bar(),
        )
        for error in result.errors:
            where = _("第%(row)d行") % {"row": error.row} if error.row else _("整个文件")
            self.stderr.write(f"{where} {error.column}：{error.message}")
        if result.errors and not options["skip_invalid"]:
            raise CommandError(_("有 %(n)d 行有错误，没有导入任何数据") % {"n": result.error_rows}, returncode=1)
        summary = (
            _("新增 %(created)d 人，更新 %(updated)d 人，无变化 %(unchanged)d 人，跳过 %(skipped)d 行")
            % result.as_dict()
        )
        prefix = _("检查通过（未写入）：") if options["dry_run"] else _("导入完成：")
        self.stdout.write(prefix + summary)

    def _bar(self) -> Any:
        # An unsaved Job carries the counts the shared bar draws; the command needs no queue.
        draw = progress_bar(cast(TextIO, self.stderr._out))
        shown = Job(name=JOB_NAME)

        def progress(done: int, total: int) -> None:
            shown.done, shown.total = done, total
            draw(shown)

        return progress
