"""Access-matrix rows for the meeting record URLs (collected by tests/test_access_matrix.py).

Targets: ``meeting`` (a meeting of branch A that member_a did not attend), ``meeting_attended``
(a meeting of branch A with member_a's attendance row), ``attachment`` (a file of a branch A
meeting), ``unit_id`` (branch A, known to the matrix). The planning rows are added separately.
"""

import atexit
import datetime
import shutil
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

PERSONAS = ("staff", "inspector", "secretary_a", "member_a", "secretary_b")
OK = {200, 302}

MATRIX = {
    "meetings:meeting.list": ("GET", dict.fromkeys(PERSONAS, 200), None),
    # Without a unit: the chooser (a member or inspector records nothing).
    "meetings:meeting.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 200},
        None,
    ),
    # The form for branch A.
    "meetings:meeting.create@unit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "unit_id",
    ),
    "meetings:meeting.detail": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "meeting",
    ),
    "meetings:meeting.detail@attended": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "meeting_attended",
    ),
    "meetings:meeting.edit": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "meeting",
    ),
    "meetings:meeting.edit@attended": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 200, "member_a": 403, "secretary_b": 404},
        "meeting_attended",
    ),
    "meetings:meeting.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "meeting",
    ),
    "meetings:meeting.restore": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "meeting",
    ),
    "meetings:attachment.upload": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "meeting",
    ),
    "meetings:attachment.download": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 404, "secretary_b": 404},
        "attachment",
    ),
    "meetings:attachment.download@attended": (
        "GET",
        {"staff": 200, "inspector": 200, "secretary_a": 200, "member_a": 200, "secretary_b": 404},
        "attachment_attended",
    ),
    "meetings:attachment.archive": (
        "POST",
        {"staff": OK, "inspector": 403, "secretary_a": OK, "member_a": 404, "secretary_b": 404},
        "attachment",
    ),
    "meetings:kind.list": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403},
        None,
    ),
    "meetings:kind.create": (
        "GET",
        {"staff": 200, "inspector": 403, "secretary_a": 403, "member_a": 403, "secretary_b": 403},
        None,
    ),
}

POST_DATA = {"meetings:meeting.archive": {"reason": "重复录入"}}

_media = {}


def _temporary_media_root():
    """Attachments made for the matrix go to a temporary folder, never the real media root."""
    if "dir" not in _media:
        _media["dir"] = tempfile.mkdtemp(prefix="zhibu-access-media-")
        atexit.register(shutil.rmtree, _media["dir"], ignore_errors=True)
    if str(settings.MEDIA_ROOT) != _media["dir"]:
        override_settings(MEDIA_ROOT=_media["dir"]).enable()


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

    _temporary_media_root()
    meeting = _meeting(personas, attended=attended)
    upload = SimpleUploadedFile("签到表.txt", "签到：甲书记、甲同事".encode(), content_type="text/plain")
    return services.add_attachment(meeting, upload, "sign_in", actor=personas.staff)


def target_kwargs(target, personas):
    if target == "meeting":
        return {"pk": _meeting(personas, attended=False).pk}
    if target == "meeting_attended":
        return {"pk": _meeting(personas, attended=True).pk}
    if target == "attachment":
        return {"pk": _attachment(personas, attended=False).pk}
    if target == "attachment_attended":
        return {"pk": _attachment(personas, attended=True).pk}
    return None
