from typing import Any

import pytest
from django.core.management import call_command

from pingyi.core.hooks import DEMO
from pingyi.originality.models import CorpusDocument, Report

pytestmark = pytest.mark.django_db


def test_demo_library_is_marked_and_shows_a_copied_passage(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the writings' checks run once the demo commits
        call_command("seed_demo", verbosity=0)
    library = CorpusDocument.objects.filter(kind="library")
    assert library.count() == 3
    assert all(doc.is_demo and DEMO in doc.title for doc in library)
    copied = [r for r in Report.objects.all() if any("组织工作贵在细致" in s["title"] for s in r.sources)]
    assert copied and copied[-1].copied_chars > 20

    reports = Report.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    assert CorpusDocument.objects.filter(kind="library").count() == 3
    assert Report.objects.count() == reports
