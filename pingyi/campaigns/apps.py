from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "pingyi.campaigns"
    label = "campaigns"
    verbose_name = _("活动")

    def ready(self) -> None:
        from pingyi.core.hooks import app_modules

        # Each app's progress.py registers its work-item providers (docs/apps.md).
        app_modules("progress")
        post_migrate.connect(restore_templates_after_flush, sender=self)


def restore_templates_after_flush(sender: Any, plan: Any = None, **kwargs: Any) -> None:
    """`flush` (an administrator's, or a transactional test's teardown) empties every table, the shipped
    templates of data migration 0002 included, and then sends post_migrate without a plan; `migrate` sends
    its plan, and its data migrations have loaded them."""
    from .models import CampaignTemplate
    from .spec import load_shipped_templates

    if plan is None and not CampaignTemplate.objects.exists():
        load_shipped_templates(CampaignTemplate)
