"""One settings file, read from the environment.

Defaults give the embedded set-up: SQLite, in-process jobs, DEBUG on.
Production sets PINGYI_SECRET_KEY, DEBUG=0, DATABASE_URL, REDIS_URL and
PINGYI_ALLOWED_HOSTS (see docs/deploy.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("PINGYI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("PINGYI_SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = [h for h in os.environ.get("PINGYI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PINGYI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The project's apps, lowest layer first (docs/adr/0005-layers.md); app hooks run in this order.
    "pingyi.core",
    "pingyi.org",
    "pingyi.campaigns",
    "pingyi.writings",
    "pingyi.originality",
    "pingyi.opinions",
    "pingyi.talks",
    "pingyi.meetings",
    "pingyi.evaluation",
    "pingyi.rectification",
    "pingyi.feedback",
    "pingyi.api",
    "pingyi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pingyi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pingyi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "pingyi.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("PINGYI_CONN_MAX_AGE", "0")),
    )
}
if os.environ.get("PINGYI_TEST_DB"):
    # Two test runs against one PostgreSQL server each need their own test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PINGYI_TEST_DB"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a job writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The domain apps built on the foundation. Each keeps its own English catalogue (listed first, so
# makemessages files its strings there; the project catalogue takes the rest). App hooks: docs/apps.md.
DOMAIN_APPS = ["writings", "originality", "opinions", "talks", "meetings", "evaluation", "rectification", "feedback"]
LOCALE_PATHS = [BASE_DIR / "pingyi" / app / "locale" for app in DOMAIN_APPS] + [BASE_DIR / "pingyi" / "locale"]
FORMAT_MODULE_PATH = ["pingyi.formats"]  # one date style per language (2005年3月1日; 1 March 2005)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "pingyi" / "static"]  # vendored Bootstrap, htmx, ECharts and our CSS
MEDIA_ROOT = Path(os.environ.get("PINGYI_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# The faces PDF documents embed, by role: a font file, or "file#N" / "file#Family" for one face of a .ttc.
# Defaults are Debian's fonts-noto-cjk, fonts-arphic-ukai/uming and fonts-hanazono (docs/adr/0010); an
# organisation that owns 方正小标宋简体, 仿宋_GB2312, 黑体 and 楷体_GB2312 points these at its files.
_NOTO, _ARPHIC = "/usr/share/fonts/opentype/noto/", "/usr/share/fonts/truetype/arphic/"
DOCUMENT_FONTS = {
    "title": os.environ.get("PINGYI_FONT_TITLE", _NOTO + "NotoSerifCJK-Bold.ttc#Noto Serif CJK SC"),
    "body": os.environ.get("PINGYI_FONT_BODY", _NOTO + "NotoSerifCJK-Regular.ttc#Noto Serif CJK SC"),
    "strong": os.environ.get("PINGYI_FONT_STRONG", _NOTO + "NotoSerifCJK-Bold.ttc#Noto Serif CJK SC"),
    "heading1": os.environ.get("PINGYI_FONT_HEADING1", _NOTO + "NotoSansCJK-Regular.ttc#Noto Sans CJK SC"),
    "heading2": os.environ.get("PINGYI_FONT_HEADING2", _ARPHIC + "ukai.ttc#AR PL UKai CN"),
    "page_number": os.environ.get("PINGYI_FONT_PAGE_NUMBER", _ARPHIC + "uming.ttc#AR PL UMing CN"),
}
# Faces for the characters a role's face lacks (rare characters in names), tried in order.
DOCUMENT_FALLBACK_FONTS = os.environ.get(
    "PINGYI_FONT_FALLBACK",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf:/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
).split(os.pathsep)
# How long a submitted writing must be, in 字 (spaces and punctuation not counted): (at least, at most) per
# kind. Defaults in pingyi/writings/text.py DEFAULT_LENGTHS: 学习心得 200–6000, 党性分析材料 600–15000.
WRITING_LENGTHS: dict[str, tuple[int, int]] = {}

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background jobs: in-process unless REDIS_URL is set (pingyi.core.jobs).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PINGYI_LOG_LEVEL", "WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("PINGYI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("PINGYI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Reverse proxies in front of the app whose X-Forwarded-For is trusted (the public form's per-address limit).
# Other limits of the public opinion form: pingyi/opinions/limits.py and docs/opinions.md.
OPINIONS_PROXY_COUNT = int(os.environ.get("PINGYI_PROXY_COUNT", "0"))

# Demo accounts share this password; seed_demo prints it. Never used outside demo data.
DEMO_PASSWORD = os.environ.get("PINGYI_DEMO_PASSWORD", "pingyi-demo-2005")
