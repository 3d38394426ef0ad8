"""python manage.py rebuild_originality_index: refill the fingerprint index from the stored texts."""

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pingyi.core.jobs import progress_bar
from pingyi.core.models import Job
from pingyi.originality import services


class Command(BaseCommand):
    help = "Rebuild the fingerprint index (needed after changing ORIGINALITY_K or ORIGINALITY_W), then re-check."

    def handle(self, *args: Any, **options: Any) -> None:
        draw = progress_bar(cast(TextIO, self.stderr._out))
        shown = Job(name="originality.reindex")

        def progress(done: int, total: int) -> None:
            shown.done, shown.total = done, total
            draw(shown)

        count = services.rebuild_index(by="rebuild_originality_index", progress=progress)
        self.stdout.write(_("已重建%(n)d篇文档的指纹") % {"n": count})
        checked = services.recheck_writings(by="rebuild_originality_index", progress=progress)
        self.stdout.write(_("重新检测文稿 %(n)d 篇") % {"n": checked})
