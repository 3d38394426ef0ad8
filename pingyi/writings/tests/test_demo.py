from typing import Any

import pytest
from django.core.management import call_command

from pingyi.core.hooks import DEMO
from pingyi.writings.models import Review, Writing

pytestmark = pytest.mark.django_db


def test_demo_writings_are_marked_and_show_every_state(settings: Any) -> None:
    settings.WRITING_LENGTHS = {}  # the shipped length limits: the demo's pieces are as long as real ones
    call_command("seed_demo")
    writings = Writing.objects.select_related("author")
    assert writings.exists() and all(w.is_demo and DEMO in w.title and DEMO in w.text for w in writings)
    reflections = writings.filter(kind="reflection")
    assert reflections.filter(status="accepted").count() >= 3
    returned = reflections.get(status="returned")
    assert Review.objects.get(writing=returned, decision="returned").comment
    assert not reflections.filter(author__name="冯志刚").exists()  # the member away from home has not written
    analysis = writings.get(kind="self_analysis")
    assert analysis.needs_supervision and analysis.status == "submitted" and analysis.author.name == "张建国"
    call_command("seed_demo")
    assert Writing.objects.count() == writings.count()
