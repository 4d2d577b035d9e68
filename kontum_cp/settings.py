"""Settings for the Kon Tum cleaner-production portal.

One module, driven by the environment (django-environ). Every variable is
documented in `.env.example`. The defaults give a working development set-up
on SQLite; production must set SECRET_KEY and DEBUG=False.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only when DEBUG is on; never in production.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kontum_cp.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "kontum_cp.apps.SignInAttemptsConfig",  # django-axes
    "kontum_cp.apps.PortalConfig",
    "establishments",
    "indicators",
    "training",
    "dataio",
    "api",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A body over the import limit is refused before anything reads it.
    "kontum_cp.middleware.RequestSizeLimitMiddleware",
    # Before whitenoise, so that static files get the header too.
    "kontum_cp.middleware.PermissionsPolicyMiddleware",
    # Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY); static files get it too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # process_exception runs for a view's error; the database's own page (503) instead of a server error.
    "kontum_cp.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kontum_cp.middleware.SessionActivityMiddleware",
    "kontum_cp.middleware.PortalLocaleMiddleware",
    "kontum_cp.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kontum_cp.middleware.NoRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write refused by a closed year or an approved report (kontum_cp.closing): 409 with the reason.
    "kontum_cp.middleware.WriteRefusedMiddleware",
    # Page reads wait for figures being computed only so long, then say so (indicators/pending.py).
    "indicators.pending.FiguresPendingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kontum_cp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kontum_cp.context_processors.portal",
                "establishments.context_processors.department",
            ],
        },
    },
]

WSGI_APPLICATION = "kontum_cp.wsgi.application"


def _database_from_env():
    """Read DATABASE_URL and refuse an engine we do not support.

    django-environ only warns about an unknown scheme and Django fails much
    later with an obscure error, so the check happens here, at start-up.
    """
    default_url = "sqlite:///" + str(BASE_DIR / "db.sqlite3")
    url = env.str("DATABASE_URL", default=default_url)
    config = environ.Env.db_url_config(url)
    engine = config.get("ENGINE", "")
    if engine not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:/// or postgres://, got {url.split(':')[0]!r}."
        )
    if engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
        config["CONN_HEALTH_CHECKS"] = True
        # No just-in-time compilation of queries: the dashboard's queries (indicators/figures.py) join years
        # with ranges, which PostgreSQL overestimates by orders of magnitude, and compiling them then took
        # seconds longer than running them (docs/performance.md). Pages run short queries: JIT never pays here.
        options = config.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its user name and address are locked out (django-axes).
    "kontum_cp.signin.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# No automatic grouping: a year printed through localisation would read "2.018" and break
# menus and links. Quantities are grouped on purpose by the `num`, `pct` and `vnd` template
# filters (separators of the active language, 1.100,5 in Vietnamese), and number fields read
# grouped input through kontum_cp.numbers.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["kontum_cp.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The user guide's screenshots, served at static/screenshots/ for the in-app guide (kontum_cp/guide.py).
    ("screenshots", BASE_DIR / "docs" / "screenshots"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The cache: this process's memory by default; with several app servers a shared one (CACHE_URL=redis://…),
# so the dashboard recomputed once after a data change serves every server.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kontum-cp")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Local memory is bounded by entry count; Redis by its own maxmemory (docs/deployment.md), and Django's
    # Redis backend passes OPTIONS to the connection pool, which would refuse MAX_ENTRIES.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# Recompute the dashboard in the background after a data change (indicators/warmup.py), after a pause of
# DASHBOARD_WARMUP_DELAY seconds that lets a burst of saves give one recompute.
DASHBOARD_WARMUP = env.bool("DASHBOARD_WARMUP", default=True)
DASHBOARD_WARMUP_DELAY = env.float("DASHBOARD_WARMUP_DELAY", default=2.0)
# A page read waits at most DASHBOARD_FIGURES_WAIT seconds for figures being computed, then says they are
# being brought up to date (indicators/pending.py); "none": as long as they take.
_figures_wait = env.str("DASHBOARD_FIGURES_WAIT", default="0.5").strip().lower()
DASHBOARD_FIGURES_WAIT = None if _figures_wait in ("", "none") else float(_figures_wait)

# Imports: the largest file accepted (bytes), the most data rows read from one file, and for an .xlsx the
# most it may unpack to (bytes) and the most that any large member may be compressed (uncompressed / packed
# size), checked before the workbook is opened (dataio/parsing.py).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_XLSX_MAX_UNCOMPRESSED = env.int("IMPORT_XLSX_MAX_UNCOMPRESSED", default=400 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=200)
# Where an upload's parsed rows wait between the preview and the confirmation (dataio/uploads.py): the system's
# temporary folder by default. With several app servers, a folder they all share, unless the proxy sends a
# user's import pages to one server (docs/deployment.md, "Imports with several app servers").
IMPORT_TEMP_DIR = env.str("IMPORT_TEMP_DIR", default="")
# A request body other than files larger than this is refused (400) before it is read whole; an uploaded
# file larger than FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file instead of memory. The proxy's
# client_max_body_size (docs/deployment.md) refuses anything far beyond IMPORT_MAX_BYTES with a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Sign-in throttling (django-axes): after SIGNIN_FAILURE_LIMIT wrong passwords in a row for one user name from
# one address, that pair is refused for SIGNIN_LOCKOUT_MINUTES; other names and addresses are not affected.
# Failures and lock-outs are listed in the admin (Access attempts, Access failures).
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("SIGNIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "kontum_cp.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies the client's address is the N-th from the right in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kontum_cp.signin.client_address"

# Sessions end after SESSION_IDLE_SECONDS without a request, and when the browser closes if
# SESSION_EXPIRE_AT_BROWSER_CLOSE is on. Requests renew a signed-in session's expiry, at most once a minute
# (kontum_cp.middleware.SessionActivityMiddleware): Django's SESSION_SAVE_EVERY_REQUEST would write the
# session on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Production hardening; passes `manage.py check --deploy` when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are switched off (kontum_cp.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "screen-wake-lock=(), xr-spatial-tracking=()"
)

# Content-Security-Policy (django-csp): a page may load scripts, styles, images and fonts only from the
# portal itself (its static files and its chart SVGs), no plug-ins, no <base> elsewhere, never inside a
# frame, and its forms post only to the portal. No inline script or style attribute needs an exception:
# behaviour is in static/js/, styles in static/css/ (the Django admin runs under the same policy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The read-only API (api/, docs/api.md): personal tokens or the session; the role rules of the pages; every
# write answers 405; each user (token) at most API_THROTTLE_RATE requests ("600/hour", "10/minute").
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/hour")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=100)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kon Tum cleaner production portal API",
    "DESCRIPTION": "Read-only figures and records of the cleaner production programme (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.HasRole"],
    # Swagger UI's files come with the portal (drf-spectacular-sidecar): no outside address, the CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from an outside validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# A refused form (missing or stale CSRF token) gets the portal's page in the user's language, with a way back.
CSRF_FAILURE_VIEW = "kontum_cp.views.csrf_failure"
