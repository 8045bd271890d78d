"""Access-matrix rows for the participation pages (collected by tests/test_access_matrix.py)."""

from tests.matrix import expect

MATRIX = {
    "compliance:participation.branch": ("GET", expect(200, 200, 200, 403, 404), "unit"),
    "compliance:participation.member": ("GET", expect(200, 200, 200, 404, 404), "member"),
    "compliance:participation.member@self": ("GET", expect(200, 200, 200, 200, 404), "self"),
    # Redirects to the signed-in member's own page; committee staff and inspectors in the fixtures
    # are not party members of a branch.
    "compliance:participation.mine": ("GET", expect(404, 404, 302, 302, 302), None),
    "compliance:participation.cadres": ("GET", expect(200, 200, 404, 404, 404), None),
}

POST_DATA = {}


def target_kwargs(target, personas):
    return None
