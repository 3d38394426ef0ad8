from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pingyi.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(_("审计链完整：已核对 %(n)d 条记录。") % {"n": checked}))
            return
        if broken.reason == "tail":
            raise CommandError(_("审计链在末尾断开：最后的记录被删除了（已核对 %(n)d 条）。") % {"n": checked})
        what = _("记录内容被改动") if broken.reason == "hash" else _("与前一条记录的链接断开（前一条被删除或改动）")
        raise CommandError(
            _("审计链在第 %(id)d 条记录处断开：%(what)s。此前 %(n)d 条完好。")
            % {"id": broken.entry_id, "what": what, "n": checked}
        )
