"""WebView settings: read from the environment once, here, with embedded defaults.

Everything the gateway keeps lives under WEBVIEW_DATA_DIR (default ``var/``): the SQLite
database, the generated secret key, the embedded Redis socket, uploads and the export outbox.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from webview.runtime import embedded_redis_url, load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("WEBVIEW_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = _env_flag("WEBVIEW_DEBUG")
SECRET_KEY = os.environ.get("WEBVIEW_SECRET_KEY") or load_or_create_secret_key(DATA_DIR / "secret_key")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("WEBVIEW_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("WEBVIEW_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Where daphne listens (the run command and its banner) and where the demo site's meters answer.
LISTEN_HOST = os.environ.get("WEBVIEW_HOST", "127.0.0.1")
LISTEN_PORT = int(os.environ.get("WEBVIEW_PORT", "8000"))
DEMO_PORT = int(os.environ.get("WEBVIEW_DEMO_PORT", "5020"))

# Production hardening, switched on by WEBVIEW_HTTPS once the gateway is served over TLS.
HTTPS = _env_flag("WEBVIEW_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

INSTALLED_APPS = [
    # daphne's app only makes `runserver` serve ASGI (development); installed always, it loads
    # Twisted and pyOpenSSL into every process, the workers included (~25 MB each).
    *(["daphne"] if DEBUG else []),
    "unfold.apps.BasicAppConfig",  # keeps our admin site (the default config replaces admin.site)
    "unfold.contrib.filters",
    "webview.apps.WebViewAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "webview.apps.WebViewConfig",
    "cybersecurity",
    "devices",
    "hierarchies",
    "photoview",
    "datalogger",
    "alarms",
    "system",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    # HTML and JSON compressed (static files come precompressed from ServeStatic above, which
    # answers before this runs). BREACH: CSRF tokens are masked anew on every response and the
    # gzip header carries random padding (Django's Heal The Breach mitigation).
    "django.middleware.gzip.GZipMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "webview.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cybersecurity.middleware.PermissionMapMiddleware",
]

ROOT_URLCONF = "webview.urls"
ASGI_APPLICATION = "webview.asgi.application"
WSGI_APPLICATION = "webview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "webview.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite (WAL, synchronous=FULL; see webview/apps.py) unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("WEBVIEW_TEST_DATABASE_NAME") or None}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "webview.sqlite3",
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so two processes never deadlock
                # upgrading a read lock; the timeout covers the worker and web writing at once.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            },
            # A file, not :memory:, so that the daphne live server of the browser tests shares it.
            "TEST": {"NAME": os.environ.get("WEBVIEW_TEST_DATABASE_NAME") or str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL when set, otherwise the embedded server that `manage.py embedded_redis` runs.
REDIS_URL = os.environ.get("REDIS_URL") or embedded_redis_url(DATA_DIR)
EMBEDDED_REDIS = not os.environ.get("REDIS_URL")

# Every Redis client states its timeouts. redis-py 8 defaults socket_timeout to 5 s, which kills
# a blocking call on a quiet link: the channel layer waits up to 5 s in BZPOPMIN for a websocket's
# next message, so a Monitor page on a silent device was cut every 5 s. The read timeout is above
# every blocking call the gateway makes (channel layer 5 s; kombu's BRPOP 1 s runs in its own
# event loop), and still ends a call to a Redis that died without closing the socket.
REDIS_SOCKET_TIMEOUT = 30.0
REDIS_CONNECT_TIMEOUT = 5.0
REDIS_CLIENT_OPTIONS = {"socket_timeout": REDIS_SOCKET_TIMEOUT, "socket_connect_timeout": REDIS_CONNECT_TIMEOUT}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_CLIENT_OPTIONS,
    }
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # A host as a dict: channels_redis passes the other keys to redis-py's ConnectionPool.from_url.
        "CONFIG": {"hosts": [{"address": REDIS_URL, **REDIS_CLIENT_OPTIONS}],
                   "prefix": os.environ.get("WEBVIEW_CHANNEL_PREFIX", "webview")},
    }
}

# Kombu names a unix-socket Redis "redis+socket://"; redis-py (cache, channels) says "unix://".
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
# Kombu passes socket_timeout=None (wait forever) unless told; a publish to a dead broker must end.
CELERY_BROKER_TRANSPORT_OPTIONS = dict(REDIS_CLIENT_OPTIONS)
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker started without -Q consumes both queues, so `celery -A webview worker --beat` polls,
# stores and pushes on its own; a larger site names one queue per worker (-Q acquisition).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {"celery": {}, "acquisition": {}}
CELERY_TASK_ROUTES = {"devices.tasks.acquisition_tick": {"queue": "acquisition"}}
# Threads, not forked children: one process holds the one acquisition loop (a module-level
# loop per process) and every task; a scan of minutes runs beside the 1-second tick, not
# before it. Three threads: the tick, the datalogger's beat tasks, one long task.
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = int(os.environ.get("WEBVIEW_WORKER_THREADS", "3"))
# The schedules the gateway needs, reinstalled and re-enabled at every start of beat.
from system.schedules import SYSTEM_SCHEDULES  # noqa: E402  (pure data)

CELERY_BEAT_SCHEDULE = SYSTEM_SCHEDULES
CELERY_BEAT_SCHEDULER = "webview.beat:SystemScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = _env_flag("WEBVIEW_CELERY_EAGER")

# Authentication: the five fixed profiles of manual §5 are the user model.
AUTH_USER_MODEL = "cybersecurity.Profile"
AUTHENTICATION_BACKENDS = ["cybersecurity.backends.ProfileBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("key",)}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("WEBVIEW_TIME_ZONE", "Europe/Paris")

# Datalogger retention per data type (days): measurements (avg/min/max) and energy (indexes
# and consumption, which Consumption reads over years).
DATALOGGER_RETENTION_DAYS = {
    "measure": int(os.environ.get("WEBVIEW_RETENTION_MEASURE_DAYS", 3 * 366)),
    "energy": int(os.environ.get("WEBVIEW_RETENTION_ENERGY_DAYS", 10 * 366)),
}
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG else "servestatic.storage.CompressedManifestStaticFilesStorage"
    },
}
SERVESTATIC_AUTOREFRESH = DEBUG
SERVESTATIC_USE_MANIFEST = not DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cybersecurity.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cybersecurity.api.permissions.PermissionMapPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_RATES": {"login": "30/min"},
    "EXCEPTION_HANDLER": "cybersecurity.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WebView API",
    "DESCRIPTION": "Energy-monitoring gateway: profiles, devices, live values, history, alarms.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["cybersecurity.api.permissions.PermissionMapPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Strict CSP: every script and style comes from the gateway itself (no CDN, no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "geolocation": [], "usb": [], "payment": []}

from webview.admin_menu import UNFOLD  # noqa: E402  (the admin menu follows the permission map)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"()": "webview.log_format.UTCFormatter", "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WEBVIEW_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        # pymodbus logs an ERROR for every failed request of a dead meter (hundreds a minute on a
        # site with a few); the device's status and reason already say it, and the acquisition
        # logs each change of a device's state once.
        "pymodbus": {"level": "CRITICAL"},
    },
}
