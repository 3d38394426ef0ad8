"""Work-item progress: written feedback counts as delivered when the member has acknowledged it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .models import Feedback


@register_rule("feedback.acknowledged", _("本人已确认书面反馈"), url_name="feedback:campaign")
def feedback_acknowledged(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    return set(
        Feedback.objects.filter(
            campaign_id=item.stage.campaign_id, person__in=people, acknowledged_at__isnull=False
        ).values_list("person_id", flat=True)
    )
