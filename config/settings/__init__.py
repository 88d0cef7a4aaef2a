"""Settings for the MCSC Case Engine, read from environment variables.

Development works with no variables at all. ``DJANGO_ENV=production`` switches on the
secure defaults and makes ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` mandatory.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_list, env_str, require

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
if DJANGO_ENV not in {"development", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}."
    )

if PRODUCTION:
    SECRET_KEY = require("SECRET_KEY", "a long random string, e.g. from `openssl rand -base64 48`")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or require("ALLOWED_HOSTS", "e.g. mcsc.example.org")
    DEBUG = env_bool("DEBUG", False)
    DATABASES = {
        "default": dj_database_url.parse(
            require("DATABASE_URL", "e.g. postgres://user:password@host:5432/mcsc"),
            conn_max_age=600,
            conn_health_checks=True,
        )
    }
else:
    # A fixed development key: development data is demo data, never real cases.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]
    DEBUG = env_bool("DEBUG", True)
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        )
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

INSTALLED_APPS = [
    # The Django admin with a site that asks for the second factor (accounts.admin_site).
    "accounts.apps.McscAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mcsc",
    "casefiles",
    "workflows",
    # Sign-in, second factor, sessions and API tokens; django-axes counts failed sign-ins.
    "accounts",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the request: control characters, deep JSON, size (config.guards).
    "config.guards.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mcsc.profiles.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.RequestIdMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes documents: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "mcsc.context_processors.roles",
            ],
        },
    },
]

# --- Sign-in, passwords, second factor, sessions (OWASP ASVS level 2) ------------------
# Passwords: at least 12 characters, not one of Django's 20,000 common (breached)
# passwords, not close to the user's name or e-mail; no composition rules (ASVS 2.1.9), so
# Django's NumericPasswordValidator is left out.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link works once, and for one hour: long enough to read the mail, short
# enough that an old mail in a mailbox is no way in (docs/security.md, V2.5).
PASSWORD_RESET_TIMEOUT = 60 * 60

# Roles that must sign in with a second factor (TOTP); "staff" means every user who may
# open the Django admin. MFA_REQUIRED_ROLES (comma-separated, empty for none) overrides
# the default: in production leadership, monitors, administrators and staff; in
# development none, so the demo users sign in with the README password alone.
MCSC_MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES", ["leadership", "monitor", "administrator", "staff"] if PRODUCTION else []
)
OTP_TOTP_ISSUER = "MCSC Case Engine"
MCSC_RECOVERY_CODES = 10

# Throttling of sign-in (page and API token endpoint): after LOGIN_FAILURE_LIMIT failures
# within LOGIN_COOLOFF_MINUTES, the same account from the same address, and the same
# address for any account, are refused until the cool-off has passed since the last
# counted failure. Attempts while locked out do not extend it. Another address can still
# sign the account in, so an attacker cannot lock a user out everywhere.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "6"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env_str("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.net.client_ip"
# Sign-ins, sign-outs and failures are in the audit trail; axes keeps only the counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# How many reverse proxies that append to X-Forwarded-For stand in front of the app: the
# client address is that many entries from the right (0: the connecting address).
MCSC_TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))

# Sessions: an absolute lifetime from sign-in and an idle timeout (accounts.middleware).
SESSION_COOKIE_AGE = int(env_str("SESSION_HOURS", "8")) * 3600
MCSC_SESSION_IDLE_MINUTES = int(env_str("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens: lifetime when none is asked for, and the longest allowed.
MCSC_API_TOKEN_DAYS = int(env_str("API_TOKEN_DAYS", "90"))
MCSC_API_TOKEN_MAX_DAYS = int(env_str("API_TOKEN_MAX_DAYS", "365"))

# --- Internationalisation -------------------------------------------------------------
# The interface languages. Statement languages (Romani among them, which Django has no
# locale for) are data: see mcsc.models.Language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("tr", _("Turkish")),
    ("bs", _("Bosnian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # day first, 24-hour clock in every language
USE_I18N = True
USE_TZ = True
# Kosovo uses Central European Time, the same zone as Belgrade.
TIME_ZONE = env_str("TIME_ZONE", "Europe/Belgrade")

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.AppDirectoriesFinder",  # without viewflow's unused front end
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Mail -----------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (STARTTLS), smtps://...:465 (TLS), or console://.
from config.settings.email import email_settings  # noqa: E402

globals().update(email_settings(env_str("EMAIL_URL", "" if PRODUCTION else "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MCSC Case Engine <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Documents the one error shape and the error statuses of every operation.
    "DEFAULT_SCHEMA_CLASS": "casefiles.api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "mcsc.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "casefiles.api.exceptions.exception_handler",
    # JSON nested deeper than mcsc.inputs.MAX_JSON_DEPTH is a 400 (mcsc.api.inputs).
    "DEFAULT_PARSER_CLASSES": [
        "mcsc.api.inputs.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MCSC Case Engine API",
    "DESCRIPTION": (
        "Cases of serious security incidents against non-majority communities in Kosovo "
        "and the municipal response to them."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "AGPL-3.0-or-later"},
    # The step names appear in a case's `available_transitions` and in each of its
    # `transitions`: one enum, under the name clients already know.
    "ENUM_NAME_OVERRIDES": {
        "AvailableTransitionsEnum": "casefiles.api.serializers.TRANSITION_NAMES",
        "BlockCodeEnum": "casefiles.api.serializers.BLOCK_CODE_CHOICES",
    },
}

# --- Request limits -------------------------------------------------------------------
# A request body (files included: the only upload, an audit checkpoint, is a few hundred
# bytes) larger than this answers 413, more form fields than this 400 (config.guards).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Security -------------------------------------------------------------------------
# A strict Content-Security-Policy on every response (django-csp): scripts, styles, fonts
# and images only from this site, no inline script or style anywhere (the API docs'
# inline style is overridden by a static file), no plugins, no framing, forms post only
# here. Charts are inline SVG, which needs no source; their colours are attributes.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features the product never uses are switched off; location only for this site
# (a secretary may record where an incident happened from a phone).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The health check answers over plain HTTP too: load balancers and `curl` on the
    # loopback interface ask gunicorn directly, without the proxy's X-Forwarded-Proto.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------------------
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "mcsc-demo-2026")

# Days allowed for each step, counted from the previous step (PRODUCT.md defaults). An
# administrator can override them per municipality (workflows.DeadlinePolicy).
MCSC_DEADLINE_DAYS = {
    "verify": 1,  # after the report
    "convene": 3,  # after verification
    "publish": 2,  # after the council convened
    "outreach": 7,  # after publication
    "follow_up": 30,  # review of follow-up, after the outreach
}

# --- Privacy and the database's guard of the audit trail --------------------------------
# Names, contacts and notes of the people in a case are overwritten this many days after
# the case was closed or dismissed (manage.py apply_retention; casefiles.privacy).
MCSC_PERSONAL_DATA_RETENTION_DAYS = env_int("MCSC_PERSONAL_DATA_RETENTION_DAYS", 730, minimum=1)
# PostgreSQL role the web application connects as, when it is not the role that owns the
# tables (README, "Database roles"): migrations revoke from it any right to change or remove
# audit events, and manage.py grant_app_role gives it exactly what the application needs.
MCSC_DB_APP_ROLE = env_str("MCSC_DB_APP_ROLE", "").strip()
