"""Settings for Samverkansportalen, read from the environment only.

The defaults are the embedded run (`make run`): SQLite, no broker (Celery tasks
run inline), console e-mail, DEBUG on. Production sets DEBUG=False and gets the
hardened values below; `manage.py check --deploy` is clean there.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-embedded-only-" + "x" * 40 if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORTAL_VERSION = "0.1.0"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "rules",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "governance",
    "implementation",
    "research",
    "public",
    # Archive packages, retention rules and disposal (issue 16, item 2).
    "archives",
    # Single sign-on (OIDC, SAML): identity providers and programmes' requirement.
    "sso",
    # Demo and benchmark data: the one app that imports all the others.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.locale.ChosenLanguageMiddleware",
    "portal.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.sessions.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.tenancy.TenantMiddleware",
    # After the tenancy: a programme that requires single sign-on refuses password sessions.
    "sso.middleware.SsoPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

FORM_RENDERER = "portal.forms.PortalFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Survive a PostgreSQL restart without restarting the portal.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:picker"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on (sso/): identity providers are rows edited in the Django admin,
# or declared here as a JSON list (see sso/providers.py and the README).
SSO_PROVIDERS = env.json("SSO_PROVIDERS", default=[])
# djangosaml2: the SP configuration is built per provider (sso.saml.config_loader);
# requests go to the IdP by redirect (no script on our pages), answers come by POST.
SAML_CONFIG_LOADER = "sso.saml.config_loader"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CREATE_UNKNOWN_USER = False
SAML_ATTRIBUTE_MAPPING: dict[str, tuple[str, ...]] = {}
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_CSP_HANDLER = ""
# djangosaml2's own session cookie: the IdP posts its answer from another site,
# which only a SameSite=None cookie survives (and browsers want it Secure: over
# plain HTTP in the embedded run, Lax, for an IdP on the same site).
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
# An SP key and certificate (PEM files) for federations that want signed requests.
SAML_SP_KEY_FILE = env.str("SAML_SP_KEY_FILE", default="")
SAML_SP_CERT_FILE = env.str("SAML_SP_CERT_FILE", default="")
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Logged out after this many seconds without a request (portal.sessions).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)

# Login throttling (django-axes): five wrong passwords for one username from one
# address lock that pair out for 15 minutes; a right password resets the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "portal.views.account.lockout"
AXES_CLIENT_IP_CALLABLE = "portal.sessions.client_ip"
# How many proxies in front of gunicorn append to X-Forwarded-For (0: the client
# address is REMOTE_ADDR). Only these trusted entries are believed.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Two-factor login (django-otp, TOTP apps). The issuer names the portal in the app.
OTP_TOTP_ISSUER = "Samverkansportalen"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media is never served publicly: downloads go through permission-checked views.
MEDIA_URL = "/_media/"
# The seal of approved minutes' PDFs (portal/documents/seals.py): an organisation
# certificate for e-seals and its key, PEM files (the certificate file may carry
# the chain after it). Without them a self-signed certificate is generated on
# first use in SEAL_DIR, which is private (0700) and never served.
SEAL_CERTIFICATE = env.str("SEAL_CERTIFICATE", default="")
SEAL_KEY = env.str("SEAL_KEY", default="")
SEAL_KEY_PASSPHRASE = env.str("SEAL_KEY_PASSPHRASE", default="")
if bool(SEAL_CERTIFICATE) != bool(SEAL_KEY):
    raise environ.ImproperlyConfigured("Set both SEAL_CERTIFICATE and SEAL_KEY, or neither.")
SEAL_DIR = env.path("SEAL_DIR", default=Path(str(MEDIA_ROOT)).parent / "seal")
# Dashboard panels are cached this many seconds (0: never) under the
# programme's data version, which every write changes (portal/dashboards/cache.py).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Self-assessment evidence: the largest attachment accepted (bytes).
IMPLEMENTATION_ATTACHMENT_MAX_BYTES = env.int(
    "IMPLEMENTATION_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
# Larger request bodies are refused (413) before they are read (portal.request_limits).
MAX_REQUEST_BYTES = env.int(
    "MAX_REQUEST_BYTES", default=IMPLEMENTATION_ATTACHMENT_MAX_BYTES + 1024 * 1024
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: console in the embedded run, SMTP via EMAIL_URL in production
# (smtp+tls://user:password@host:587). Without EMAIL_URL production falls back to
# Django's own default, SMTP on localhost:25: mail must never vanish into a log there.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            key.lower(): _email[f"EMAIL_{key}"]
            for key in ("HOST", "PORT", "HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL")
            if _email.get(f"EMAIL_{key}")
        }
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
for _old, _new in (("host_user", "username"), ("host_password", "password")):
    if _old in MAILERS["default"]["OPTIONS"]:
        MAILERS["default"]["OPTIONS"][_new] = MAILERS["default"]["OPTIONS"].pop(_old)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samverkansportalen <noreply@localhost>")

# Redis and Celery. No REDIS_URL: tasks run inline in the web process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands a task that no worker acknowledged (acks_late: its worker was
# killed mid-job) to another worker after this many seconds. Longer than any
# task's hard time limit, so a task still running is never handed out twice;
# a redelivered document job is then redone (portal.documents.jobs.claim).
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=2 * CELERY_TASK_TIME_LIMIT)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Give up document jobs stuck in a dead worker, so their users can retry.
    "sweep-stuck-documents": {
        "task": "portal.tasks.sweep_stuck_documents",
        "schedule": 5 * 60.0,
    },
    # Remind principal reporters due to self-assess, and process leaders of
    # assessments waiting for review (idempotent per day; see implementation.tasks).
    "implementation-reminders": {
        "task": "implementation.tasks.send_assessment_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Remind principals that have not answered the assignments due at their
    # body's next meeting, REPORT_BACK_REMINDER_DAYS before it (once per
    # principal, assignment and meeting; see governance.tasks).
    "governance-report-back-reminders": {
        "task": "governance.tasks.send_report_back_reminders_all",
        "schedule": crontab(hour=7, minute=45),
    },
    # Remind signatories of minutes waiting for their justering (once per round).
    "minutes-signing-reminders": {
        "task": "governance.tasks.send_signing_reminders",
        "schedule": crontab(hour=7, minute=45),
    },
    # Clear the contact details of people who left, once their programme's
    # period has passed (portal.departures; idempotent).
    "clear-departed-contacts": {
        "task": "portal.tasks.clear_departed_contacts",
        "schedule": crontab(hour=3, minute=15),
    },
}
# The days after which the contact details of a person who left a programme
# are cleared, where the programme has not set its own period (its privacy
# details); see portal.departures.
CLEAR_DEPARTED_CONTACTS_AFTER_DAYS = env.int("CLEAR_DEPARTED_CONTACTS_AFTER_DAYS", default=365)
# Signing minutes asks for the password (or a two-factor code) again when the
# last authentication is older than this many seconds.
MINUTES_SIGNING_REAUTH_SECONDS = env.int("MINUTES_SIGNING_REAUTH_SECONDS", default=5 * 60)
# A signatory who has not signed is reminded once, this many days after the
# minutes were sent for signing.
MINUTES_SIGNING_REMINDER_DAYS = env.int("MINUTES_SIGNING_REMINDER_DAYS", default=3)
# Someone reminded is not reminded again for this many days.
IMPLEMENTATION_REMINDER_REPEAT_DAYS = env.int("IMPLEMENTATION_REMINDER_REPEAT_DAYS", default=14)
# Principals that have not answered an assignment are reminded this many days
# before the meeting of the body that follows it up.
REPORT_BACK_REMINDER_DAYS = env.int("REPORT_BACK_REMINDER_DAYS", default=7)
# Research exports: how many exports (zipped or streamed) and new API tokens one
# researcher may ask for, and how many API requests one token may make
# (django-ratelimit rates: "<count>/<s|m|h|d>").
RESEARCH_EXPORT_RATE = env.str("RESEARCH_EXPORT_RATE", default="30/h")
RESEARCH_API_RATE = env.str("RESEARCH_API_RATE", default="120/m")
# The portal's address, for links in e-mails sent by background tasks (no request).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content-Security-Policy: no inline scripts, no third-party origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# htmx and forms read the token from the page, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP inside the compose network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint logs each rendering step at INFO, and a warning for each
        # screen-only rule of portal.css (which the PDFs share); errors show.
        "weasyprint": {"level": "ERROR"},
        # django-axes logs every successful login at INFO; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# Tenant slugs may not shadow the portal's own top-level paths.
RESERVED_TENANT_SLUGS = {
    "accounts",
    "admin",
    "django-admin",
    "healthz",
    "i18n",
    "static",
    "_media",
    "om",
    "about",
    "api",
    "tillganglighet",
    "integritet",
}
