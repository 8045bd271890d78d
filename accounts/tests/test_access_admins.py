"""The three administrators over ADMIN_MATRIX (accounts/tests/access.py)."""

import pytest
from django.urls import reverse

from accounts.tests.access import ADMIN_MATRIX, ADMINS, target_kwargs

CASES = [(name, admin) for name in ADMIN_MATRIX for admin in ADMINS]


def _url(name, target, personas):
    kwargs = {}
    if target == "unit":
        kwargs = {"pk": personas.org.branch_a.pk}
    elif target == "member":
        kwargs = {"pk": personas.members.other_a.pk}
    elif target == "term":
        kwargs = {"pk": personas.terms.a.pk}
    elif target is not None:
        kwargs = target_kwargs(target, personas)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "admin"), CASES, ids=[f"{n}-{a}" for n, a in CASES])
def test_admin_access(name, admin, personas, admins, login):
    method, expected, target = ADMIN_MATRIX[name]
    client = login(getattr(admins, admin))
    url = _url(name, target, personas)
    response = client.get(url) if method == "GET" else client.post(url, {"field": "id_number"})
    assert response.status_code == expected[admin], f"{admin} {method} {url}: {response.status_code}"
