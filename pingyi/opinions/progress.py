"""The work item 征求意见 (rule `opinions.solicited`): leaders go first, so a leader has done it
once they have held a symposium or made a visit in one of the campaign's rounds."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import Symposium, Visit


@register_rule("opinions.solicited", _("主持座谈会或走访征求意见"), url_name="opinions:campaign")
def solicited(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Done on the day of the leader's first symposium or visit."""
    campaign_id = item.stage.campaign_id
    hosts = Symposium.hosts.through.objects.filter(
        symposium__round__campaign_id=campaign_id, person__in=people
    ).values_list("person_id", "symposium__held_on")
    visitors = Visit.visitors.through.objects.filter(
        visit__round__campaign_id=campaign_id, person__in=people
    ).values_list("person_id", "visit__visited_on")
    first: dict[int, date] = {}
    for person, day in [*hosts, *visitors]:
        first[person] = min(day, first.get(person, day))
    return Report(done=set(first), done_on=first)
