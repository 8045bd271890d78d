"""zhibu.settings_production: ``check --deploy`` passes at WARNING level, and the settings refuse
to start without a real secret key or host names."""

import base64
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
STRONG_KEY = secrets.token_urlsafe(64)
DATA_KEYS = "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()
HASH_KEY = base64.b64encode(secrets.token_bytes(32)).decode()


def run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIBU_", "DJANGO_", "DATABASE_URL"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="zhibu.settings_production",
        ZHIBU_VAR_DIR=str(tmp_path),
        ZHIBU_SECRET_KEY=STRONG_KEY,
        ZHIBU_ALLOWED_HOSTS="zhibu.example.org",
        ZHIBU_DATA_KEYS=DATA_KEYS,
        ZHIBU_HASH_KEY=HASH_KEY,
    )
    environment.update(env)
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_at_warning_level_with_production_settings(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_every_switch_on(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.ALLOWED_HOSTS)"
    )
    result = run(["shell", "--no-imports", "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "False True True True 31536000 True None ['zhibu.example.org']"


def test_tls_offload_trusts_the_proxy_header_only_when_switched_on(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    result = run(["shell", "--no-imports", "-c", code], tmp_path, ZHIBU_TLS_PROXY="1")
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    "key, message",
    [
        (None, "ZHIBU_SECRET_KEY must be set"),
        ("", "ZHIBU_SECRET_KEY must be set"),
        (settings.DEV_SECRET_KEY, "is the development key"),
        ("short-but-set", "too weak"),
    ],
)
def test_production_refuses_to_start_without_a_strong_secret_key(tmp_path, key, message):
    result = run(["check"], tmp_path, ZHIBU_SECRET_KEY=key)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_host_names(tmp_path):
    result = run(["check"], tmp_path, ZHIBU_ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ZHIBU_ALLOWED_HOSTS must list" in result.stderr
