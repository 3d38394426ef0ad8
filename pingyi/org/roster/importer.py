"""The roster import service: check a parsed sheet against the tree, then write it in one transaction.

Matching is by ID number. A row whose values equal what is stored produces no
write and no audit entry, so importing the same file twice changes nothing.
Blank cells mean "not given": they never erase what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org import services
from pingyi.org.models import OrgUnit, Person, PersonKind

from .cells import post_flags
from .columns import BY_FIELD
from .parsing import RowError, SheetRow, parse_sheet

Progress = Callable[[int, int], None]
# A report keeps this many row errors (the count is always whole): a file with an error on each of
# 20,000 rows must not store a report larger than the roster (and full of its personal data).
MAX_REPORTED_ERRORS = 200
PERSON_VALUES = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "category",
    "status",
    "joined_on",
    "confirmed_on",
)


@dataclass
class PlannedRow:
    row: int
    person: Person | None
    org: OrgUnit
    fields: dict[str, Any]
    posts: list[str] | None

    def changes(self) -> dict[str, Any]:
        if self.person is None:
            return self.fields
        changed = {k: v for k, v in self.fields.items() if _current(self.person, k) != _comparable(v)}
        if self.person.org_id != self.org.pk:
            changed["org"] = self.org
        return changed

    def posts_change(self) -> bool:
        if self.posts is None:
            return False
        held = {p.title for p in self.person.posts.all()} if self.person else set()
        return held != set(self.posts)


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)  # the column mapping the check used

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "error_rows": self.error_rows,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]],
            "layout": self.layout,
        }


def import_roster(
    *,
    data: bytes,
    org: OrgUnit,
    by: Any,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    chosen: Mapping[int, str] | None = None,
    remembered: Mapping[str, str] | None = None,
    read_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check the whole file; write nothing unless it is clean (or skip_invalid), and all of it or none.

    Columns are read as `chosen` says (column number -> field, "" to ignore), else as proposed
    (mapping.propose, with the `remembered` choice for this layout).
    """
    sheet = parse_sheet(data, chosen=chosen, remembered=remembered, progress=read_progress)
    plan, errors = _plan(sheet.rows, sheet.errors, org)
    result = ImportResult(total=len(sheet.rows), errors=errors, layout=sheet.layout.as_dict() if sheet.layout else {})
    bad = {e.row for e in errors}
    good = [p for p in plan if p.row not in bad]
    result.skipped = len(sheet.rows) - len(good)
    if (errors and not skip_invalid) or any(e.row == 0 for e in errors):
        result.skipped = len(sheet.rows)
        return result
    if dry_run:
        for planned in good:
            _count(result, planned, planned.changes(), planned.posts_change())
        return result
    known = [p for p in good if p.person is not None]
    new = [p for p in good if p.person is None]
    with transaction.atomic():
        for done, planned in enumerate(known, start=1):
            _update(result, planned, by)
            if progress:
                progress(done, len(good))
        if new:
            services.create_people(
                people=[services.NewPerson(p.org, p.fields, _post_specs(None, p)) for p in new],
                on=org,
                by=by,
                progress=(lambda n: progress(len(known) + n, len(good))) if progress else None,
            )
            result.created += len(new)
        if result.created or result.updated:
            audit.record(
                actor=by,
                action="roster.import",
                org=org,
                target=org,
                data={"created": result.created, "updated": result.updated, "skipped": result.skipped},
            )
    return result


def _count(result: ImportResult, planned: PlannedRow, changes: dict[str, Any], posts_change: bool) -> None:
    if planned.person is None:
        result.created += 1
    elif changes or posts_change:
        result.updated += 1
    else:
        result.unchanged += 1


