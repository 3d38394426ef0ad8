"""Progress provider for the campaign work item "开展谈心谈话": done = owes no required talk."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .selectors import coverage_for


@register_rule("talks.covered", _("谈心谈话已覆盖应谈的每一对"), url_name="talks:campaign")
def talked(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    campaign = Campaign.objects.select_related("org").get(pk=item.stage.campaign_id)
    return coverage_for(campaign).done_ids()  # the caller keeps only the people it asked about
