"""Access-matrix rows for the notifications pages (collected by tests/test_access_matrix.py).

Target ``notification``: a notification addressed to member_a; everybody else's read answers 404.
"""

from notifications.services import notify
from tests.matrix import everyone, expect

MATRIX = {
    "notifications:notification.list": ("GET", everyone(200), None),
    "notifications:notification.read": ("POST", expect(404, 404, 404, 302, 404), "notification"),
    "notifications:notification.read_all": ("POST", everyone(302), None),
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
