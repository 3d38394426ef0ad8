from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "pingyi.study"
    label = "study"
    verbose_name = _("学习活动")

    def ready(self) -> None:
        post_migrate.connect(restore_kinds_after_flush, sender=self)


def restore_kinds_after_flush(sender: Any, plan: Any = None, **kwargs: Any) -> None:
    """The shipped activity kinds (data migration 0002) back after `flush`, which empties every table and sends
    post_migrate without a plan (see campaigns.apps)."""
    from .kinds import load
    from .models import ActivityKind

    if plan is None and not ActivityKind.objects.exists():
        load(ActivityKind)
