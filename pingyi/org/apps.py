from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pingyi.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from . import signin  # noqa: F401  connects the lockout's audit entry to django-axes' signal
