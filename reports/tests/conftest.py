import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from meetings.models import MeetingProblem
from tests import factories as f


@pytest.fixture
def meetings_a(personas):
    """Two meetings of branch A in 2025: a combined sitting entered on time, and a 组织生活会
    entered 20 days late with a problem; an archived one and one of 2024 that the book leaves out."""
    org, m = personas.org, personas.members
    entered = timezone.make_aware(datetime.datetime(2025, 3, 10, 18, 0))
    combined = f.MeetingFactory(
        unit=org.branch_a,
        date=datetime.date(2025, 3, 10),
        topic="学习二十届三中全会精神",
        kinds=["theme_day", "general_meeting", "party_lesson"],
        host=m.secretary_a,
        recorder=m.member_a,
        lecturer=m.secretary_a,
        invited="李局长\n王处长",
        minutes="书记领学全会公报。\n党员逐一交流学习体会。",
        resolutions="每名党员撰写心得一篇。",
        entered_at=entered,
        entered_by=personas.secretary_a,
    )
    f.AttendanceFactory(meeting=combined, member=m.secretary_a)
    f.AttendanceFactory(meeting=combined, member=m.member_a)
    f.AttendanceFactory(meeting=combined, member=m.other_a, status="absent", absence_reason="sick")
    life = f.MeetingFactory(
        unit=org.branch_a,
        date=datetime.date(2025, 6, 20),
        start_time=datetime.time(9, 0),
        end_time=None,
        topic="年度组织生活会",
        kinds=["life_meeting"],
        host=m.secretary_a,
        recorder=m.member_a,
        entered_at=timezone.make_aware(datetime.datetime(2025, 7, 10, 9, 0)),
        entered_by=personas.staff,
        late_entry=True,
    )
    f.AttendanceFactory(meeting=life, member=m.secretary_a)
    MeetingProblem.objects.create(meeting=life, text="学习制度执行不严", measure="建立学习台账", sort_order=1)
    archived = f.MeetingFactory(
        unit=org.branch_a,
        date=datetime.date(2025, 4, 1),
        topic="已归档的会议",
        kinds=["committee_meeting"],
        archived_at=timezone.now(),
    )
    earlier = f.MeetingFactory(
        unit=org.branch_a, date=datetime.date(2024, 12, 1), topic="去年的会议", kinds=["theme_day"]
    )
    other = f.MeetingFactory(
        unit=org.branch_b, date=datetime.date(2025, 3, 11), topic="乙支部的会议", kinds=["theme_day"]
    )
    return SimpleNamespace(combined=combined, life=life, archived=archived, earlier=earlier, other=other)
