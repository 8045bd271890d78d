"""Production settings: the base settings with every web-hardening switch on.

Use with ``DJANGO_SETTINGS_MODULE=zhibu.settings_production``. Required in the environment:
``ZHIBU_SECRET_KEY`` (50+ random characters, never the development key),
``ZHIBU_ALLOWED_HOSTS`` (comma-separated host names), ``ZHIBU_DATA_KEYS`` and ``ZHIBU_HASH_KEY``
(the keys of the personal data encrypted at rest). Behind a reverse proxy that terminates TLS,
set ``ZHIBU_TLS_PROXY=1`` so that the proxy's ``X-Forwarded-Proto: https`` counts as HTTPS — the
proxy must set (overwrite) that header itself. See docs/security.md.
"""

from django.core.exceptions import ImproperlyConfigured

from members.crypto import parse_data_keys as _check_data_keys
from members.crypto import parse_hash_key as _check_hash_key
from zhibu.env import env_bool, env_int, env_list, env_str
from zhibu.settings import *  # noqa: F403 - production is the base plus the switches below
from zhibu.settings import DEV_SECRET_KEY

DEBUG = False

SECRET_KEY = env_str("ZHIBU_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("ZHIBU_SECRET_KEY must be set in production (50+ random characters).")
if SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("ZHIBU_SECRET_KEY is the development key; generate a new one for production.")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("ZHIBU_SECRET_KEY is too weak: use 50+ random characters.")

ALLOWED_HOSTS = env_list("ZHIBU_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ZHIBU_ALLOWED_HOSTS must list the host names Zhibu is served under.")

# Personal data at rest (members/crypto.py): AES-GCM data keys "keyid:base64[,older...]", the
# first used for writing, and the HMAC key of the lookup hashes. Never derived from SECRET_KEY here.
ZHIBU_DATA_KEYS = env_str("ZHIBU_DATA_KEYS", "")
ZHIBU_HASH_KEY = env_str("ZHIBU_HASH_KEY", "")
if not ZHIBU_DATA_KEYS or not ZHIBU_HASH_KEY:
    raise ImproperlyConfigured(
        "ZHIBU_DATA_KEYS and ZHIBU_HASH_KEY must be set in production "
        "(generate keys with `manage.py rotate_data_key --new-key`; see docs/security.md)."
    )
_check_data_keys(ZHIBU_DATA_KEYS)
_check_hash_key(ZHIBU_HASH_KEY)

# Cookies only over HTTPS; the CSRF token is read from the form, never by script.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS everywhere: redirect plain HTTP, and let browsers remember it for a year (subdomains too).
SECURE_SSL_REDIRECT = env_bool("ZHIBU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ZHIBU_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIBU_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("ZHIBU_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading asks browser vendors to hard-code the domain; intranet host names cannot be
    # preloaded, so the switch stays off unless the organ decides otherwise (W021 says so).
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405

# TLS terminated by a reverse proxy (nginx, a load balancer) in front of the WSGI server.
if env_bool("ZHIBU_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
