"""Access-matrix rows for the meeting record URLs (collected by tests/test_access_matrix.py).

Targets: ``meeting`` (a meeting of branch A that member_a did not attend), ``meeting_attended``
(a meeting of branch A with member_a's attendance row), ``attachment`` (a file of a branch A
meeting), ``unit_id`` (branch A, known to the matrix). The planning rows are added separately.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import OK, STAFF_ONLY, everyone, expect, pk_targets, temporary_media_root

MATRIX = {
    "meetings:meeting.list": ("GET", everyone(200), None),
    # Without a unit: the chooser (a member or inspector records nothing).
    "meetings:meeting.create": ("GET", expect(200, 403, 200, 403, 200), None),
    # The form for branch A.
    "meetings:meeting.create@unit": ("GET", expect(200, 403, 200, 403, 404), "unit_id"),
    "meetings:meeting.detail": ("GET", expect(200, 200, 200, 404, 404), "meeting"),
    "meetings:meeting.detail@attended": ("GET", expect(200, 200, 200, 200, 404), "meeting_attended"),
    "meetings:meeting.edit": ("GET", expect(200, 403, 200, 404, 404), "meeting"),
    "meetings:meeting.edit@attended": ("GET", expect(200, 403, 200, 403, 404), "meeting_attended"),
    "meetings:meeting.archive": ("POST", expect(OK, 403, OK, 404, 404), "meeting"),
    "meetings:meeting.restore": ("POST", expect(OK, 403, OK, 404, 404), "meeting"),
    "meetings:attachment.upload": ("POST", expect(OK, 403, OK, 404, 404), "meeting"),
    "meetings:attachment.download": ("GET", expect(200, 200, 200, 404, 404), "attachment"),
    "meetings:attachment.download@attended": ("GET", expect(200, 200, 200, 200, 404), "attachment_attended"),
    "meetings:attachment.archive": ("POST", expect(OK, 403, OK, 404, 404), "attachment"),
    "meetings:kind.list": ("GET", STAFF_ONLY, None),
    "meetings:kind.create": ("GET", STAFF_ONLY, None),
}

POST_DATA = {"meetings:meeting.archive": {"reason": "重复录入"}}


def _meeting(personas, *, attended: bool):
    from meetings.models import Attendance
    from tests import factories as f

    m = personas.members
    meeting = f.MeetingFactory(
        unit=personas.org.branch_a,
        date=datetime.date(2025, 3, 10),
        host=m.secretary_a,
        recorder=m.other_a,
        kinds=["theme_day"],
    )
    Attendance.objects.create(meeting=meeting, member=m.secretary_a, status="present")
    Attendance.objects.create(meeting=meeting, member=m.other_a, status="present")
    if attended:
        Attendance.objects.create(meeting=meeting, member=m.member_a, status="absent", absence_reason="sick")
    return meeting


def _attachment(personas, *, attended: bool):
    from meetings import services

    temporary_media_root()
    meeting = _meeting(personas, attended=attended)
    upload = SimpleUploadedFile("签到表.txt", "签到：甲书记、甲同事".encode(), content_type="text/plain")
    return services.add_attachment(meeting, upload, "sign_in", actor=personas.staff)


target_kwargs = pk_targets(
    meeting=lambda personas: _meeting(personas, attended=False),
    meeting_attended=lambda personas: _meeting(personas, attended=True),
    attachment=lambda personas: _attachment(personas, attended=False),
    attachment_attended=lambda personas: _attachment(personas, attended=True),
)
