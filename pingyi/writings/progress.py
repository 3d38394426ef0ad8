"""Progress providers: a writing work item is done by a member once their piece is accepted."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .models import REFLECTION_RULE, SELF_ANALYSIS_RULE, Writing


def _accepted_authors(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    minimum = int(item.params.get("min_count", 1) or 1)
    return (
        Writing.objects.filter(work_item=item, author__in=people.values("pk"), status=Writing.Status.ACCEPTED)
        .values("author")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("author", flat=True)
    )


@register_rule(REFLECTION_RULE, _("学习心得经审阅通过"), url_name="writings:campaign")
def reflection_accepted(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    return _accepted_authors(item, people)


@register_rule(SELF_ANALYSIS_RULE, _("党性分析材料经审阅通过"), url_name="writings:campaign")
def self_analysis_accepted(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    return _accepted_authors(item, people)
