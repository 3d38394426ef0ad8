"""Progress provider for "参加专题组织生活会 / 民主生活会": done = recorded as present at such a meeting."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Audience, WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import Attendee, Kind


@register_rule("meetings.attended", _("出席了生活会"), url_name="meetings:campaign")
def attended(item: WorkItem, people: QuerySet[Person]) -> Report:
    # The templates name the kind in params; without it, the leadership's item means the 民主生活会.
    kind = item.params.get("kind") or (Kind.DEMOCRATIC if item.audience == Audience.LEADERS else Kind.ORGANISATIONAL)
    present = Attendee.objects.filter(
        meeting__campaign_id=item.stage.campaign_id, meeting__kind=kind, present=True, person__in=people
    )
    held = dict(present.values_list("person_id", "meeting__held_on"))
    return Report(done=set(held), done_on=held)
