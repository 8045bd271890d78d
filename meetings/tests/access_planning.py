"""Access-matrix rows for the planning pages (collected by tests/test_access_matrix.py).

Targets: ``plan`` (a plan of branch A), ``archived_plan`` (an archived plan of branch A),
``feed`` (branch A's live iCalendar token; the feed needs no login, so its key carries ``@``
and the anonymous-redirect walk skips it).
"""

import datetime

from meetings import planning
from meetings.models import MeetingKind
from tests.matrix import BRANCH_A_OWN, OK, everyone, expect

SEE = BRANCH_A_OWN
EDIT_GET = expect(200, 403, 200, 403, 404)
EDIT_POST = expect(OK, 403, OK, 403, 404)

MATRIX = {
    "meetings:plan.list": ("GET", SEE, "unit"),
    "meetings:plan.calendar": ("GET", SEE, "unit"),
    "meetings:plan.committee_calendar": ("GET", everyone(200), None),
    "meetings:plan.create": ("GET", EDIT_GET, "unit"),
    "meetings:plan.edit": ("GET", EDIT_GET, "plan"),
    "meetings:plan.archive": ("POST", EDIT_POST, "plan"),
    "meetings:plan.restore": ("POST", EDIT_POST, "archived_plan"),
    "meetings:plan.feed_token": ("POST", EDIT_POST, "unit"),
    "meetings:plan.ical@token": ("GET", everyone(200), "feed"),
}

POST_DATA = {}


def _plan(personas, **extra):
    kind = MeetingKind.objects.get(code="committee_meeting")
    return planning.plan_meeting(
        personas.org.branch_a,
        {"planned_on": datetime.date(2025, 3, 12), "topic": "学习支部工作条例", **extra},
        actor=personas.staff,
        kinds=[kind],
    )


def target_kwargs(target, personas):
    if target == "plan":
        return {"pk": _plan(personas).pk}
    if target == "archived_plan":
        return {"pk": planning.archive_plan(_plan(personas), actor=personas.staff).pk}
    if target == "feed":
        return {"token": planning.regenerate_feed_token(personas.org.branch_a, actor=personas.staff).token}
    return None
