"""Settings for bench/load.py: bench/opinions.py's production-like settings, plus a bare baseline view."""

from _opinions_settings import *  # noqa: F403

ROOT_URLCONF = "_load_urls"
