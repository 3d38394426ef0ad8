"""python manage.py originality_check FILE [--org CODE]: the 复制比 of a file, without storing anything."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.org.models import OrgUnit
from pingyi.originality import engine
from pingyi.originality.conf import engine_settings
from pingyi.originality.index import DatabaseStore
from pingyi.originality.library import LibraryFileError, read_library_file
from pingyi.originality.models import CorpusDocument, Verdict

NOWHERE = "//"  # no node's path: without --org only the library is compared


class Command(BaseCommand):
    help = "Check a .txt/.docx/.html file against the library (and the writings under --org) and print the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", help="also compare with the writings under this node")
        parser.add_argument("--top", type=int, default=5, help="how many sources and passages to print")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        scope = NOWHERE
        if options["org"]:
            org = OrgUnit.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(_("找不到代码为 %(code)s 的组织") % {"code": options["org"]})
            scope = org.path
        try:
            items = read_library_file(path.name, path.read_bytes())
        except LibraryFileError as exc:
            raise CommandError(str(exc)) from exc
        if len(items) != 1:
            raise CommandError(_("请给出一个文本文件（.txt、.docx或.html）"))
        text = items[0].text
        cfg = engine_settings()
        result = engine.check(text, DatabaseStore(scope_path=scope, family=""), cfg)
        out = self.stdout.write
        out(_("总复制比：%(p).1f%%") % {"p": result.copied_percent})
        out(_("去除引用复制比：%(p).1f%%") % {"p": result.unquoted_percent})
        verdict = Verdict(engine.verdict(result.unquoted_percent, cfg)).label
        out(_("结论：%(v)s（阈值 %(t).0f%%）") % {"v": verdict, "t": cfg.threshold})
        titles = dict(
            CorpusDocument.objects.filter(pk__in=[s.source for s in result.sources]).values_list("pk", "title")
        )
        urls = dict(
            CorpusDocument.objects.filter(pk__in=[s.source for s in result.sources]).values_list("pk", "source_url")
        )
        out(_("主要来源："))
        for share in result.sources[: options["top"]]:
            out(f"  {share.percent:5.1f}%  {titles[share.source]}  {urls[share.source]}")
        out(_("复制片段："))
        for passage in sorted(result.passages, key=lambda p: -p.chars)[: options["top"]]:
            out(f"  [{titles[passage.source]}] {text[passage.q_start : passage.q_end]}")
