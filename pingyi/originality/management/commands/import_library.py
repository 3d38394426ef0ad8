"""python manage.py import_library PATH [--org CODE] [--no-recheck]"""

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.core.jobs import progress_bar
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit
from pingyi.originality import services
from pingyi.originality.library import SUFFIXES, LibraryFileError, LibraryItem, read_library_file


class Command(BaseCommand):
    help = (
        "Import .txt/.docx/.html files, a .zip of them, or a folder into the reference library, then re-check writings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--org", help="code of the importing node (recorded with the texts)")
        parser.add_argument("--no-recheck", action="store_true", help="do not re-check the writings afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["org"]:
            org = OrgUnit.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(_("找不到代码为 %(code)s 的组织") % {"code": options["org"]})
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("找不到文件或目录：%(path)s") % {"path": path})
        files = (
            sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES | {".zip"}) if path.is_dir() else [path]
        )
        items: list[LibraryItem] = []
        for file in files:
            try:
                items += read_library_file(file.name, file.read_bytes())
            except LibraryFileError as exc:
                raise CommandError(f"{file}: {exc}") from exc
        result = services.import_library(items=items, org=org, by="import_library")
        self.stdout.write(
            _("导入完成：新增 %(added)d 篇，跳过重复 %(duplicates)d 篇")
            % {"added": result.added, "duplicates": result.duplicates}
        )
        if not options["no_recheck"] and result.added:
            checked = services.recheck_writings(by="import_library", progress=self._bar())
            self.stdout.write(_("重新检测文稿 %(n)d 篇") % {"n": checked})

    def _bar(self) -> Any:
        draw = progress_bar(cast(TextIO, self.stderr._out))
        shown = Job(name=services.RECHECK_JOB)

        def progress(done: int, total: int) -> None:
            shown.done, shown.total = done, total
            draw(shown)

        return progress
