"""Web hardening: Content-Security-Policy with a nonce and nothing inline, the security headers,
``Cache-Control: no-store`` for signed-in users, and templates free of inline script and style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from common.middleware import NoStoreMiddleware

NONCE_IN_HEADER = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'")


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "persona, url",
    [
        ("staff", lambda p: reverse("portal:home")),
        ("staff", lambda p: reverse("members:member.list")),
        ("secretary_a", lambda p: reverse("members:member.detail", args=[p.members.other_a.pk])),
        ("staff", lambda p: reverse("organizations:unit.detail", args=[p.org.branch_a.pk])),
        ("staff", lambda p: reverse("accounts:audit.list")),
    ],
)
def test_pages_carry_a_strict_csp_whose_nonce_is_the_one_on_the_script_tag(personas, login, persona, url):
    response = login(getattr(personas, persona)).get(url(personas))
    assert response.status_code == 200
    policy = csp_of(response)
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", policy["script-src"][1]],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    nonce = NONCE_IN_HEADER.search(response["Content-Security-Policy"]).group(1)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert f'src="/static/zhibu/zhibu.js" nonce="{nonce}"' in html
    assert "onclick=" not in html and "onsubmit=" not in html and "style=" not in html


def test_the_nonce_differs_on_every_response(personas, login):
    client = login(personas.staff)
    first = NONCE_IN_HEADER.search(client.get(reverse("portal:home"))["Content-Security-Policy"]).group(1)
    second = NONCE_IN_HEADER.search(client.get(reverse("portal:home"))["Content-Security-Policy"]).group(1)
    assert first != second


def test_the_login_page_carries_the_policy_and_the_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp_of(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(personas, login):
    client = login(personas.secretary_a)
    # Pages without their own cache rule get the middleware's.
    for url in (reverse("portal:home"), reverse("organizations:unit.tree"), reverse("committees:duty.list")):
        assert client.get(url)["Cache-Control"] == "no-store, private"
    # Pages that set never_cache themselves keep it (it includes no-store).
    detail = client.get(reverse("members:member.detail", args=[personas.members.other_a.pk]))
    assert {"no-store", "private"} <= cache_directives(detail)


def test_a_download_for_a_signed_in_user_is_not_stored_either(personas, login):
    response = login(personas.staff).get(reverse("members:member.export"))
    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def _run_no_store(path, *, authenticated=True, preset=None):
    request = RequestFactory().get(path)
    request.user = type("U", (), {"is_authenticated": authenticated})()

    def view(_request):
        response = HttpResponse("ok")
        if preset:
            response["Cache-Control"] = preset
        return response

    return NoStoreMiddleware(view)(request)


def test_no_store_keeps_a_cache_control_the_view_chose_and_skips_static_files():
    assert _run_no_store("/members/", preset="max-age=60")["Cache-Control"] == "max-age=60"
    assert "Cache-Control" not in _run_no_store(f"/{settings.STATIC_URL.strip('/')}/zhibu/zhibu.css")
    assert "Cache-Control" not in _run_no_store("/members/", authenticated=False)
    assert _run_no_store("/members/")["Cache-Control"] == "no-store, private"


def test_hsts_is_sent_over_https_when_configured(personas, login, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = login(personas.staff).get(reverse("portal:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_is_off_in_development_by_default(personas, login):
    assert settings.SECURE_HSTS_SECONDS == 0
    assert "Strict-Transport-Security" not in login(personas.staff).get(reverse("portal:home"), secure=True)


def test_confirmations_are_data_attributes_handled_by_the_static_script(personas, login):
    html = login(personas.staff).get(reverse("members:member.detail", args=[personas.members.other_a.pk])).content
    assert 'data-confirm="确定归档该党员？' in html.decode()
    script = (Path(settings.BASE_DIR) / "static" / "zhibu" / "zhibu.js").read_text("utf-8")
    assert "data-confirm" in script and "data-back" in script


# --- Every template of the project, read as text ------------------------------------------------

INLINE_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b[^>]*>", re.IGNORECASE)


def project_templates() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    found = set()
    for directory in engines["django"].template_dirs:
        directory = Path(directory).resolve()
        if directory.is_relative_to(base) and ".venv" not in directory.parts:
            found.update(p for p in directory.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".svg"})
    return sorted(found)


def test_the_template_scan_sees_the_project_templates():
    names = {p.relative_to(settings.BASE_DIR).as_posix() for p in project_templates()}
    assert {"templates/base.html", "members/templates/members/member_detail.html"} <= names


@pytest.mark.parametrize("check", ["handlers", "javascript urls", "style attributes", "scripts", "style blocks"])
def test_no_template_has_inline_script_or_style(check):
    offenders = []
    for path in project_templates():
        text = path.read_text("utf-8")
        where = path.relative_to(settings.BASE_DIR).as_posix()
        if check == "handlers":
            offenders += [f"{where}: {m.group(0)[:80]}" for m in INLINE_HANDLER.finditer(text)]
        elif check == "javascript urls":
            offenders += [where] if re.search(r"javascript:", text, re.IGNORECASE) else []
        elif check == "style attributes":
            offenders += [f"{where}: {m.group(0)[:80]}" for m in STYLE_ATTRIBUTE.finditer(text)]
        elif check == "scripts":
            offenders += [
                f"{where}: {tag}"
                for tag in SCRIPT_TAG.findall(text)
                if "src=" not in tag and 'nonce="{{ request.csp_nonce }}"' not in tag
            ]
        else:
            # style-src is 'self' only: styles belong in static/zhibu/zhibu.css.
            offenders += [f"{where}: {tag}" for tag in STYLE_TAG.findall(text)]
    assert offenders == [], "inline script/style is blocked by the Content-Security-Policy"
