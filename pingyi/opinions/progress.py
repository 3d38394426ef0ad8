"""The work item 征求意见 (rule `opinions.solicited`): leaders go first, so a leader has done it
once they have held a symposium or made a visit in one of the campaign's rounds."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .models import Symposium, Visit


@register_rule("opinions.solicited", _("主持座谈会或走访征求意见"), url_name="opinions:campaign")
def solicited(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    campaign_id = item.stage.campaign_id
    hosts = Symposium.hosts.through.objects.filter(
        symposium__round__campaign_id=campaign_id, person__in=people
    ).values_list("person_id", flat=True)
    visitors = Visit.visitors.through.objects.filter(
        visit__round__campaign_id=campaign_id, person__in=people
    ).values_list("person_id", flat=True)
    return set(hosts) | set(visitors)
