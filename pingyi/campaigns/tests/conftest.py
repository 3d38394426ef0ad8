from collections.abc import Iterator
from typing import Any

import pytest

from pingyi.campaigns import progress


@pytest.fixture
def rule_done_by() -> Iterator[dict[str, set[int]]]:
    """Register test providers: `done["study.attendance"] = {person ids}` marks those people done."""
    done: dict[str, set[int]] = {}
    names = ["study.attendance", "exams.sat", "study.lecture_given"]
    saved = {name: progress.get_rule(name) for name in names}  # an app may provide these for real
    for name in names:

        def provider(item: Any, people: Any, name: str = name) -> set[int]:
            return set(people.filter(pk__in=done.get(name, set())).values_list("pk", flat=True))

        progress.register_rule(name, name)(provider)
    yield done
    for name, rule in saved.items():
        progress.unregister_rule(name)
        if rule is not None:
            progress.register_rule(name, rule.label, rule.url_name)(rule.func)


@pytest.fixture
def untracked() -> Iterator[Any]:
    """`untracked("writings.reflection_accepted")` hides a real provider for one test, as before its app existed."""
    saved: dict[str, Any] = {}

    def hide(name: str) -> None:
        saved.setdefault(name, progress.get_rule(name))
        progress.unregister_rule(name)

    yield hide
    for name, rule in saved.items():
        if rule is not None:
            progress.register_rule(name, rule.label, rule.url_name)(rule.func)
