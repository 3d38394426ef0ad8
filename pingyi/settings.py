"""One settings file, read from the environment.

Defaults give the embedded set-up: SQLite, in-process jobs. DEBUG is off unless
DEBUG=1 is set (`make run`, the tests); with it off PINGYI_SECRET_KEY is required.
Production sets PINGYI_SECRET_KEY, PINGYI_AUDIT_KEY, DATABASE_URL, REDIS_URL and
PINGYI_ALLOWED_HOSTS (see docs/deploy.md).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Off unless turned on: a server started without settings must not send tracebacks to its visitors.
DEBUG = env_bool("DEBUG", False)
# Without PINGYI_SECRET_KEY a development key stands in, so tools that only read the code (mypy, makemessages)
# need no settings; with DEBUG off nothing serves with it: `check` fails (pingyi.core.checks), and so do the
# WSGI/ASGI application and the Celery worker (pingyi.core.checks.refuse_development_key).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789"
SECRET_KEY = os.environ.get("PINGYI_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [h for h in os.environ.get("PINGYI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PINGYI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "pingyi.study",
    "pingyi.exams",
    "pingyi.outreach",
    "pingyi.reports",
    "pingyi.api",
    "pingyi.privacy",
    "pingyi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pingyi.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pingyi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pingyi.core.middleware.IdleSessionMiddleware",
    "pingyi.org.signin.SignInGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a refused sign-in after the views have run (docs/adr/0012-sign-in.md).
    "axes.middleware.AxesMiddleware",
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
        # Kept for a minute: opening a PostgreSQL connection per request costs more CPU than most pages.
        conn_max_age=int(os.environ.get("PINGYI_CONN_MAX_AGE", "60")),
        # A kept connection the database has dropped (a restart, a network cut) is replaced before use.
        conn_health_checks=True,
    )
}
if os.environ.get("PINGYI_TEST_DB"):
    # Two test runs against one PostgreSQL server each need their own test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PINGYI_TEST_DB"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a job writes; the timeout waits out short write locks. secure_delete
    # zeroes freed space and temp_store keeps statement journals in memory, so no earlier version of a
    # ballot's counters lingers in a file (ADR 0004).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;"
        ),
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

# Sign-in (docs/adr/0012-sign-in.md). Axes first: it refuses a locked-out account or address before any
# password is checked; the project's backend refuses an expired one-time password.
AUTHENTICATION_BACKENDS = ["pingyi.org.signin.LimitsBackend", "pingyi.org.signin.AccountBackend"]
AXES_HANDLER = "pingyi.org.signin.SignInAttempts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # counted apart; SignInAttempts gives each its own limit
AXES_FAILURE_LIMIT = int(os.environ.get("PINGYI_SIGNIN_FAILURES_PER_ACCOUNT", "5"))
# An office behind one address shares it, so the address may fail more often than one account.
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("PINGYI_SIGNIN_FAILURES_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PINGYI_SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
# Tries while locked out neither count nor extend the lockout: guessing stays at a few tries per window, and
# someone hammering an account cannot keep its owner out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "pingyi.org.signin.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "pingyi.core.middleware.client_address"
AXES_USERNAME_CALLABLE = "pingyi.org.signin.attempted_username"
AXES_VERBOSE = False
# A password printed by a secretary for a new login, or after a reset: it must be replaced at the first
# sign-in, and it stops working if it is not used within this many days.
ONE_TIME_PASSWORD_DAYS = int(os.environ.get("PINGYI_ONE_TIME_PASSWORD_DAYS", "7"))
OTP_TOTP_ISSUER = os.environ.get("PINGYI_OTP_ISSUER", "Pingyi")

# Sessions end after this long without a request, and when the browser closes (shared office computers).
SESSION_IDLE_MINUTES = int(os.environ.get("PINGYI_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The domain apps built on the foundation. Each keeps its own English catalogue (listed first, so
# makemessages files its strings there; the project catalogue takes the rest). App hooks: docs/apps.md.
DOMAIN_APPS = [
    "writings", "originality", "opinions", "talks", "meetings", "evaluation", "rectification", "feedback", "study",
    "exams", "outreach", "privacy",
]  # fmt: skip
LOCALE_PATHS = [BASE_DIR / "pingyi" / app / "locale" for app in DOMAIN_APPS] + [BASE_DIR / "pingyi" / "locale"]
FORMAT_MODULE_PATH = ["pingyi.formats"]  # one date style per language (2005年3月1日; 1 March 2005)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PINGYI_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "pingyi" / "static"]  # vendored Bootstrap, htmx, ECharts and our CSS
MEDIA_ROOT = Path(os.environ.get("PINGYI_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Uploaded files: on disk under MEDIA_ROOT, or any Django storage backend, e.g. object storage through
# django-storages: PINGYI_FILE_STORAGE=storages.backends.s3.S3Storage and its options as JSON in
# PINGYI_FILE_STORAGE_OPTIONS (docs/deploy.md). Today's uploads (rosters, evidence, writings) are kept
# in the database; this is where any file-backed upload goes, and what `manage.py backup` archives.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("PINGYI_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("PINGYI_FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

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
# Study materials' attachments (PDF, Word, Excel, PowerPoint, pictures; pingyi.core.attachments), in MB each.
# nginx's client_max_body_size (deploy/nginx) must stay above it.
PINGYI_ATTACHMENT_MAX_MB = int(os.environ.get("PINGYI_ATTACHMENT_MAX_MB", "20"))

# Background jobs: in-process unless REDIS_URL is set (pingyi.core.jobs).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
# A worker child that dies puts its message back at once; a whole worker killed returns it after the
# visibility timeout. Either way core.jobs runs the job only if nobody else holds it (docs/adr/0008).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PINGYI_CELERY_VISIBILITY_TIMEOUT", "3600")),
    # kombu 5.7 looks for messages past their timeout only every 10th sweep of 10 s (100 s); every sweep
    # returns a dead worker's job within 10 s of its timeout, as kombu before 5.7 did.
    "unacked_restore_throttle": 1,
}
JOB_HEARTBEAT_SECONDS = float(os.environ.get("PINGYI_JOB_HEARTBEAT_SECONDS", "15"))
JOB_STALE_SECONDS = float(os.environ.get("PINGYI_JOB_STALE_SECONDS", "120"))
JOB_MAX_ATTEMPTS = 2  # a job whose process died is taken over once by a redelivered message, then left failed
# Where notices go besides the in-app inbox (pingyi.core.notifications): dotted Channel classes. The log
# channel is the default; an SMS or WeChat channel is one class with send() (no provider is reachable here).
PINGYI_NOTIFY_CHANNELS = os.environ.get("PINGYI_NOTIFY_CHANNELS", "pingyi.core.notifications.LogChannel").split(",")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "pingyi.core.cache.KeptClientRedisCache", "LOCATION": REDIS_URL}}
    # Every signed-in request reads its session: from the shared cache, written through to the database. Only
    # with a cache all workers share: with one per process, a session ended in one would live on in another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Every signed-in request loads its login too: kept a minute in the shared cache and dropped there when
    # the row is saved or deleted (pingyi.org.signin.AccountBackend). Only with a cache all workers share.
    PINGYI_CACHE_USERS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    PINGYI_CACHE_USERS = False

# Deployment (docs/deploy.md). gunicorn reads WEB_CONCURRENCY for its worker count; `check --deploy`
# warns (pingyi.W001) when several workers would run without a shared cache.
WEB_WORKERS = int(os.environ.get("WEB_CONCURRENCY", "1"))
HEALTH_WORKER_TIMEOUT = float(os.environ.get("PINGYI_HEALTH_WORKER_TIMEOUT", "1.0"))  # seconds for a Celery ping
# Behind a proxy that terminates TLS the load balancer may probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_FAILURE_VIEW = "pingyi.portal.views.csrf_failure"
# Periodic work for `celery -A pingyi beat`: management commands by name (pingyi.core.celery_tasks).
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "verify-audit": {"task": "pingyi.run_command", "schedule": 24 * 3600, "args": ["verify_audit"]},
    "rectification-reminders": {
        "task": "pingyi.run_command",
        "schedule": 24 * 3600,
        "args": ["rectification_reminders"],
    },
    "study-reminders": {"task": "pingyi.run_command", "schedule": 24 * 3600, "args": ["study_reminders"]},
    "refresh-tallies": {"task": "pingyi.run_command", "schedule": 24 * 3600, "args": ["refresh_tallies"]},
    "apply-retention": {"task": "pingyi.run_command", "schedule": 24 * 3600, "args": ["apply_retention"]},
    "clear-sessions": {"task": "pingyi.run_command", "schedule": 24 * 3600, "args": ["clearsessions"]},
    "submit-due-exam-sheets": {"task": "pingyi.run_command", "schedule": 60.0, "args": ["submit_due_sheets"]},
    "sweep-stale-jobs": {"task": "pingyi.sweep_jobs", "schedule": 60.0},
}
PERIODIC_COMMANDS = {
    str(entry["args"][0]) for entry in CELERY_BEAT_SCHEDULE.values() if entry["task"] == "pingyi.run_command"
}
# How long personal data is kept in each kind of record, in days (0: for good), overriding each rule's
# default; `manage.py apply_retention` (daily, from beat) clears what is older. docs/privacy.md lists them.
PERSONAL_DATA_RETENTION_DAYS: dict[str, int] = json.loads(os.environ.get("PINGYI_RETENTION_DAYS", "{}"))
# Backups (`manage.py backup`, `restore`): where they are written unless --output says otherwise.
BACKUP_DIR = Path(os.environ.get("PINGYI_BACKUP_DIR", BASE_DIR / "backups"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PINGYI_LOG_LEVEL", "WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere (JavaScript lives in static files; htmx's eval is off in base.html). Style
# attributes stay allowed for the progress bars' widths; <style> elements do not (style-src-elem).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("PINGYI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("PINGYI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Hashed names and pre-compressed copies: WhiteNoise serves them with a year's Cache-Control.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Reverse proxies in front of the app whose X-Forwarded-For is trusted (the public form's per-address limit).
# Other limits of the public opinion form: pingyi/opinions/limits.py and docs/opinions.md.
OPINIONS_PROXY_COUNT = int(os.environ.get("PINGYI_PROXY_COUNT", "0"))

# The audit log's keyed hash (docs/adr/0007): a key kept outside the database, so whoever can write the
# database cannot recompute the chain. Unset, a key derived from PINGYI_SECRET_KEY stands in (check --deploy
# warns). PINGYI_AUDIT_ANCHOR_FILE: an append-only file that receives the chain's head at each stage sign-off.
AUDIT_KEY = os.environ.get("PINGYI_AUDIT_KEY", "")
AUDIT_ANCHOR_FILE = os.environ.get("PINGYI_AUDIT_ANCHOR_FILE", "")

# Demo accounts share this password; seed_demo prints it. Never used outside demo data.
DEMO_PASSWORD = os.environ.get("PINGYI_DEMO_PASSWORD", "pingyi-demo-2005")
