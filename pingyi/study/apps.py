from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "pingyi.study"
    label = "study"
    verbose_name = _("学习活动")

    def ready(self) -> None:
        from pingyi.core.shipped import reload_after_flush

        from .kinds import load
        from .models import ActivityKind

        reload_after_flush(self, ActivityKind, load)
