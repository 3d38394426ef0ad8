import pytest

from pingyi.core.hooks import DEMO
from pingyi.exams.models import AnswerSheet, Question, Sitting
from pingyi.portal.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_test_is_marked_and_shows_the_sources_28_of_29_and_an_open_paper() -> None:
    seed_demo(only={"exams"})
    assert Question.objects.count() >= 100 and all(q.is_demo for q in Question.objects.all())
    held = Sitting.objects.get(makeup_of__isnull=True, work_item__isnull=False)
    assert DEMO in held.title and held.is_demo
    assert AnswerSheet.objects.filter(sitting=held, submitted_at__isnull=False).count() == 28
    assert Sitting.objects.filter(makeup_of=held).get().seats.get().reason
    assert Sitting.objects.filter(work_item__isnull=True).get().is_open()
    seed_demo(only={"exams"})
    assert Sitting.objects.count() == 3
