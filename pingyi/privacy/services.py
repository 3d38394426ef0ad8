"""Export a person's data, anonymise a person, apply the retention periods: each one audited write.

The apps say what they hold about a person through their `personal_data` hook (pingyi.core.personal);
these services run every app's hook inside one transaction and write one audit entry. Audit entries
themselves are never rewritten: an anonymisation is recorded as a new entry (ADR 0007).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingyi.core import audit
from pingyi.core.hooks import app_modules
from pingyi.core.personal import RetentionRule
from pingyi.org.models import Person
from pingyi.org.personal_data import is_anonymised

# Grounds on which personal information is deleted (PIPL art. 47), as the secretary records them.
GROUNDS = {
    "purpose_achieved": gettext_lazy("处理目的已实现或不再必要"),
    "left": gettext_lazy("本人已离开本组织（组织关系转出、调离）"),
    "withdrawn": gettext_lazy("本人撤回同意或要求删除，且无须继续保存"),
    "retention": gettext_lazy("保存期限已届满"),
}

README = """本压缩包是评议平台保存的关于您的个人信息（{when} 导出）。

data.json   按类别列出的记录（人员信息、职务、账号、文稿、谈话、会议、评议、反馈、整改事项等）
writings/   您的文稿全文
feedback/   给您的书面反馈

不包含：其他人的个人信息（例如谁提出了涉及您的意见），以及无记名测评中任何人的投票
（系统不保存投票人与所投等次之间的对应关系）。如对内容有异议，请联系本支部书记更正。
"""


def _app(module: Any) -> str:
    return str(module.__name__.split(".")[1])


@transaction.atomic
def export_person_data(*, person: Person, by: Any) -> bytes:
    """A .zip of data.json (every app's records about the person), their documents and a README."""
    now = timezone.localtime()
    sections: dict[str, Any] = {}
    documents: list[tuple[str, bytes]] = []
    for module in app_modules("personal_data"):
        if hasattr(module, "export"):
            sections.update(module.export(person))
        if hasattr(module, "files"):
            documents += module.files(person)
    body = {"exported_at": now.isoformat(), "person_id": person.pk, "records": sections}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=f"{now:%Y-%m-%d %H:%M}"))
        archive.writestr("data.json", json.dumps(body, ensure_ascii=False, indent=1))
        for name, data in documents:
            archive.writestr(name, data)
    audit.record(
        actor=by,
        action="privacy.person_exported",
        org=person.org,
        target=person,
        data={"sections": sorted(k for k, v in sections.items() if v), "files": len(documents)},
    )
    return buffer.getvalue()


def blockers(person: Person) -> list[str]:
    """Why the person may not be anonymised yet: an open process that still needs who they are."""
    found: list[str] = []
    for module in app_modules("personal_data"):
        if hasattr(module, "blockers"):
            found += module.blockers(person)
    return found


@transaction.atomic
def anonymise_person(*, person: Person, ground: str, note: str = "", by: Any) -> dict[str, dict[str, int]]:
    """Clear what identifies or describes the person in every app; rows, counts and tallies stay."""
    locked = Person.objects.select_for_update(of=("self",)).select_related("org").get(pk=person.pk)
    if is_anonymised(locked):
        raise ValidationError(_("此人的信息已经匿名化。"))
    if ground not in GROUNDS:
        raise ValidationError(_("请选择删除个人信息的依据。"))
    if waiting := blockers(locked):
        raise ValidationError(waiting)
    changed = {_app(m): m.anonymise(locked) for m in app_modules("personal_data") if hasattr(m, "anonymise")}
    audit.record(
        actor=by,
        action="privacy.person_anonymised",
        org=locked.org,
        target=locked,  # the id only: the name it had is exactly what must not be written down again
        data={"ground": ground, "note": note[:200], "changed": changed},
    )
    return changed


def retention_rules() -> list[RetentionRule]:
    return [rule for module in app_modules("personal_data") for rule in getattr(module, "RETENTION", [])]


def retention_days(rule: RetentionRule) -> int:
    return int(settings.PERSONAL_DATA_RETENTION_DAYS.get(rule.key, rule.default_days))


@transaction.atomic
def apply_retention(*, by: Any, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Clear personal data older than each rule's period; with dry_run, count and change nothing."""
    now = now or timezone.now()
    cleared = {}
    for rule in retention_rules():
        days = retention_days(rule)
        if days > 0:
            cleared[rule.key] = rule.apply(now - dt.timedelta(days=days))
    if dry_run:
        transaction.set_rollback(True)
    elif any(cleared.values()):
        audit.record(actor=by, action="privacy.retention_applied", data={"cleared": cleared})
    return cleared
