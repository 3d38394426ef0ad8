from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top of the house: home page, base layout, demo orchestration; it may know every app."""

    name = "pingyi.portal"
    label = "portal"
    verbose_name = _("门户")
