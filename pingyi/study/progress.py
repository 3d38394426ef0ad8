"""Progress providers for the study stage's work items, counted from the registers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .kinds import ATTEND, LECTURE
from .selectors import attended_counts, kind_ids_for, lecturers_in


@register_rule(ATTEND, _("参加集中学习达到规定次数"), url_name="study:campaign")
def attended(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Sessions of the stage attended (present, late, remote) or missed and made up; `kind` narrows to one kind."""
    minimum = int(item.params.get("min_sessions", 1))
    kind_ids = kind_ids_for(ATTEND, item.params.get("kind", ""))
    counts = attended_counts(item.stage, kind_ids=kind_ids, people=people)
    short = {pk: minimum - counts.get(pk, 0) for pk in people.values_list("pk", flat=True)}
    return Report(
        done={pk for pk, n in short.items() if n <= 0},
        started={pk for pk, n in short.items() if n > 0 and counts.get(pk)},
        left={pk: ngettext("还差 %(n)d 次", "还差 %(n)d 次", n) % {"n": n} for pk, n in short.items() if n > 0},
    )


@register_rule(LECTURE, _("讲党课或作辅导"), url_name="study:campaign")
def lectured(item: WorkItem, people: QuerySet[Person]) -> Report:
    return Report(done=lecturers_in(item.stage, people))
