import datetime
from types import SimpleNamespace

import pytest

from committees.models import CommitteeRole
from tests import factories as f

YEAR = 2025


@pytest.fixture
def pkg(personas):
    """Branch A's 2025 package: a committee of three (secretary_a and two more), two more plain
    members besides member_a and other_a, and the 2025 组织生活会 held on 2025-12-10."""
    org, m = personas.org, personas.members
    deputy = f.member_in(org.branch_a, group=org.group_a, name="甲副书记")
    organiser = f.member_in(org.branch_a, group=org.group_a, name="甲组织委员")
    f.TermMemberFactory(term=personas.terms.a, member=deputy, role=CommitteeRole.DEPUTY_SECRETARY)
    f.TermMemberFactory(term=personas.terms.a, member=organiser, role=CommitteeRole.ORGANIZATION)
    extra = [f.member_in(org.branch_a, name=n) for n in ("甲党员二", "甲党员三")]
    meeting = f.MeetingFactory(
        unit=org.branch_a,
        date=datetime.date(2025, 12, 10),
        topic="2025年度组织生活会",
        host=m.secretary_a,
        kinds=["life_meeting"],
    )
    return SimpleNamespace(
        unit=org.branch_a,
        year=YEAR,
        meeting=meeting,
        secretary=m.secretary_a,
        deputy=deputy,
        organiser=organiser,
        committee=[m.secretary_a, deputy, organiser],
        plain=[m.member_a, m.other_a, *extra],
    )


@pytest.fixture
def talk_data(pkg):
    def build(**overrides):
        data = {
            "year": pkg.year,
            "date": datetime.date(2025, 11, 3),
            "initiator": pkg.secretary,
            "counterpart": pkg.plain[0],
            "summary": "交流思想和工作情况。",
        }
        data.update(overrides)
        return data

    return build
