"""One walk over every URL name with every persona, asserting the expected status.

Apps added later contribute their rows from ``<app>/tests/access.py``: a ``MATRIX`` dict of the
same shape, a ``POST_DATA`` dict (optional) and ``target_kwargs(target, personas)`` that returns
the URL kwargs for the targets they name (or None for targets they don't know).

The target objects all belong to branch A (its unit, a member of it, its current term), so
the secretary of branch B is always out of scope. A new URL name must be added to MATRIX:
the coverage test fails until it is.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import OK, allowed, cases, everyone, expect, url_for

# url name: (method, {persona: expected status or set of statuses}, target); tests/matrix.py.
# target names the object the URL is about: unit (branch A), member (a colleague in branch A),
# self (member_a's own record), term (branch A's current term), duty, or None.
MATRIX = {
    "portal:home": ("GET", everyone(200), None),
    "accounts:audit.list": ("GET", expect(200, 200, 404, 404, 404), None),
    "accounts:login": ("GET", everyone(302), None),
    "accounts:logout": ("POST", everyone(302), None),
    "set_language": ("POST", everyone(302), None),
    # Organisation
    "organizations:unit.tree": ("GET", everyone(200), None),
    "organizations:unit.create": ("GET", expect(200, 403, 403, 403, 403), None),
    "organizations:unit.detail": ("GET", expect(200, 200, 200, 200, 404), "unit"),
    "organizations:unit.edit": ("GET", expect(200, 403, 403, 403, 404), "unit"),
    "organizations:unit.dissolve": ("POST", expect(OK, 403, 403, 403, 404), "unit"),
    "organizations:unit.archive": ("POST", expect(OK, 403, 403, 403, 404), "unit"),
    "organizations:unit.restore": ("POST", expect(OK, 403, 403, 403, 404), "unit"),
    # Members
    "members:member.list": ("GET", everyone(200), None),
    "members:member.export": ("GET", expect(200, 200, 200, 403, 200), None),
    "members:member.create": ("GET", expect(200, 403, 200, 403, 200), None),
    "members:member.detail": ("GET", expect(200, 200, 200, 404, 404), "member"),
    "members:member.detail@self": ("GET", expect(200, 200, 200, 200, 404), "self"),
    "members:member.edit": ("GET", expect(200, 403, 200, 404, 404), "member"),
    "members:member.transfer": ("GET", expect(200, 403, 200, 404, 404), "member"),
    "members:member.archive": ("POST", expect(OK, 403, OK, 404, 404), "member"),
    "members:member.restore": ("POST", expect(OK, 403, OK, 404, 404), "member"),
    "members:member.reveal": ("POST", expect(OK, 403, OK, 404, 404), "member"),
    "members:member.reveal@self": ("POST", expect(OK, 403, OK, OK, 404), "self"),
    # Committees
    "committees:term.list": ("GET", everyone(200), None),
    "committees:term.create": ("GET", expect(200, 403, 200, 403, 404), "unit_id"),
    "committees:term.detail": ("GET", expect(200, 200, 200, 200, 404), "term"),
    "committees:term.edit": ("GET", expect(OK, 403, OK, 403, 404), "term"),
    "committees:term.submit": ("POST", expect(OK, 403, OK, 403, 404), "term"),
    "committees:term.approve": ("POST", expect(OK, 403, 403, 403, 404), "term"),
    "committees:term.return": ("POST", expect(OK, 403, 403, 403, 404), "term"),
    # A secretary may archive only terms that were never approved; term A is current.
    "committees:term.archive": ("POST", expect(OK, 403, 403, 403, 404), "term"),
    "committees:term.restore": ("POST", expect(OK, 403, 403, 403, 404), "term"),
    "committees:duty.list": ("GET", everyone(200), None),
    "committees:duty.edit": ("GET", expect(200, 403, 403, 403, 403), "duty"),
    # Ledger
    "ledger:import": ("GET", expect(200, 404, 404, 404, 404), None),
    "ledger:template": ("GET", expect(200, 404, 404, 404, 404), None),
}

# What a POST sends, where an empty form would only be refused as incomplete.
POST_DATA = {
    "members:member.reveal": {"field": "id_number"},
    "members:member.reveal@self": {"field": "phone"},
}


def _access_modules() -> list[str]:
    """Every ``<app>/tests/access*.py`` module of the project's own apps."""
    from django.apps import apps
    from django.conf import settings

    found = []
    for config in apps.get_app_configs():
        tests_dir = Path(config.path) / "tests"
        if not str(config.path).startswith(str(settings.BASE_DIR)) or ".venv" in str(config.path):
            continue
        for module in sorted(tests_dir.glob("access*.py")):
            found.append(f"{config.name}.tests.{module.stem}")
    return found


APP_MODULES = _access_modules()
_TARGET_RESOLVERS = []
for _module_name in APP_MODULES:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as exc:
        if exc.name != _module_name:
            raise
        continue
    MATRIX.update(_module.MATRIX)
    POST_DATA.update(getattr(_module, "POST_DATA", {}))
    _TARGET_RESOLVERS.append(_module.target_kwargs)


def all_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_the_matrix_covers_every_url_name():
    covered = {name.split("@")[0] for name in MATRIX}
    assert all_url_names() - covered == set(), "add these URL names to MATRIX"
    assert covered - all_url_names() == set(), "MATRIX names URLs that no longer exist"


def _url(name: str, target: str | None, personas) -> str:
    return url_for(name, target, personas, *_TARGET_RESOLVERS)


@pytest.mark.parametrize(("name", "persona"), cases(MATRIX))
def test_access(name, persona, personas, login):
    method, expected, target = MATRIX[name]
    client = login(getattr(personas, persona))
    url = _url(name, target, personas)
    response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(name, {}))
    expected = allowed(expected[persona])
    assert response.status_code in expected, f"{persona} {method} {url}: {response.status_code}, expected {expected}"


@pytest.mark.parametrize("name", [n for n in MATRIX if MATRIX[n][0] == "GET" and "@" not in n])
def test_anonymous_visitors_are_sent_to_login(name, personas, client):
    if name == "accounts:login":
        assert client.get(reverse(name)).status_code == 200
        return
    _method, _expected, target = MATRIX[name]
    response = client.get(_url(name, target, personas))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
