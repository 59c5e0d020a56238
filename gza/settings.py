"""Gza settings, read from environment variables only (see README, "Configuration").

GZA_ENVIRONMENT chooses the profile: "development" (the default: safe for one person on one
machine), "production" (refuses to start without a secret key and hosts, turns on every HTTPS
and cookie protection, requires two-factor for staff) or "test".
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gza.envvars import env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

ENVIRONMENT = env_choice("GZA_ENVIRONMENT", "development", ["development", "production", "test"])
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when GZA_ENVIRONMENT=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 varied characters in production."
        )
else:
    # A fixed key is fine only where nothing real is protected by it.
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-not-for-production-use-0123456789")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Gza's core comes first: its ready() makes capfirst safe for Georgian before others use it.
    "gza.core",
    "gza.taxonomy",
    "gza.registry",
    "gza.partners",
    "gza.demand",
    "gza.matching",
    "gza.recruitment",
    "gza.mobility",
    "gza.reintegration",
    "gza.web",
    "gza.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gza.core.middleware.audit_context_middleware",
    "gza.core.middleware.null_character_middleware",
    # Axes last, as its documentation asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gza.urls"
WSGI_APPLICATION = "gza.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gza" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gza.core.context_processors.gza",
            ],
            # Georgian-safe capfirst/title replace Django's (which produce Mtavruli capitals).
            "builtins": ["gza.core.templatetags.gza"],
        },
    },
]

# Database: SQLite under var/ by default; PostgreSQL (or any URL dj-database-url reads) via
# DATABASE_URL.
DATABASE_URL = env_url(
    "DATABASE_URL", f"sqlite:///{VAR_DIR / 'gza.sqlite3'}", ["sqlite", "postgres", "postgresql"]
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
DATABASE_VENDOR = "postgresql" if DATABASE_URL.startswith("postgres") else "sqlite"
if DATABASE_VENDOR == "postgresql":
    statement_timeout_ms = env_int("DB_STATEMENT_TIMEOUT_MS", 30_000, minimum=0)
    lock_timeout_ms = env_int("DB_LOCK_TIMEOUT_MS", 10_000, minimum=0)
    DATABASES["default"].update(
        {
            # One request, one transaction: a failed view leaves nothing half-stored.
            "ATOMIC_REQUESTS": True,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "options": (
                    f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={lock_timeout_ms}"
                ),
            },
        }
    )
else:
    # The embedded database lives under var/, which a fresh clone does not have yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].update(
        {
            # WAL lets the worker and the web process use the file at the same time.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # A write transaction takes the lock at its start, so two writers queue instead
                # of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Job seekers without an e-mail address: mobile number and password.
    "gza.core.backends.PhonePasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing with the real hasher makes each test login cost ~0.3 s for no extra assurance.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed logins: five wrong passwords for one username from one address lock that pair out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form posts the e-mail address as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: an idle session expires; every request renews it.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor (TOTP) for staff roles: required in production, optional elsewhere.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = "Gza"

# Internationalisation: Georgian first, English second.
LANGUAGE_CODE = "ka"
LANGUAGES = [("ka", _("Georgian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tbilisi"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["gza.formats"]
LANGUAGE_COOKIE_NAME = "gza_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "gza" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded documents (agreements' texts, later CVs and passports) are kept outside the web root
# and served only by views that check who asks (gza/core/uploads.py).
PRIVATE_MEDIA_ROOT = Path(env_str("GZA_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))).resolve()
for public_root in [STATIC_ROOT, MEDIA_ROOT, *STATICFILES_DIRS]:
    if PRIVATE_MEDIA_ROOT.is_relative_to(public_root.resolve()):
        raise ImproperlyConfigured(
            f"GZA_PRIVATE_MEDIA_ROOT ({PRIVATE_MEDIA_ROOT}) must not lie under {public_root}."
        )
UPLOAD_MAX_MB = env_int("GZA_UPLOAD_MAX_MB", 10, minimum=1)
# Outside production WhiteNoise serves straight from the app directories (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
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

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_TRANSPORT = env_choice(
    "EMAIL_BACKEND", "smtp" if PRODUCTION else "console", ["console", "smtp"]
)
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{EMAIL_TRANSPORT}.EmailBackend",
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
                "timeout": 20,
            }
            if EMAIL_TRANSPORT == "smtp"
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Gza <no-reply@gza.gov.ge>")

# Text messages (one-time codes): printed to the console unless a gateway's backend is named
# (a dotted path); gza.registry.messaging.FileSmsBackend writes them under SMS_FILE_PATH.
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "gza.registry.messaging." + ("UnconfiguredSmsBackend" if PRODUCTION else "ConsoleSmsBackend"),
)
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms"))
# One-time codes that confirm a phone or e-mail address (gza/registry/otp.py). The per-IP limit
# is raised for load tests, where every request comes from one address.
OTP_TTL_MINUTES = env_int("OTP_TTL_MINUTES", 10, minimum=1)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5, minimum=1)
OTP_ADDRESS_LIMIT_WINDOW = env_int("OTP_ADDRESS_LIMIT_WINDOW", 3, minimum=1)
OTP_ADDRESS_LIMIT_DAY = env_int("OTP_ADDRESS_LIMIT_DAY", 10, minimum=1)
OTP_IP_LIMIT_WINDOW = env_int("OTP_IP_LIMIT_WINDOW", 30, minimum=1)
# How long a confirmed address may be used to finish a registration.
OTP_VERIFIED_MINUTES = env_int("OTP_VERIFIED_MINUTES", 30, minimum=1)

# Background tasks (django.tasks): the database queue by default, RQ on Redis to scale out,
# immediate in tests.
REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", ["redis", "rediss"])
TASKS_BACKEND = env_choice(
    "TASKS_BACKEND",
    "immediate" if ENVIRONMENT == "test" else "database",
    ["database", "rq", "immediate"],
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

CACHES = {
    "default": {
        # The database cache is shared by every web process, so login throttling and rate
        # limits hold across processes without another service.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gza_cache",
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "gza.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "60/minute"),
        "user": env_str("API_USER_RATE", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gza API",
    "DESCRIPTION": "Georgia's labour-migration information system: REST API for partner systems.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field with different choices; name each set after its enum.
    "ENUM_NAME_OVERRIDES": {
        "VacancyStatusEnum": "gza.demand.enums.VacancyStatus",
        "VettingStatusEnum": "gza.demand.enums.VettingStatus",
        "CertificationStatusEnum": "gza.demand.enums.CertificationStatus",
        "ConsentPurposeEnum": "gza.registry.enums.ConsentPurpose",
        "GrievanceSeverityEnum": "gza.mobility.enums.Severity",
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

# HTTPS and cookies: everything on in production (manage.py check --deploy reports nothing).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; Gza puts no personal data in URLs.
        "django.server": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
