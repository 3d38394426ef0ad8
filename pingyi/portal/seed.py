"""Build (or refresh) the demo branch: each app's demo hook in INSTALLED_APPS order (docs/apps.md).

org seeds the tree, people and logins first, campaigns the campaign, then every domain app its
records; all in one transaction, so a failure leaves nothing half-built. Idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from pingyi.core.hooks import app_modules
from pingyi.org.demo import LOGINS
from pingyi.org.models import OrgUnit, Person


@dataclass
class DemoResult:
    created: bool
    logins: dict[str, tuple[str, str]] = field(default_factory=lambda: LOGINS)


BASE = {"org", "campaigns"}  # every other app's demo builds on the branch and its campaign


@transaction.atomic
def seed_demo(only: set[str] | None = None) -> DemoResult:
    """`only`: seed just these apps' records (by app label) on top of the branch and its campaign."""
    created = not OrgUnit.objects.filter(code="DEMO-BRANCH").exists()
    nodes: dict[str, OrgUnit] = {}
    people: dict[str, Person] = {}
    for module in app_modules("demo"):
        label = module.__name__.split(".")[1]
        if only is None or label in BASE | only:
            module.seed(nodes, people)
    return DemoResult(created=created)
