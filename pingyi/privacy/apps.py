from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's data across every app: export, anonymisation, retention (docs/privacy.md). No models of its own:
    the apps keep the data and say what is personal through their `personal_data` hooks; this app runs them."""

    name = "pingyi.privacy"
    label = "privacy"
    verbose_name = _("个人信息保护")
