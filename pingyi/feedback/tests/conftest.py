from typing import Any

import pytest

from pingyi.campaigns import progress


@pytest.fixture
def record(monkeypatch: Any) -> dict[str, set[int]]:
    """Only these providers exist during the test: `record["exams.sat"] = {ids}` marks those people done.
    Other apps' providers are set aside so a draft depends on nothing but what the test states."""
    done: dict[str, set[int]] = {}
    rules: dict[str, progress.RegisteredRule] = {}
    for name in ["study.attendance", "exams.sat", "study.lecture_given"]:

        def provider(item: Any, people: Any, name: str = name) -> set[int]:
            return set(people.filter(pk__in=done.get(name, set())).values_list("pk", flat=True))

        rules[name] = progress.RegisteredRule(name=name, label=name, func=provider)
    feedback_rule = progress.get_rule("feedback.acknowledged")
    assert feedback_rule is not None
    rules[feedback_rule.name] = feedback_rule
    monkeypatch.setattr(progress, "_rules", rules)
    return done
