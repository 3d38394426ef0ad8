"""Rows a data migration ships (campaign templates, activity kinds) that every database must hold.

`flush` (an administrator's, or a transactional test's teardown) empties every table, those rows included,
and then sends post_migrate without a plan, "as if the database had been migrated from scratch"; `migrate`
sends its plan, and its data migrations have loaded them. So an app registers its loader here, once, in
its AppConfig.ready().
"""

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def reload_after_flush(app: AppConfig, model: Any, load: Callable[[Any], object]) -> None:
    """After a flush, `load(model)` runs if `model` has no rows."""

    def restore(sender: Any, plan: Any = None, **kwargs: Any) -> None:
        if plan is None and not model.objects.exists():
            load(model)

    post_migrate.connect(restore, sender=app, weak=False, dispatch_uid=f"shipped:{model._meta.label}")
