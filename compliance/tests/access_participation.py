"""Access-matrix rows for the participation pages (collected by tests/test_access_matrix.py)."""

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")

MATRIX = {
    "compliance:participation.branch": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit",
    ),
    "compliance:participation.member": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "member",
    ),
    "compliance:participation.member@self": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "self",
    ),
    # Redirects to the signed-in member's own page; committee staff and inspectors in the fixtures
    # are not party members of a branch.
    "compliance:participation.mine": (
        "GET",
        {"staff": 404, "inspector": 404, "secretary_a": 302, "member_a": 302, "secretary_b": 302},
        None,
    ),
    "compliance:participation.cadres": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 404, "member_a": 404, "secretary_b": 404},
        None,
    ),
}

POST_DATA = {}


def target_kwargs(target, personas):
    return None
