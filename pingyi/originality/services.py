"""Writes of the originality app: index a text, enqueue its check, store reports.

Contract with pingyi.writings (helper A):
    check_text(kind="writing", ref=version.pk, org=..., campaign=..., title=..., text=..., by=user) -> Job
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pingyi.core.jobs import enqueue
from pingyi.core.models import Job

if TYPE_CHECKING:
    from pingyi.campaigns.models import Campaign
    from pingyi.org.models import OrgUnit

CHECK_JOB = "originality.check"


def check_text(
    *, kind: str, ref: int, org: OrgUnit, campaign: Campaign | None, title: str, text: str, by: Any
) -> Job:
    """Index `text` as a corpus document and enqueue its check (the job writes a Report)."""
    # Stub: the indexing lands next; the job already exists so callers can rely on the contract.
    return enqueue(CHECK_JOB, by=by, org=org, kind=kind, ref=ref)
