from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Branch progress, the supervision roll-up and stage summaries: reads across every domain app."""

    name = "pingyi.reports"
    label = "reports"
    verbose_name = _("进展与总结")

    def ready(self) -> None:
        from pingyi.core.audit import recorded

        from .tallies import follow_move, mark_dirty

        # Any audited write under a node may change the figures of the campaigns covering it.
        recorded.connect(mark_dirty, dispatch_uid="reports.mark_dirty")
        # A moved node takes its branches' sums with it (models.NodeTally).
        recorded.connect(follow_move, dispatch_uid="reports.follow_move")
