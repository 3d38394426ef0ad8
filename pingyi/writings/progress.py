"""Progress providers: a writing work item is done by a member once their piece is accepted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import REFLECTION_RULE, SELF_ANALYSIS_RULE, Writing

# What a piece still needs, by its state, in the member's words.
LEFT: dict[str, Any] = {
    Writing.Status.DRAFT: _("已写草稿，尚未提交"),
    Writing.Status.SUBMITTED: _("已提交，等待审阅"),
    Writing.Status.RETURNED: _("已退回，请修改后重新提交"),
}


def _report(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Done once enough pieces are accepted; started with any piece; what is left says where the piece stands."""
    minimum = int(item.params.get("min_count", 1) or 1)
    accepted: dict[int, int] = {}
    accepted_on: dict[int, date] = {}
    latest: dict[int, str] = {}
    pieces = Writing.objects.filter(work_item=item, author__in=people.values("pk")).order_by("id")
    for author, status, at in pieces.values_list("author", "status", "accepted_at"):
        if status == Writing.Status.ACCEPTED:
            accepted[author] = accepted.get(author, 0) + 1
            if at and accepted[author] == minimum:
                accepted_on[author] = timezone.localdate(at)
        else:
            latest[author] = status
    done = {pk for pk, n in accepted.items() if n >= minimum}
    left = {pk: str(LEFT[status]) for pk, status in latest.items() if pk not in done}
    return Report(done=done, started=set(latest) | set(accepted), left=left, done_on=accepted_on)


@register_rule(REFLECTION_RULE, _("学习心得经审阅通过"), url_name="writings:campaign")
def reflection_accepted(item: WorkItem, people: QuerySet[Person]) -> Report:
    return _report(item, people)


@register_rule(SELF_ANALYSIS_RULE, _("党性分析材料经审阅通过"), url_name="writings:campaign")
def self_analysis_accepted(item: WorkItem, people: QuerySet[Person]) -> Report:
    return _report(item, people)
