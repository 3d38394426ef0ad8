from datetime import date
from typing import Any

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.campaigns.progress import ItemProgress, PersonRow, State
from pingyi.campaigns.selectors import days_left

register = template.Library()


@register.filter
def deadline(day: date | None, is_open: bool = True) -> SafeString | str:
    """ "2005年3月1日 · 还剩 5 天"; the countdown only for work still open."""
    if day is None:
        return ""
    text = format_date(day)
    left = days_left(day)
    if not is_open or left is None:
        return text
    if left > 0:
        note = ngettext("还剩 %(n)d 天", "还剩 %(n)d 天", left) % {"n": left}
        return format_html('{} <span class="text-muted">· {}</span>', text, note)
    if left == 0:
        return format_html('{} <span class="text-warning-emphasis">· {}</span>', text, _("今天截止"))
    note = ngettext("已逾期 %(n)d 天", "已逾期 %(n)d 天", -left) % {"n": -left}
    return format_html('{} <span class="text-danger">· {}</span>', text, note)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "")


@register.filter
def state_in(subject_id: int, progress: ItemProgress) -> str:
    state = progress.state_of(subject_id)
    return state.value if state else ""


@register.filter
def still_open(progress: ItemProgress) -> list[PersonRow]:
    """Not done, not excused and not overdue: those who still have time."""
    return progress.with_state(State.NOT_YET_DUE, State.NOT_STARTED, State.IN_PROGRESS)


@register.filter
def state_of_person(progress: ItemProgress, person: PersonRow) -> str:
    state = progress.state_of(person.id)
    return state.value if state else ""
