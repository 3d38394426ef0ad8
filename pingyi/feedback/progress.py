"""Work-item progress: written feedback counts as delivered when the member has acknowledged it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import Feedback, FeedbackStatus

DELIVERED = [s for s in FeedbackStatus.values if s != FeedbackStatus.DRAFT]


@register_rule("feedback.acknowledged", _("本人已确认书面反馈"), url_name="feedback:campaign")
def feedback_acknowledged(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Done when the member has acknowledged the written feedback; started once it has reached them."""
    rows = Feedback.objects.filter(campaign_id=item.stage.campaign_id, person__in=people, status__in=DELIVERED)
    done: set[int] = set()
    waiting: set[int] = set()
    for person, acknowledged in rows.values_list("person_id", "acknowledged_at"):
        (done if acknowledged else waiting).add(person)
    return Report(done=done, started=waiting, left=dict.fromkeys(waiting, str(_("书面反馈已送达，请阅读并确认"))))
