import datetime

import pytest

from meetings import services
from meetings.models import MeetingKind
from tests import factories as f


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Attachments go to a temporary folder, never the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kinds(db):
    """``kinds("theme_day", "party_lesson")``: the MeetingKind rows with those codes."""

    def get(*codes):
        rows = {k.code: k for k in MeetingKind.objects.filter(code__in=codes)}
        return [rows[c] for c in codes]

    return get


@pytest.fixture
def branch(personas):
    """Branch A with its members (secretary_a, member_a, other_a) and two more full members."""
    org = personas.org
    extra = [f.member_in(org.branch_a, group=org.group_a, name=n) for n in ("甲委员", "甲预备")]
    extra[1].category = "probationary"
    extra[1].full_member_on = None
    extra[1].save()
    return org.branch_a


@pytest.fixture
def roster(branch, personas):
    from members.models import Member

    return list(Member.objects.in_unit_on(branch, datetime.date(2025, 3, 10)).order_by("name", "id"))


@pytest.fixture
def meeting_data(personas):
    def build(**overrides):
        m = personas.members
        data = {
            "date": datetime.date(2025, 3, 10),
            "start_time": datetime.time(14, 30),
            "end_time": datetime.time(16, 0),
            "place": "三楼会议室",
            "topic": "学习新修订的《支部工作条例》",
            "theme_category": "party_building",
            "host": m.secretary_a,
            "recorder": m.other_a,
            "lecturer": None,
            "invited": "",
            "minutes": "传达学习文件精神。",
            "resolutions": "按月开展主题党日。",
        }
        data.update(overrides)
        return data

    return build


def everyone_present(roster):
    return [(m, "present", "") for m in roster]


@pytest.fixture
def record(branch, personas, roster, kinds, meeting_data):
    """``record(codes=..., data={...}, **record_meeting's keywords)``: secretary A records a meeting
    of the branch (by default a theme day with everyone on the roster present)."""

    def _record(*, codes=("theme_day",), **kwargs):
        kwargs.setdefault("attendance", everyone_present(roster))
        return services.record_meeting(
            branch, meeting_data(**kwargs.pop("data", {})), actor=personas.secretary_a, kinds=kinds(*codes), **kwargs
        )

    return _record


@pytest.fixture
def edit(personas, roster, kinds, meeting_data):
    """``edit(meeting, codes=..., version=..., data={...}, **update_meeting's keywords)``: secretary A
    changes the record (by default to a theme day with everyone present, at its current version)."""

    def _edit(meeting, *, codes=("theme_day",), version=None, **kwargs):
        kwargs.setdefault("attendance", everyone_present(roster))
        return services.update_meeting(
            meeting,
            meeting_data(**kwargs.pop("data", {})),
            actor=personas.secretary_a,
            kinds=kinds(*codes),
            expected_version=meeting.version if version is None else version,
            **kwargs,
        )

    return _edit
