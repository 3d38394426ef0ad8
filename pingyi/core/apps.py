from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pingyi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import checks, middleware  # noqa: F401  registers the start-up checks and the sign-in receiver
        from .hooks import app_modules

        # Each app's jobs.py registers its jobs; a Celery worker imports them the same way.
        app_modules("jobs")
        # Each app's notice_kinds.py declares the notices it sends, so a member can see and mute them.
        app_modules("notice_kinds")
