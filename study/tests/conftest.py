import datetime

import pytest

from meetings.models import Attendance
from tests import factories as f


@pytest.fixture
def meeting_with(personas):
    """``meeting_with(kinds, present=[...], absent=[...], **fields)``: a branch A meeting in 2025."""

    def make(kinds, *, present=(), absent=(), unit=None, **fields):
        fields.setdefault("date", datetime.date(2025, 3, 10))
        meeting = f.MeetingFactory(unit=unit or personas.org.branch_a, kinds=list(kinds), **fields)
        for m in present:
            Attendance.objects.create(meeting=meeting, member=m, status="present")
        for m in absent:
            Attendance.objects.create(meeting=meeting, member=m, status="absent", absence_reason="sick")
        return meeting

    return make
