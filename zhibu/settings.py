"""Zhibu settings: one file, read from environment variables (see docs/configuration.md)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from zhibu.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHIBU_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("ZHIBU_DEBUG", False)
# The development key is only accepted while DEBUG is on or for the embedded demo;
# production sets ZHIBU_SECRET_KEY.
DEV_SECRET_KEY = "zhibu-dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("ZHIBU_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ZHIBU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Zhibu apps, one per domain concept.
    "common",
    "accounts",
    "organizations",
    "members",
    "committees",
    "ledger",
    "meetings",
    "lifemeetings",
    "compliance",
    "notifications",
    "reports",
    "ballots",
    "rectification",
    "inspections",
    "integrity",
    "study",
    "campaigns",
    "recognition",
    "assessments",
    # Composition: the home page and the navigation, drawn from the registries the apps fill.
    "portal",
    # Composition: all demo data, built through the apps above (no app imports it).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "common.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "common.middleware.RequestContextMiddleware",
    "common.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SessionLimitMiddleware",
    "accounts.middleware.IdentityGateMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhibu.urls"
WSGI_APPLICATION = "zhibu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread",
                "portal.context_processors.nav",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL (or another) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhibu.sqlite3'}"),
        conn_max_age=env_int("ZHIBU_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password policy of the level-3 protection profile (docs/identity.md), with Chinese messages.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("ZHIBU_PASSWORD_MIN_LENGTH", 8)},
    },
    {
        "NAME": "accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("ZHIBU_PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "accounts.passwords.UsernameValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
]
# Days before a password must be changed; 0 turns periodic change off (as OWASP ASVS prefers).
ZHIBU_PASSWORD_MAX_AGE_DAYS = env_int("ZHIBU_PASSWORD_MAX_AGE_DAYS", 90)
# Hours after login when a session ends however active it is (0 = no absolute limit).
ZHIBU_SESSION_ABSOLUTE_HOURS = env_int("ZHIBU_SESSION_ABSOLUTE_HOURS", 12)
# Roles that must pass a TOTP second factor (e.g. "committee_staff,sysadmin,secadmin,auditadmin");
# empty = the second factor is off.
ZHIBU_OTP_REQUIRED_ROLES = env_list("ZHIBU_OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = env_str("ZHIBU_OTP_ISSUER", "支部工作台")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins: lock the account (by username, from any address) after N failures for M
# minutes. Locking by username alone is deliberate: an account cannot be attacked by rotating
# addresses, and colleagues behind one NAT address are not locked out together. axes warns
# (W006) that ip_address is not a lockout parameter; that warning does not apply here.
AXES_FAILURE_LIMIT = env_int("ZHIBU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHIBU_LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after N minutes without a request (idle timeout).
SESSION_COOKIE_AGE = env_int("ZHIBU_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("ZHIBU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only, remembered by the browser: off in development, a year in settings_production.
SECURE_HSTS_SECONDS = env_int("ZHIBU_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIBU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ZHIBU_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp): our own files only, scripts only from static files or
# carrying the per-request nonce, no inline styles, no plug-ins, no framing, forms post only
# to us. Templates: no inline handlers or style attributes (common/tests/test_security_headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language (templates use DATE_FORMAT / MONTH_DAY_FORMAT, never a Chinese pattern).
FORMAT_MODULE_PATH = ["zhibu.formats"]
TIME_ZONE = env_str("ZHIBU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Domain settings.
ZHIBU = {
    # Largest ledger workbook accepted for import, in bytes.
    "IMPORT_MAX_BYTES": env_int("ZHIBU_IMPORT_MAX_BYTES", 5 * 1024 * 1024),
    # Days before a committee term's expiry when the 换届提醒 starts.
    "TERM_REMINDER_DAYS": env_int("ZHIBU_TERM_REMINDER_DAYS", 90),
    # A meeting record entered more than N days after the meeting is marked 补录; the record
    # locks N days after entry, and a later edit needs a reason.
    "LATE_ENTRY_DAYS": env_int("ZHIBU_LATE_ENTRY_DAYS", 7),
    # Attachments: largest file in bytes, and the types accepted (checked by content).
    "ATTACHMENT_MAX_BYTES": env_int("ZHIBU_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
    # Months without organisational life (and no valid absence reason) before a member is flagged.
    "LAPSE_MONTHS": env_int("ZHIBU_LAPSE_MONTHS", 6),
    # Minutes whose 5-gram Jaccard similarity reaches this share are flagged as near-duplicates
    # (integrity); set in whole percent, e.g. ZHIBU_SIMILARITY_PERCENT=75.
    "SIMILARITY_THRESHOLD": env_int("ZHIBU_SIMILARITY_PERCENT", 80) / 100,
    # The committee dashboard's per-branch summaries are judged again when their data changes,
    # and in any case once they are this many seconds old (bounds how long a change made outside
    # the application, e.g. in SQL, can go unseen).
    "COMPLIANCE_OVERVIEW_SECONDS": env_int("ZHIBU_COMPLIANCE_OVERVIEW_SECONDS", 24 * 3600),
    # A closed anonymous ballot (民主评议, 述职评议) with fewer voters than this publishes its
    # turnout only, no count per option (docs/ballots.md).
    "BALLOT_MIN_VOTERS": env_int("ZHIBU_BALLOT_MIN_VOTERS", 3),
}

# Email for reminders: only when ZHIBU_EMAIL_HOST is set (intranet SMTP relay).
EMAIL_HOST = env_str("ZHIBU_EMAIL_HOST", "")
EMAIL_PORT = env_int("ZHIBU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ZHIBU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("ZHIBU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ZHIBU_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ZHIBU_EMAIL_FROM", "zhibu@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.dummy.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIBU_LOG_LEVEL", "WARNING")},
}
