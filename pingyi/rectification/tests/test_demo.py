from django.core.management import call_command

from pingyi.feedback.models import Feedback, FeedbackStatus
from pingyi.rectification.models import FourCheck, ItemStatus, RectificationItem


def test_demo_has_items_in_each_state_one_public_and_delivered_feedback(db) -> None:
    call_command("seed_demo")
    items = RectificationItem.objects.all()
    assert items.exists() and all(i.is_demo for i in items)
    assert {ItemStatus.OPEN, ItemStatus.DONE, ItemStatus.VERIFIED} <= set(items.values_list("status", flat=True))
    assert items.overdue().exists()
    assert [i.public_title.endswith("【演示】") for i in items.published()] == [True]
    assert FourCheck.objects.get().is_demo
    feedback = Feedback.objects.filter(is_demo=True)
    assert feedback.filter(status=FeedbackStatus.SENT, person__user__username="member").count() == 1
    counts = (RectificationItem.objects.count(), Feedback.objects.count())
    call_command("seed_demo")
    assert (RectificationItem.objects.count(), Feedback.objects.count()) == counts
