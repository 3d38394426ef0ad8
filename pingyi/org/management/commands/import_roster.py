"""python manage.py import_roster FILE --org CODE [--map 列名=字段 ...] [--dry-run] [--skip-invalid]"""

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.core.jobs import progress_bar
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit, RosterLayout
from pingyi.org.roster.columns import BY_FIELD, COLUMNS, normalise_header
from pingyi.org.roster.importer import import_roster
from pingyi.org.roster.mapping import IGNORE, Layout, check_mapping, fingerprint, missing_required
from pingyi.org.roster.parsing import RosterFileError, read_layout
from pingyi.org.roster.uploads import JOB_NAME, remembered_columns

IGNORE_WORDS = {"ignore", "-", "skip", "不导入"}
FIELDS = ", ".join(c.field for c in COLUMNS if c.field != "seq")


class Command(BaseCommand):
    help = (
        "Import an Excel (.xlsx) roster into an organisation node; nothing is written unless every row is valid. "
        "Columns are recognised by header and values; --map HEADER=FIELD (or a column letter, e.g. F=status) "
        "overrides one, FIELD 'ignore' leaves it out. Fields: " + FIELDS
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="code of the importing node")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="which field a column holds, e.g. 人员类别=status; repeatable; remembered for this layout",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip the bad ones")

    def handle(self, *args: Any, **options: Any) -> None:
        org = OrgUnit.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(_("找不到代码为 %(code)s 的组织") % {"code": options["org"]})
        path: Path = options["file"]
        if path.suffix.lower() != ".xlsx" or not path.is_file():
            raise CommandError(_("请给出一个 Excel .xlsx 文件：%(path)s") % {"path": path})
        data = path.read_bytes()
        try:
            layout = read_layout(data, remembered_columns(org))
        except RosterFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        chosen = self._chosen(layout, options["map"])
        self._show(layout, chosen)
        result = import_roster(
            data=data,
            org=org,
            by="import_roster",
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            progress=self._bar(),
            chosen=chosen,
        )
        for error in result.errors:
            where = _("第%(row)d行") % {"row": error.row} if error.row else _("整个文件")
            self.stderr.write(f"{where} {error.column}：{error.message}")
        if result.errors and not options["skip_invalid"]:
            n = result.error_rows
            raise CommandError(
                ngettext("有 %(n)d 行有错误，没有导入任何数据", "有 %(n)d 行有错误，没有导入任何数据", n) % {"n": n},
                returncode=1,
            )
        if options["map"] and not options["dry_run"]:
            headers = [c.header for c in layout.columns]
            RosterLayout.objects.update_or_create(
                org=org,
                fingerprint=fingerprint(headers),
                defaults={"headers": headers, "columns": {str(k): v for k, v in chosen.items()}},
            )
        summary = (
            _("新增 %(created)d 人，更新 %(updated)d 人，无变化 %(unchanged)d 人，跳过 %(skipped)d 行")
            % result.as_dict()
        )
        prefix = _("检查通过（未写入）：") if options["dry_run"] else _("导入完成：")
        self.stdout.write(prefix + summary)

    def _chosen(self, layout: Layout, maps: list[str]) -> dict[int, str]:
        chosen = {c.index: c.field for c in layout.columns}
        by_header = {normalise_header(c.header): c for c in layout.columns}
        by_letter = {c.letter: c for c in layout.columns}
        for item in maps:
            key, sep, value = item.partition("=")
            field = value.strip()
            column = by_header.get(normalise_header(key)) or by_letter.get(key.strip().upper())
            if not sep or column is None:
                raise CommandError(
                    _("--map %(item)s：表头中没有这一列（可写列名或列字母，如 人员类别=status 或 F=status）")
                    % {"item": item}
                )
            if field in IGNORE_WORDS:
                field = IGNORE
            elif field not in BY_FIELD or field == "seq":
                message = _("--map %(item)s：字段应为 %(fields)s 或 ignore") % {"item": item, "fields": FIELDS}
                raise CommandError(message)
            chosen[column.index] = field
        clashes = check_mapping(chosen)
        if clashes:
            raise CommandError(next(iter(clashes.values())))
        missing = missing_required(chosen)
        if missing:
            raise CommandError(_("没有对应“%(fields)s”的列；请用 --map 指定") % {"fields": "、".join(missing)})
        return chosen

    def _show(self, layout: Layout, chosen: dict[int, str]) -> None:
        """The mapping the check uses, so whoever runs the command sees it before the result."""
        self.stderr.write(_("表头在第%(row)d行，列的对应关系：") % {"row": layout.header_row})
        for column in layout.columns:
            field = chosen[column.index]
            target = f"{BY_FIELD[field].header} ({field})" if field else _("不导入")
            how = column.how_label if field == column.field else _("手动设置")
            self.stderr.write(f"  {column.letter} {column.header or '-'} → {target}  [{how}]")

    def _bar(self) -> Any:
        # An unsaved Job carries the counts the shared bar draws; the command needs no queue.
        draw = progress_bar(cast(TextIO, self.stderr._out))
        shown = Job(name=JOB_NAME)

        def progress(done: int, total: int) -> None:
            shown.done, shown.total = done, total
            draw(shown)

        return progress
