from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pingyi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Each app's jobs.py registers its jobs; a Celery worker imports them the same way.
        autodiscover_modules("jobs")
