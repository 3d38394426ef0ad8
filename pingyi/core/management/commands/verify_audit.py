"""python manage.py verify_audit [--against ID:HASH ...] [--anchors FILE]"""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.core.audit import Anchor, ChainBreak, check_anchors, read_anchor_file, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and report the first broken link; with --against or --anchors, also "
        "check that heads written down earlier (on notices, in the anchor file) are still in the chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="a head written down earlier (entry id and hash, or the hash alone); may be repeated",
        )
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            default=None,
            help="an anchor file (default: settings.AUDIT_ANCHOR_FILE when it exists)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(self._explain(broken, checked))
        anchors = [Anchor.parse(text) for text in options["against"]]
        path = options["anchors"] or settings.AUDIT_ANCHOR_FILE
        if path and (options["anchors"] or os.path.exists(path)):
            try:
                anchors += read_anchor_file(path)
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(_("无法读取锚点文件 %(path)s：%(error)s") % {"path": path, "error": exc}) from exc
        missing = check_anchors(anchors)
        if missing is not None:
            raise CommandError(
                _(
                    "审计链与此前记下的校验值 %(anchor)s 不符：该记录已不在链中，链在此之后被删减或整体重建过。"
                    "此前 %(n)d 条记录自身首尾相接，但不可信。"
                )
                % {"anchor": missing.detail, "n": checked}
            )
        message = _("审计链完整：已核对 %(n)d 条记录。") % {"n": checked}
        if anchors:
            message += _("与此前记下的 %(k)d 个校验值相符。") % {"k": len(anchors)}
        self.stdout.write(self.style.SUCCESS(message))

    def _explain(self, broken: ChainBreak, checked: int) -> str:
        if broken.reason == "tail":
            return _("审计链在末尾断开：最后的记录被删除了（已核对 %(n)d 条）。") % {"n": checked}
        if broken.reason.startswith("legacy_"):
            return _("审计链在第 %(id)d 条记录处断开：改用密钥校验之前，这条记录已被改动或前一条被删除。") % {
                "id": broken.entry_id
            }
        what = _("记录内容被改动") if broken.reason == "hash" else _("与前一条记录的链接断开（前一条被删除或改动）")
        return _("审计链在第 %(id)d 条记录处断开：%(what)s。此前 %(n)d 条完好。") % {
            "id": broken.entry_id,
            "what": what,
            "n": checked,
        }
