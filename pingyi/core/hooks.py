"""The app contract: the optional modules an app may provide, found one way (docs/apps.md).

An app provides a hook by having a module of that name (`pingyi/<app>/home.py`, ...). An app
without the module is skipped; an error raised while importing one that exists propagates, so
a broken hook fails loudly instead of silently dropping the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

# Demo records (the `demo` hook) carry this marker in a name or title besides `is_demo=True`,
# and their writes are audited as done by DEMO_ACTOR; `seed_demo` (pingyi.portal) runs the hooks.
DEMO = "【演示】"
DEMO_ACTOR = "seed_demo"

# name -> what the module provides; docs/apps.md explains each.
HOOKS = {
    "home": "cards(user) -> list[HomeCard]: what waits for the viewer on the home page",
    "demo": "seed(nodes, people): the app's demo records, idempotent, marked as demo",
    "audit_labels": "LABELS: dict[action, label] for the audit log page",
    "progress": "@register_rule providers for campaign work items",
    "jobs": "@job functions for background work",
    "notice_kinds": "register_kind(code, label) calls: the notices the app sends, listed for muting",
    "personal_data": "export, files, blockers, anonymise, RETENTION: a person's data (docs/privacy.md)",
    "tests.url_samples": "samples(world) -> dict[kwarg (@state) or URL name (form data), value] + PROVIDES",
}


def app_modules(hook: str) -> list[ModuleType]:
    """Every installed project app's `hook` module, in INSTALLED_APPS order (lower layers first)."""
    if hook not in HOOKS:
        raise KeyError(f"unknown app hook {hook!r}; the contract is in docs/apps.md")
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("pingyi.") and module_has_submodule(config.module, hook):
            found.append(import_module(f"{config.name}.{hook}"))
    return found


@dataclass(frozen=True)
class HomeCard:
    """One thing waiting for the viewer, returned by an app's `home.cards(user)`."""

    title: str
    url: str
    detail: str = ""
    tone: str = "primary"  # a Bootstrap colour: primary, warning, danger, success, secondary
