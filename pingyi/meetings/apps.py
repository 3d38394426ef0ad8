from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "pingyi.meetings"
    label = "meetings"
    verbose_name = _("组织生活会")

    def ready(self) -> None:
        from . import progress  # noqa: F401  registers the opinions.life_meeting_attended provider
