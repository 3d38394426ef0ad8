from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "pingyi.evaluation"
    label = "evaluation"
    verbose_name = _("民主评议")

    def ready(self) -> None:
        from . import progress  # noqa: F401  (registers the work-item providers)
