"""Settings for the letters-of-intent portal, read from the environment.

Defaults run on a bare laptop (SQLite, tasks in-process, e-mail as files under var/);
production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=off.
"""

import datetime as dt
from email.utils import getaddresses
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from portal.config import security
from portal.config.cache import cache_settings
from portal.config.checks import refuse_bad_networks, refuse_incomplete_configuration
from portal.config.database import default_database
from portal.config.logs import logging_config
from portal.config.storage import private_storage, s3_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
# The laptop defaults keep the database, e-mails and uploads here; create it on first use.
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    SECURE=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")
SECURE = env("SECURE")
# Production (SECURE=on) must bring its own key; the fallback only serves laptops and tests.
SECRET_KEY = (
    env.str("SECRET_KEY")
    if SECURE
    else env.str("SECRET_KEY", default="development-only-key-not-for-production-use-0123456789")
)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_ratelimit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "django_celery_beat",
    "django_prometheus",
    "django_guid",
    "rules.apps.AutodiscoverRulesConfig",
    "portal.accounts",
    "portal.organisations",
    "portal.notifications",
    "portal.audit",
    "portal.security",
    "portal.operations",
    "intents",
]

MIDDLEWARE = [
    # Counts every request and times it from here (django-prometheus; /metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id: an X-Request-ID header that is not a sane id is dropped first, then
    # django-guid takes the header's (or makes one) and echoes it on the response.
    "portal.operations.logging.RequestIdMiddleware",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Programme officers without two-factor authentication are sent to set it up.
    "portal.accounts.mfa.OfficerMFAMiddleware",
    # Records each PermissionDenied a view raises (security.denied) before the 403 page.
    "portal.security.middleware.AuditDenialsMiddleware",
    # Counts by view and times the view (django-prometheus); before axes, so it sees the
    # response axes gives a locked-out attempt.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.registry.navigation_links",
            ],
            # One presentation of moments and numbers for every template (portal/presentation.py).
            "libraries": {"present": "portal.templatetags.present"},
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite in the data folder by default (portal/config/database.py), PostgreSQL in production.
DATABASES = {"default": default_database(env, var_dir=VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "portal.accounts.adapter.PortalAccountAdapter"
ACCOUNT_FORMS = {"signup": "portal.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env("SECURE") else "http"

# --- Two-factor authentication (allauth.mfa) ----------------------------------------------
# Offered to everyone, required of programme officers (portal/accounts/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lunar cooperation portal"
# One step either side of now, as RFC 6238 advises for network delay and phone clocks.
MFA_TOTP_TOLERANCE = 1

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Letters' documents and built archives never live under MEDIA_ROOT: only checked views serve
# them. A folder on this node by default; an S3-compatible bucket when S3_BUCKET is set, so any
# number of web nodes and workers share every file (portal/storage.py, docs/DEPLOY.md).
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_SETTINGS = s3_settings(env)
PRIVATE_STORAGE = private_storage(env, bucket=S3_BUCKET, s3=S3_SETTINGS, root=PRIVATE_STORAGE_ROOT)
# Archives are built here, on the worker's own disk, then handed to the storage.
WORK_DIR = Path(env.str("PORTAL_WORK_DIR", default=str(VAR_DIR / "work")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# An upload's PDF is checked in a child process whose address space may grow this much beyond
# the interpreter's own (about 45 MB) and which is killed after this many seconds
# (intents/uploads.py): a file that needs more is refused as too complex.
UPLOAD_CHECK_MEMORY_MB = env.int("UPLOAD_CHECK_MEMORY_MB", default=128)
UPLOAD_CHECK_SECONDS = env.float("UPLOAD_CHECK_SECONDS", default=10.0)
DOCUMENTS_PER_LETTER = env.int("DOCUMENTS_PER_LETTER", default=20)
# A letter's stored uploads (current, and removed but not yet purged) may not pass this.
LETTER_STORAGE_QUOTA_BYTES = env.int("LETTER_STORAGE_QUOTA_BYTES", default=100 * 1024 * 1024)
# A draft's removed document no filed version names is deleted from storage after this.
REMOVED_DOCUMENT_GRACE_HOURS = env.int("REMOVED_DOCUMENT_GRACE_HOURS", default=24)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- E-mail ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Lunar cooperation portal <noreply@localhost>"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_TIMEOUT = 30

# --- Celery ---------------------------------------------------------------------------------
# No REDIS_URL: tasks run in-process, so a laptop needs no broker. With one, the settings
# follow Celery's advice for Redis: late acks, redelivery when a worker dies, one task at a time.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds before a temporary SMTP failure is tried again, doubling per attempt up to an hour.
OUTBOX_RETRY_SECONDS = env.float("OUTBOX_RETRY_SECONDS", default=30.0)
OUTBOX_RETRY_MAX_SECONDS = 3600
# Redis hands an unacknowledged task to another worker after the visibility timeout; it must
# outlast the longest retry countdown, or a task waiting for its retry would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * OUTBOX_RETRY_MAX_SECONDS}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang on a broker that is down: the outbox row waits for the sweeper.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# The schedule lives in the database (django-celery-beat), where the office can see and edit
# it; portal.notifications.schedule writes the default entries after every migrate.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# An archive build renews its lease as it works; one whose lease ran out went down with its
# worker and is retried by the sweeper (every minute), up to EXPORT_MAX_ATTEMPTS attempts.
EXPORT_LEASE_SECONDS = env.int("EXPORT_LEASE_SECONDS", default=120)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# How long a queued or in-flight outbox row may sit before the sweeper sends it again.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=600)
# After this many temporary failures a message is marked failed, with its last error.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Outbox rows per broker message: the e-mails a transaction queued go to the broker on its
# commit in tasks of this many, each sending its rows over one SMTP session.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
# A reviewer who has not said whether they have a conflict this long after an assignment is
# reminded once for it.
REVIEWER_DECLARE_NUDGE_HOURS = env.int("REVIEWER_DECLARE_NUDGE_HOURS", default=48)
# The office's daily digest of the call's last week goes out from this hour, official time.
OFFICE_DIGEST_HOUR = env.int("OFFICE_DIGEST_HOUR", default=8)

# --- Cache ----------------------------------------------------------------------------------
# Rate-limit counters must be shared by every web process: Redis when there is one.
CACHES, SILENCED_SYSTEM_CHECKS = cache_settings(env, redis_url=REDIS_URL)

# A call's dashboard counts are kept while no audit event is written, at most this long.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)

# --- Forms and messages ---------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
COUNTRIES_FIRST = ["CN"]
# The names people use, not the ISO list's ("Naoero", "Bahamas (The)").
COUNTRIES_OVERRIDE = {"NR": _("Nauru"), "BS": _("Bahamas")}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script of ours reads the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No 'unsafe-inline': scripts and styles come from our static files only.
CONTENT_SECURITY_POLICY = security.CONTENT_SECURITY_POLICY
if SECURE:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health probes speak plain HTTP inside the network
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# The client's address behind the proxy (which SECURE=on trusts for X-Forwarded-Proto too) is
# the one our proxy appended to X-Forwarded-For: the last entry, or the N-th from the end behind
# N proxies; entries further left are written by the client and never trusted. allauth's rate
# limits, django-axes and the audit log all read it through portal.security.network.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if SECURE else 0)

# Sign-in lockout (django-axes): 5 failures for one account from one address lock that pair
# for 15 minutes (restarted by each attempt meanwhile), so a stranger failing elsewhere cannot
# lock the owner out. allauth signs in with authenticate(email=...), which attempted_email()
# reads, lower-cased.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "portal.security.lockout.attempted_email"
AXES_CLIENT_IP_CALLABLE = "portal.security.network.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in our audit log
# The lockout page offers a link by e-mail that unlocks the account at once; it works once,
# within this many minutes.
UNLOCK_LINK_MINUTES = env.int("UNLOCK_LINK_MINUTES", default=60)
# Failed sign-ins from one address, over all accounts, before it is refused for a while.
LOGIN_FAILURES_PER_ADDRESS = env.str("LOGIN_FAILURES_PER_ADDRESS", default="300/10m/ip")

# Rate limits, answered with 429.html (the sign-in form says it itself). allauth's are per
# address (ip) or per e-mail address (key).
ACCOUNT_RATE_LIMITS = {
    "signup": "20/h/ip",
    # Sign-in forms sent from one address: high enough for colleagues behind one NAT.
    "login": "120/m/ip",
    # Per address only, and high: a university behind one NAT shares an address, and axes
    # already locks one account from one address after 5 failures; this stops one address
    # from trying passwords on many accounts.
    "login_failed": LOGIN_FAILURES_PER_ADDRESS,
    "reset_password": "20/h/ip,5/h/key",  # nosec B105: a rate, not a password
    "reset_password_from_key": "20/m/ip",  # nosec B105: a rate, not a password
    "confirm_email": "1/3m/key",  # re-sending the verification e-mail
    # Asking for an e-mailed link that unlocks signing in (portal/security/unlock.py).
    "unlock_account": "20/h/ip,5/h/key",
}
# Ours (portal/security/throttle.py), per signed-in user, on what sends e-mail or stores files.
INVITATION_RATE = "20/h"
UPLOAD_RATE = "60/h"

# --- Logs, metrics and error reports (portal/operations) ------------------------------------
# JSON lines in production (timestamp, level, logger, message, request_id, user_id, path),
# readable text with DEBUG on. The request id comes from X-Request-ID when it is sane, and is
# echoed on the response (gunicorn's access log reads it there) and carried to Celery tasks.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = logging_config(log_format=LOG_FORMAT, log_level=LOG_LEVEL)
# A worker's lines go through the same LOGGING (portal.operations.logging.keep_django_logging
# answers Celery's setup_logging signal); this keeps Celery off the root logger regardless.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # Our middleware checks the header (length and characters); django-guid's own check
    # accepts UUID4s only.
    "VALIDATE_GUID": False,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}

# Prometheus reads /metrics with METRICS_TOKEN as a bearer token, or from an address in
# METRICS_ALLOWED_IPS (addresses or networks); signed-in programme officers may read it too.
# Everyone else gets a 404. With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR in the
# environment (portal/operations/metrics.py).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
refuse_bad_networks("METRICS_ALLOWED_IPS", METRICS_ALLOWED_IPS)
if env.str("PROMETHEUS_MULTIPROC_DIR", default=""):
    Path(env.str("PROMETHEUS_MULTIPROC_DIR")).mkdir(parents=True, exist_ok=True)
if SECURE:
    # Prometheus scrapes each node itself, over plain HTTP inside the network, like health probes.
    SECURE_REDIRECT_EXEMPT.append(r"^metrics$")

# Errors: e-mailed to ADMINS ("Name <a@b.org>,Other <c@d.org>") by Django, and sent to Sentry
# when SENTRY_DSN is set. Neither carries what users typed: letters are confidential.
ADMINS = [pair for pair in getaddresses([env.str("ADMINS", default="")]) if pair[1]]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.operations.errors.ConfidentialReporterFilter"
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.operations.errors import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )


# --- Refused at start -------------------------------------------------------------------------
# Production (SECURE=on) must say every setting a laptop's default would half-serve
# (portal/config/checks.py); S3 settings must make sense together.
refuse_incomplete_configuration(
    env, secure=SECURE, site_url=SITE_URL, s3_bucket=S3_BUCKET, s3_settings=S3_SETTINGS
)
