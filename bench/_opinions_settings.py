"""Settings for bench/opinions.py only: the production settings (DEBUG off) plus a bare insert view.

Served over plain HTTP on loopback, so the cookies are not marked secure and static files are not
hashed (no collectstatic); everything else is as deployed. One reverse proxy is assumed in front,
so the benchmark can speak for many client addresses through X-Forwarded-For.
"""

from pingyi.settings import *  # noqa: F403

ROOT_URLCONF = "_opinions_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
OPINIONS_PROXY_COUNT = 1
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"handlers": [], "level": "ERROR"}}
