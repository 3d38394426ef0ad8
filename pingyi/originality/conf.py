"""The engine's settings from Django settings (ORIGINALITY_*); the defaults are documented in docs/originality.md."""

from dataclasses import fields

from django.conf import settings

from .engine import EngineSettings


def engine_settings() -> EngineSettings:
    overrides = {
        f.name: getattr(settings, f"ORIGINALITY_{f.name.upper()}")
        for f in fields(EngineSettings)
        if hasattr(settings, f"ORIGINALITY_{f.name.upper()}")
    }
    return EngineSettings(**overrides)
