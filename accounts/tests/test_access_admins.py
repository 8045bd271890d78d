"""The three administrators over ADMIN_MATRIX (accounts/tests/access.py)."""

import pytest

from accounts.tests.access import ADMIN_MATRIX, ADMINS, target_kwargs
from tests.matrix import cases, url_for


@pytest.mark.parametrize(("name", "admin"), cases(ADMIN_MATRIX, ADMINS))
def test_admin_access(name, admin, personas, admins, login):
    method, expected, target = ADMIN_MATRIX[name]
    client = login(getattr(admins, admin))
    url = url_for(name, target, personas, target_kwargs)
    response = client.get(url) if method == "GET" else client.post(url, {"field": "id_number"})
    assert response.status_code == expected[admin], f"{admin} {method} {url}: {response.status_code}"
