"""Minimum and maximum lengths per kind, from settings with shipped defaults (issue 12, item 2)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World
from pingyi.campaigns.models import WorkItem
from pingyi.writings import services
from pingyi.writings.models import Writing
from pingyi.writings.text import DEFAULT_LENGTHS, length_limits

from .conftest import ALL_COMPARED, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_limits(settings: Any) -> None:
    settings.WRITING_LENGTHS = {}


def _chars(n: int) -> str:
    """n different characters, so nothing repeats and every one counts."""
    return "".join(chr(0x4E00 + i) for i in range(n))


def test_a_21_character_reflection_is_refused_and_kept_as_a_draft(
    world: World, reflection_item: WorkItem, shipped_limits: None
) -> None:
    writing = write(world, reflection_item, text="学习了党章，对照检查自己，今后要认真工作，做合格党员。")
    with pytest.raises(ValidationError) as refused:
        services.save_and_submit(writing=writing, by=world.users["member"], title="心得", text=writing.text)
    assert refused.value.messages == ["学习心得至少要写 200 字，现在是 23 字（不含空格和标点）。"]
    writing.refresh_from_db()
    assert writing.status == Writing.Status.DRAFT and writing.text.startswith("学习了党章")


def test_a_page_pasted_many_times_over_the_maximum_is_refused(
    world: World, reflection_item: WorkItem, shipped_limits: None
) -> None:
    padding = "我们要认真学习党的理论，努力提高自身素质。" * 400  # 7,600 字
    writing = write(world, reflection_item, text=padding)
    with pytest.raises(ValidationError, match="学习心得最多 6000 字，现在是 7600 字"):
        services.submit_writing(writing=writing, by=world.users["member"])


def test_the_bounds_themselves_are_accepted(world: World, reflection_item: WorkItem, shipped_limits: None) -> None:
    least, most = DEFAULT_LENGTHS["reflection"]
    services.submit_writing(writing=write(world, reflection_item, text=_chars(least)), by=world.users["member"])
    services.submit_writing(writing=write(world, reflection_item, text=_chars(most)), by=world.users["member"])
    with pytest.raises(ValidationError):
        services.submit_writing(writing=write(world, reflection_item, text=_chars(least - 1)), by=world.users["member"])


def test_a_self_analysis_counts_its_three_parts_not_their_headings(
    world: World, analysis_item: WorkItem, shipped_limits: None
) -> None:
    least = DEFAULT_LENGTHS["self_analysis"][0]
    third = least // 3
    parts = {"problems": _chars(third), "causes": _chars(third), "measures": _chars(least - 2 * third - 1)}
    writing = write(world, analysis_item, sections=parts, comparisons=ALL_COMPARED)
    with pytest.raises(ValidationError, match=f"党性分析材料至少要写 {least} 字，现在是 {least - 1} 字"):
        services.submit_writing(writing=writing, by=world.users["member"])
    parts["measures"] += "一"
    member = world.users["member"]
    services.save_draft(writing=writing, by=member, title="分析", sections=parts, comparisons=ALL_COMPARED)
    services.submit_writing(writing=writing, by=world.users["member"])


def test_settings_change_one_kind(settings: Any) -> None:
    settings.WRITING_LENGTHS = {"reflection": (500, 3000)}
    assert length_limits("reflection") == (500, 3000)
    assert length_limits("self_analysis") == DEFAULT_LENGTHS["self_analysis"]


def test_the_editor_states_the_range_and_the_refusal_keeps_what_was_typed(
    world: World, reflection_item: WorkItem, shipped_limits: None
) -> None:
    writing = write(world, reflection_item, text="草稿")
    client = world.client("member")
    page = client.get(reverse("writings:edit", kwargs={"writing_id": writing.pk}))
    assert "学习心得要求 200–6000 字" in page.content.decode()
    assert 'data-min-words="200"' in page.content.decode()
    typed = "这是我刚刚写下的一段很短的心得。"
    submit = reverse("writings:submit", kwargs={"writing_id": writing.pk})
    response = client.post(submit, {"title": "心得", "text": typed})
    html = response.content.decode()
    assert response.status_code == 200 and "学习心得至少要写 200 字" in html and typed in html
