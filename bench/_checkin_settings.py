"""Settings for bench/checkin.py: bench/opinions.py's production-like settings, plus a bare insert view."""

from _opinions_settings import *  # noqa: F403

ROOT_URLCONF = "_checkin_urls"
