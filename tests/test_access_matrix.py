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

from committees.models import RoleDuty

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}  # a page, or an action that redirected (done, or refused with a message)

# url name: (method, {persona: expected status or set of statuses}, target)
# target names the object the URL is about: unit (branch A), member (a colleague in branch A),
# self (member_a's own record), term (branch A's current term), duty, or None.
MATRIX = {
    "portal:home": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "accounts:audit.list": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 404, "member_a": 404, "secretary_b": 404},
        None,
    ),
    "accounts:login": ("GET", dict.fromkeys(PERSONAS, 302), None),
    "accounts:logout": ("POST", dict.fromkeys(PERSONAS, 302), None),
    "set_language": ("POST", dict.fromkeys(PERSONAS, 302), None),
    # Organisation
    "organizations:unit.tree": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "organizations:unit.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403},
        None,
    ),
    "organizations:unit.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "unit",
    ),
    "organizations:unit.edit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "organizations:unit.dissolve": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "organizations:unit.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "organizations:unit.restore": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    # Members
    "members:member.list": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "members:member.export": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 200},
        None,
    ),
    "members:member.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 200},
        None,
    ),
    "members:member.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.detail@self": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "self",
    ),
    "members:member.edit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.transfer": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.restore": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.reveal": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "members:member.reveal@self": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": OK, "secretary_b": 404},
        "self",
    ),
    # Committees
    "committees:term.list": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "committees:term.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit_id",
    ),
    "committees:term.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "term",
    ),
    "committees:term.edit": (
        "GET",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    "committees:term.submit": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    "committees:term.approve": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    "committees:term.return": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    # A secretary may archive only terms that were never approved; term A is current.
    "committees:term.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    "committees:term.restore": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 404},
        "term",
    ),
    "committees:duty.list": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "committees:duty.edit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403},
        "duty",
    ),
    # Ledger
    "ledger:import": (
        "GET",
        {"staff": 200, "inspector": 404, "secretary_a": 404, "member_a": 404, "secretary_b": 404},
        None,
    ),
    "ledger:template": (
        "GET",
        {"staff": 200, "inspector": 404, "secretary_a": 404, "member_a": 404, "secretary_b": 404},
        None,
    ),
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
    url_name = name.split("@")[0]
    kwargs = {}
    if target == "unit":
        kwargs = {"pk": personas.org.branch_a.pk}
    elif target == "unit_id":
        kwargs = {"unit_id": personas.org.branch_a.pk}
    elif target == "member":
        kwargs = {"pk": personas.members.other_a.pk}
    elif target == "self":
        kwargs = {"pk": personas.members.member_a.pk}
    elif target == "term":
        kwargs = {"pk": personas.terms.a.pk}
    elif target == "duty":
        kwargs = {"role": RoleDuty.objects.order_by("role").first().role}
    elif target is not None:
        for resolve in _TARGET_RESOLVERS:
            found = resolve(target, personas)
            if found is not None:
                kwargs = found
                break
        else:
            raise AssertionError(f"no app resolves the target {target!r}")
    return reverse(url_name, kwargs=kwargs)


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_access(name, persona, personas, login):
    method, expected, target = MATRIX[name]
    client = login(getattr(personas, persona))
    url = _url(name, target, personas)
    response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(name, {}))
    allowed = expected[persona] if isinstance(expected[persona], set) else {expected[persona]}
    assert response.status_code in allowed, f"{persona} {method} {url}: {response.status_code}, expected {allowed}"


@pytest.mark.parametrize("name", [n for n in MATRIX if MATRIX[n][0] == "GET" and "@" not in n])
def test_anonymous_visitors_are_sent_to_login(name, personas, client):
    if name == "accounts:login":
        assert client.get(reverse(name)).status_code == 200
        return
    _method, _expected, target = MATRIX[name]
    response = client.get(_url(name, target, personas))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
