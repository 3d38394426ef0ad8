from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "pingyi.campaigns"
    label = "campaigns"
    verbose_name = _("活动")

    def ready(self) -> None:
        from pingyi.core.hooks import app_modules
        from pingyi.core.shipped import reload_after_flush

        from .models import CampaignTemplate
        from .spec import load_shipped_templates

        # Each app's progress.py registers its work-item providers (docs/apps.md).
        app_modules("progress")
        reload_after_flush(self, CampaignTemplate, load_shipped_templates)
