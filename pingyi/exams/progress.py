"""Progress provider for the work item "参加百题测试": done = submitted a sheet of a sitting held for the item
(in its window or a make-up); started = a sheet in progress. Excusals come from the campaigns app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import AnswerSheet


@register_rule("exams.sat", _("参加测试并交卷"), url_name="exams:campaign")
def sat(item: WorkItem, people: QuerySet[Person]) -> Report:
    sheets = AnswerSheet.objects.filter(sitting__work_item=item, person__in=people)
    done: dict[int, object] = {}
    started: set[int] = set()
    for person_id, submitted_at in sheets.values_list("person_id", "submitted_at"):
        if submitted_at is not None:
            done[person_id] = timezone.localdate(submitted_at)
        else:
            started.add(person_id)
    return Report(done=set(done), started=started - set(done), done_on=done)  # type: ignore[arg-type]
