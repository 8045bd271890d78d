"""Rows of the access matrix (tests/test_access_matrix.py) for the reports app."""

import datetime

from tests import factories as f
from tests.matrix import expect

MATRIX = {
    # Without ?unit= the page to choose unit and year; members see no unit's whole book.
    "reports:minutes_book": ("GET", expect(200, 200, 200, 404, 200), None),
    # A meeting of branch A that member_a did not attend.
    "reports:notice": ("GET", expect(200, 200, 200, 404, 404), "report_meeting"),
    # Members see (and may print the notice of) the meetings they are registered for.
    "reports:notice@attended": ("GET", expect(200, 200, 200, 200, 404), "report_meeting_attended"),
}


def target_kwargs(target, personas):
    if target not in ("report_meeting", "report_meeting_attended"):
        return None
    meeting = f.MeetingFactory(
        unit=personas.org.branch_a,
        date=datetime.date(2025, 3, 10),
        kinds=["theme_day"],
        host=personas.members.secretary_a,
        recorder=personas.members.secretary_a,
    )
    f.AttendanceFactory(meeting=meeting, member=personas.members.secretary_a)
    if target == "report_meeting_attended":
        f.AttendanceFactory(meeting=meeting, member=personas.members.member_a)
    return {"pk": meeting.pk}