def _update(result: ImportResult, planned: PlannedRow, by: Any) -> None:
    person = planned.person
    assert person is not None
    changes = planned.changes()
    posts_change = planned.posts_change()
    _count(result, planned, changes, posts_change)
    if changes:
        values = {k: v for k, v in changes.items() if k != "org"}
        person = services.save_person(org=planned.org, by=by, person=person, **values)
    if posts_change and planned.posts is not None:
        services.set_posts(person=person, posts=_post_specs(person, planned), by=by)


def _post_specs(person: Person | None, planned: PlannedRow) -> list[dict[str, Any]]:
    """Titles the person already holds stay where they are (a leader's bureau post); new ones go on the branch."""
    held = {p.title: p for p in person.posts.all()} if person else {}
    specs = []
    for title in planned.posts or []:
        if title in held:
            post = held[title]
            specs.append(
                {
                    "org": post.org,
                    "title": title,
                    "is_leadership": post.is_leadership,
                    "is_committee": post.is_committee,
                }
            )
        else:
            specs.append({"org": planned.org, "title": title, **post_flags(title)})
    return specs


def _plan(rows: list[SheetRow], errors: list[RowError], org: OrgUnit) -> tuple[list[PlannedRow], list[RowError]]:
    errors = list(errors)
    nodes = list(OrgUnit.objects.in_subtree(org))
    numbers = [r.values["id_number"] for r in rows if "id_number" in r.values]
    existing = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in=numbers)
        .select_related("org", "group")
        .prefetch_related("posts__org")
    }
    plan = []
    for row in rows:
        person = existing.get(row.values.get("id_number"))
        if person is not None and not person.org.is_within(org):
            # Say only that it is taken: where it is registered is not the importer's business.
            message = _("该公民身份号码已登记在本组织以外，请联系上级组织核实")
            errors.append(RowError(row.row, str(BY_FIELD["id_number"].header), message))
            continue
        target = _resolve_org(row, person, org, nodes, errors)
        fields = {k: row.values[k] for k in PERSON_VALUES if k in row.values}
        group = _resolve_group(row, target, nodes, errors) if target else None
        if group is not None:
            fields["group"] = group
        if person is None:
            fields.setdefault("kind", PersonKind.MEMBER)
        if target is not None:
            plan.append(PlannedRow(row.row, person, target, fields, row.values.get("posts")))
    errors.sort(key=lambda e: (e.row, e.column))
    return plan, errors


def _by_name(name: str, nodes: list[OrgUnit], within: OrgUnit) -> list[OrgUnit]:
    return [n for n in nodes if n.name == name and n.is_within(within)]


def _resolve_org(
    row: SheetRow, person: Person | None, org: OrgUnit, nodes: list[OrgUnit], errors: list[RowError]
) -> OrgUnit | None:
    name = row.values.get("branch")
    if not name:
        return person.org if person else org
    found = _by_name(name, nodes, org)
    if len(found) == 1:
        return found[0]
    header = str(BY_FIELD["branch"].header)
    if found:
        errors.append(RowError(row.row, header, _("“%(name)s”有多个同名组织，无法确定") % {"name": name}))
    else:
        message = _("在“%(org)s”之下找不到名为“%(name)s”的组织") % {"org": org.name, "name": name}
        errors.append(RowError(row.row, header, message))
    return None


def _resolve_group(row: SheetRow, target: OrgUnit, nodes: list[OrgUnit], errors: list[RowError]) -> OrgUnit | None:
    name = row.values.get("group")
    if not name:
        return None
    found = [n for n in _by_name(name, nodes, target) if n.pk != target.pk]
    if len(found) == 1:
        return found[0]
    message = _("在“%(org)s”之下找不到名为“%(name)s”的党小组或科室") % {"org": target.name, "name": name}
    errors.append(RowError(row.row, str(BY_FIELD["group"].header), message))
    return None


def _current(person: Person, name: str) -> Any:
    return person.group_id if name == "group" else getattr(person, name)


def _comparable(value: Any) -> Any:
    return value.pk if isinstance(value, OrgUnit) else value
