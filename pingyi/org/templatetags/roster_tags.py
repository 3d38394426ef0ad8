"""The roster's field names as the user reads them."""

from django import template

from pingyi.org.roster.columns import BY_FIELD

register = template.Library()


@register.filter
def roster_field(name: str) -> str:
    column = BY_FIELD.get(name)
    return str(column.header) if column else name
