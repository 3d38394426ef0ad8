from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "pingyi.opinions"
    label = "opinions"
    verbose_name = _("征求意见")

    def ready(self) -> None:
        from pingyi.core.shipped import reload_after_flush

        from .categories import load
        from .models import Category

        reload_after_flush(self, Category, load)
