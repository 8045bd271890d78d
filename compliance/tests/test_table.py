"""compliance_table: facts fetched set-based from the database and judged by the engine."""

import datetime

import pytest

from compliance import services
from compliance.engine import DUE, MET, MISSED, NOT_APPLICABLE
from organizations.models import Unit
from tests import factories as f

D = datetime.date
AS_OF = D(2025, 4, 15)


def by_key(cells):
    return {(c.unit_name, c.rule_code, c.period): c for c in cells}


def test_the_table_counts_meetings_of_the_database_by_kind_and_date(org):
    f.MeetingFactory(unit=org.branch_a, date=D(2025, 3, 31), kinds=["committee_meeting", "general_meeting"])
    f.MeetingFactory(unit=org.group_a, date=D(2025, 1, 8), kinds=["group_meeting"])
    cells = by_key(services.compliance_table(2025, as_of=AS_OF))
    assert cells[("第一党支部", "committee_meeting", "2025-03")].status == MET
    assert cells[("第一党支部", "general_meeting", "2025-Q1")].status == MET
    assert cells[("第一党支部", "committee_meeting", "2025-04")].status == DUE
    assert cells[("第二党支部", "committee_meeting", "2025-03")].status == MISSED
    assert cells[("第一党小组", "group_meeting", "2025-01")].status == MET
    assert ("测试机关党委", "committee_meeting", "2025-01") not in cells


def test_archived_meetings_do_not_count(org):
    from django.utils import timezone

    f.MeetingFactory(unit=org.branch_a, date=D(2025, 3, 3), kinds=["committee_meeting"], archived_at=timezone.now())
    cells = by_key(services.compliance_table(2025, as_of=AS_OF))
    assert cells[("第一党支部", "committee_meeting", "2025-03")].status == MISSED


def test_the_secretary_lecture_uses_the_secretary_seats_of_the_terms(org):
    secretary = f.secretary_in(org.branch_a, term={"number": 1, "elected_on": D(2024, 1, 1)})
    f.MeetingFactory(unit=org.branch_a, date=D(2025, 2, 2), kinds=["party_lesson"], lecturer=secretary)
    f.MeetingFactory(unit=org.branch_b, date=D(2025, 2, 2), kinds=["party_lesson"], lecturer=secretary)
    cells = by_key(services.compliance_table(2025, as_of=D(2026, 1, 10)))
    assert cells[("第一党支部", "secretary_lecture", "2025")].status == MET
    assert cells[("第二党支部", "secretary_lecture", "2025")].status == MISSED


def test_the_life_meeting_problem_count_comes_from_its_problems(org):
    from meetings.models import MeetingProblem

    m = f.MeetingFactory(unit=org.branch_a, date=D(2025, 12, 1), kinds=["life_meeting"])
    f.MeetingFactory(unit=org.branch_b, date=D(2025, 12, 1), kinds=["life_meeting"])
    MeetingProblem.objects.create(meeting=m, text="会议材料太多")
    cells = by_key(services.compliance_table(2025, as_of=D(2026, 3, 1)))
    assert cells[("第一党支部", "life_meeting", "2025")].status == MET
    assert cells[("第二党支部", "life_meeting", "2025")].status == MISSED


def test_units_restricts_the_table_to_a_subtree(org):
    cells = services.compliance_table(2025, as_of=AS_OF, units=Unit.objects.subtree(org.branch_a))
    assert {c.unit_name for c in cells} == {"第一党支部", "第一党小组"}


def test_a_dissolved_group_and_a_new_branch_are_not_applicable_outside_their_lives(org):
    f.GroupFactory(name="撤销小组", parent=org.branch_a, dissolved_on=D(2025, 2, 1))
    f.UnitFactory(name="新支部", parent=org.committee, founded_on=D(2025, 3, 5))
    cells = by_key(services.compliance_table(2025, as_of=AS_OF))
    assert cells[("撤销小组", "group_meeting", "2025-01")].status == MISSED
    assert cells[("撤销小组", "group_meeting", "2025-02")].status == NOT_APPLICABLE
    assert cells[("新支部", "committee_meeting", "2025-02")].status == NOT_APPLICABLE
    assert cells[("新支部", "committee_meeting", "2025-03")].status == MISSED


def _grow(org, n):
    for i in range(n):
        branch = f.UnitFactory(parent=org.committee)
        group = f.GroupFactory(parent=branch)
        f.secretary_in(branch)
        f.MeetingFactory(unit=branch, date=D(2025, 1 + i % 3, 5), kinds=["committee_meeting", "party_lesson"])
        f.MeetingFactory(unit=group, date=D(2025, 2, 5), kinds=["group_meeting"])


@pytest.mark.parametrize("extra", [2, 20])
def test_the_number_of_queries_does_not_grow_with_the_units(org, extra, django_assert_num_queries):
    _grow(org, extra)
    # Units, rules, kept counts, the meetings after as_of in its month, the conditional and 年度
    # meetings, the seats, the campaigns, the 年度 deadline.
    with django_assert_num_queries(8):
        cells = services.compliance_table(2025, as_of=AS_OF)
    assert len({c.unit_id for c in cells}) == 4 + 2 * extra
    with django_assert_num_queries(8):
        services.compliance_table(2025, as_of=AS_OF, units=Unit.objects.subtree(org.committee))
