"""Progress provider for the campaign work item "开展谈心谈话": done = owes no required talk."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .selectors import coverage_for


@register_rule("talks.covered", _("谈心谈话已覆盖应谈的每一对"), url_name="talks:campaign")
def talked(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Done when a person owes no required talk; what is left says with how many people."""
    campaign = Campaign.objects.select_related("org").get(pk=item.stage.campaign_id)
    coverage = coverage_for(campaign)  # the caller keeps only the people it asked about
    owed = {p.id: len(coverage.owed_ids(p.id)) for p in coverage.people}
    done = coverage.done_ids()
    return Report(
        done=done,
        done_on={pk: day for pk, day in coverage.finished_on().items() if pk in done},
        started=coverage.talked_ids(),
        left={pk: _("还需与 %(n)d 人谈话") % {"n": n} for pk, n in owed.items() if n},
    )
