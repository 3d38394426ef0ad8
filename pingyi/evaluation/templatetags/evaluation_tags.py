from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def cell_key(subject: int, dimension: int, grade: int) -> str:
    return f"{subject}:{dimension}:{grade}"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """A typed value to show again after a refused entry (posted as c-<key>)."""
    return mapping.get(f"c-{key}", "") if mapping else ""


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


@register.filter
def at(items: Any, index: int) -> Any:
    return items[index] if items is not None and 0 <= index < len(items) else ""
