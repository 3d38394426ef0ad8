from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from pingyi.core.audit_labels import label
from pingyi.core.models import AuditEntry
from pingyi.org.models import OrgUnit, under


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    label: str


def audit_entries_in(root: OrgUnit) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(under(root)).select_related("org", "actor").order_by("-id")


def audit_page(root: OrgUnit, number: str | int | None, per_page: int = 50) -> tuple[Page, list[AuditRow]]:
    page = Paginator(audit_entries_in(root), per_page).get_page(number)
    return page, [AuditRow(entry, label(entry.action)) for entry in page.object_list]
