"""Access-matrix rows for the notifications pages (collected by tests/test_access_matrix.py).

Target ``notification``: a notification addressed to member_a; everybody else's read answers 404.
"""

from notifications.services import notify

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}

MATRIX = {
    "notifications:notification.list": ("GET", dict.fromkeys(PERSONAS, 200), None),
    "notifications:notification.read": (
        "POST",
        {"staff": 404, "inspector": 404, "secretary_a": 404, "member_a": 302, "secretary_b": 404},
        "notification",
    ),
    "notifications:notification.read_all": ("POST", dict.fromkeys(PERSONAS, 302), None),
}

POST_DATA = {}


def target_kwargs(target, personas):
    if target == "notification":
        n, _created = notify(
            personas.member_a,
            topic="compliance.due",
            unit=personas.org.branch_a,
            title="第一党支部：支委会（2025-03）尚未完成",
            dedupe_key="test:access",
        )
        return {"pk": n.pk}
    return None
