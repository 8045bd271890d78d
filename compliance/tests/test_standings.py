"""The kept per-branch standings behind the committee dashboard (compliance.standings): the same
figures as judging the scope directly, only changed branches judged again, every kind of
change noticed, no change hidden by a refresh that started before it, a constant number of
queries whatever the committee's size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import TermStatus
from compliance import periods, permissions, services, standings
from compliance.models import Standing
from compliance.tests.test_counting import YEAR, build_random_committee
from meetings.services import archive_meeting
from notifications.services import run_periodic
from organizations import services as unit_services
from organizations.models import Unit
from tests import factories as f

D = datetime.date
AS_OF = D(YEAR, 4, 10)
DASHBOARD = reverse("compliance:compliance.dashboard") + "?year=2025&as_of=2025-04-10"


def rows_of(overview, n=1000):
    return [
        (r.unit_id, r.name, r.missed, r.due, r.met, [(m.month, m.status, m.counts) for m in r.months])
        for r in overview.rows[0:n]
    ]


def rates_of(overview):
    return [(r.code, r.name, r.met, r.missed, r.due, r.not_applicable) for r in overview.rates]


def fresh_ids(year=YEAR, month=AS_OF.month):
    return {s.branch_id for s in Standing.objects.filter(year=year, month=month) if s.is_fresh}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("as_of", [AS_OF, D(YEAR, 12, 31)])
def test_the_kept_standings_give_the_figures_of_judging_the_scope_directly(org, seed, as_of):
    build_random_committee(org, seed)
    for units in (Unit.objects.all(), Unit.objects.subtree(org.branch_a)):
        kept = standings.overview(units, YEAR, as_of)
        direct = standings._judged_directly(units, YEAR, as_of)
        assert kept.totals == direct.totals
        assert rates_of(kept) == rates_of(direct)
        assert rows_of(kept) == rows_of(direct)
        assert [r.unit_id for r in kept.worst] == [r.unit_id for r in direct.worst]
        assert kept.branch_count == direct.branch_count


def test_only_the_branch_that_changed_is_judged_again(personas):
    org = personas.org
    branches = Unit.objects.filter(kind="branch")
    assert standings.refresh(branches, YEAR, AS_OF) == 2
    assert standings.refresh(branches, YEAR, AS_OF) == 0
    f.MeetingFactory(unit=org.group_b, date=D(YEAR, 2, 3), kinds=["group_meeting"])  # a group: its branch
    assert fresh_ids() == {org.branch_a.pk}
    assert standings.refresh(branches, YEAR, AS_OF) == 1
    assert fresh_ids() == {org.branch_a.pk, org.branch_b.pk}


def test_every_kind_of_change_marks_the_rows_it_can_move(personas):
    org, staff = personas.org, personas.staff
    branches = Unit.objects.filter(kind="branch")

    def refreshed():
        standings.refresh(branches, YEAR, AS_OF)
        assert fresh_ids() == {org.branch_a.pk, org.branch_b.pk}

    empty_group = f.GroupFactory(parent=org.branch_b, founded_on=D(2020, 1, 1))
    refreshed()
    meeting = f.MeetingFactory(unit=org.branch_a, date=D(YEAR, 1, 20), kinds=["committee_meeting"])
    assert fresh_ids() == {org.branch_b.pk}  # recorded
    refreshed()
    archive_meeting(meeting, actor=staff, reason="误录")
    assert fresh_ids() == {org.branch_b.pk}  # archived
    refreshed()
    unit_services.dissolve_unit(empty_group, on=D(YEAR, 3, 1), actor=staff)
    assert fresh_ids() == {org.branch_a.pk}  # a party group dissolved: its branch
    refreshed()
    term = personas.terms.a
    term.status = TermStatus.ENDED
    term.save()
    assert fresh_ids() == {org.branch_b.pk}  # the secretary's term
    refreshed()
    f.TermMemberFactory(term=personas.terms.b, member=f.member_in(org.branch_b), role="discipline")
    assert fresh_ids() == {org.branch_a.pk}  # a seat
    refreshed()
    services.add_rule_version(
        "committee_meeting",
        {
            "name": "支委会每季度至少两次",
            "period": "quarter",
            "min_count": 2,
            "condition": "",
            "params": {},
            "source": "测试",
            "effective_from": D(YEAR, 3, 1),
        },
        actor=staff,
        today=D(YEAR, 3, 1),
    )
    assert fresh_ids() == set()  # a rule: every row


def test_a_change_committed_while_a_refresh_judges_is_not_hidden(personas, monkeypatch):
    """The refresh writes the stamp it locked; a change that raises the stamp meanwhile leaves
    the row out of date, so the next request judges it again."""
    org = personas.org
    branches = Unit.objects.filter(kind="branch")
    standings.refresh(branches, YEAR, AS_OF)
    f.MeetingFactory(unit=org.branch_a, date=D(YEAR, 1, 20), kinds=["committee_meeting"])
    judge = services.meeting_tally

    def judge_while_a_meeting_is_recorded(*args, **kwargs):
        tally = judge(*args, **kwargs)
        standings.mark([org.branch_a.pk], [YEAR])  # what recording a meeting does
        return tally

    monkeypatch.setattr(services, "meeting_tally", judge_while_a_meeting_is_recorded)
    assert standings.refresh(branches, YEAR, AS_OF) == 1
    assert org.branch_a.pk not in fresh_ids()
    monkeypatch.setattr(services, "meeting_tally", judge)
    assert standings.refresh(branches, YEAR, AS_OF) == 1
    assert org.branch_a.pk in fresh_ids()


def test_rows_older_than_the_setting_are_judged_again(personas, settings):
    branches = Unit.objects.filter(kind="branch")
    standings.refresh(branches, YEAR, AS_OF)
    settings.ZHIBU = {**settings.ZHIBU, "COMPLIANCE_OVERVIEW_SECONDS": 60}
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert standings.refresh(branches, YEAR, AS_OF, now=later) == 2


def test_each_month_of_a_year_keeps_its_own_rows(personas):
    units = Unit.objects.all()
    april = standings.overview(units, YEAR, AS_OF)
    december = standings.overview(units, YEAR, D(YEAR, 12, 31))
    assert april.totals != december.totals
    assert set(Standing.objects.values_list("month", flat=True)) == {4, 12}
    assert standings.forget_past_months(D(YEAR, 12, 5)) == 2
    assert set(Standing.objects.values_list("month", flat=True)) == {12}


def test_run_periodic_judges_the_committee_ahead_of_the_first_request(personas):
    today = timezone.localdate()
    run_periodic(today)
    assert fresh_ids(today.year, today.month) == {personas.org.branch_a.pk, personas.org.branch_b.pk}
    assert standings.refresh(Unit.objects.filter(kind="branch"), today.year, today) == 0


def test_a_group_leaders_scope_is_judged_directly(personas, login):
    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=personas.org.group_a, role="group_leader")
    assert not permissions.whole_branches(leader)
    assert permissions.whole_branches(personas.staff) and permissions.whole_branches(personas.secretary_a)
    page = login(leader).get(DASHBOARD).content.decode()
    assert "第一党小组" not in page or "第二党支部" not in page
    assert not Standing.objects.exists()
    # A leader who is also the branch's secretary has the whole branch.
    f.RoleGrantFactory(user=leader, unit=personas.org.branch_a, role="secretary")
    assert permissions.whole_branches(type(leader).objects.get(pk=leader.pk))  # grants read afresh
    overview = standings.overview(Unit.objects.filter(pk=personas.org.group_a.pk), YEAR, AS_OF, whole_branches=False)
    assert overview.totals["missed"] + overview.totals["due"] > 0


def _grow(org, n):
    for i in range(n):
        branch = f.UnitFactory(parent=org.committee)
        group = f.GroupFactory(parent=branch)
        f.MeetingFactory(unit=branch, date=D(YEAR, 1 + i % 4, 9), kinds=["committee_meeting", "life_meeting"])
        f.MeetingFactory(unit=group, date=D(YEAR, 2, 9), kinds=["group_meeting"])


@pytest.mark.parametrize("extra", [2, 25])
def test_the_overview_costs_the_same_queries_whatever_the_size(
    org, extra, django_assert_num_queries, django_assert_max_num_queries
):
    _grow(org, extra)
    units = Unit.objects.all()
    # Stale check, rows for new branches, savepoint, lock, the eight queries of the
    # table (as of a past day: seven and the meetings after it in its month), the figures (one UPDATE per 500 rows), the rule rows (one DELETE per 500, INSERTs in
    # the database's batch size: 142 rows on SQLite), the savepoint release, then totals, worst,
    # rates, one page of rows.
    with django_assert_max_num_queries(21):
        computed = standings.overview(units, YEAR, AS_OF)
        computed_rows = rows_of(computed, 50)
    # Stale check, totals, worst, rates, one page of rows.
    with django_assert_num_queries(5):
        kept = standings.overview(units, YEAR, AS_OF)
        rows = rows_of(kept, 50)
    assert kept.totals == computed.totals and kept.branch_count == 2 + extra
    assert rows == computed_rows


def test_the_dashboard_reads_the_kept_rows(personas, login, django_assert_max_num_queries):
    client = login(personas.staff)
    client.get(DASHBOARD)
    # Session, user, scope, the six reads of the overview and the page chrome: nothing judged.
    with django_assert_max_num_queries(12):
        page = client.get(DASHBOARD).content.decode()
    assert "数据截至" in page


def _missed(page: str) -> int:
    start = page.index("未达标</div>")
    return int(page[page.index('class="stat">', start) + 13 : page.index("</div>", page.index('class="stat">', start))])


def test_recording_a_meeting_changes_the_next_dashboard(personas, login):
    client = login(personas.staff)
    before = _missed(client.get(DASHBOARD).content.decode())
    f.MeetingFactory(unit=personas.org.branch_a, date=D(YEAR, 1, 20), kinds=["committee_meeting"])
    assert _missed(client.get(DASHBOARD).content.decode()) == before - 1


def test_archiving_a_meeting_changes_the_next_dashboard(personas, login):
    meeting = f.MeetingFactory(unit=personas.org.branch_a, date=D(YEAR, 1, 20), kinds=["committee_meeting"])
    client = login(personas.staff)
    before = _missed(client.get(DASHBOARD).content.decode())
    archive_meeting(meeting, actor=personas.staff, reason="误录")
    assert _missed(client.get(DASHBOARD).content.decode()) == before + 1


def test_a_new_rule_version_changes_the_next_dashboard(personas, login):
    client = login(personas.staff)
    before = _missed(client.get(DASHBOARD).content.decode())
    services.add_rule_version(
        "committee_meeting",
        {
            "name": "每季度至少两次",
            "period": "quarter",
            "min_count": 2,
            "condition": "",
            "params": {},
            "source": "测试",
            "effective_from": D(2025, 3, 1),
        },
        actor=personas.staff,
        today=D(2025, 3, 1),
    )
    # March of both branches is now judged in the second quarter (still open on 04-10).
    assert _missed(client.get(DASHBOARD).content.decode()) == before - 2


def test_each_scope_reads_its_own_branches(personas, login):
    login(personas.staff).get(DASHBOARD)
    page = login(personas.secretary_b).get(DASHBOARD).content.decode()
    assert "第二党支部" in page and "第一党支部" not in page


def test_a_year_that_is_over_is_judged_closed_and_kept_as_its_own_rows(personas, login):
    # As of today: a year that is over has its months, quarters and calendar year closed, and
    # its 年度 (组织生活会) judged at its deadline early in the next year.
    assert periods.default_as_of(2025, D(2026, 3, 1)) == D(2026, 3, 1)
    assert periods.default_as_of(2026, D(2026, 3, 1)) == D(2026, 3, 1)
    assert [periods.judged_month(2025, day) for day in (D(2024, 12, 31), D(2025, 7, 9), D(2026, 1, 1))] == [0, 7, 13]
    response = login(personas.staff).get(reverse("compliance:compliance.dashboard") + "?year=2025")
    assert response.context["as_of"] == timezone.localdate()
    assert response.context["totals"]["due"] == 0  # December, Q4 and the year are over: met or missed
    assert "2025年度 · 全年已结束" in response.content.decode()
    assert set(Standing.objects.values_list("year", "month")) == {(2025, 13)}


def test_a_row_judged_as_of_another_day_of_the_month_is_judged_again(personas):
    """The kept rows are per as-of month, but a meeting held after the as-of day does not count
    yet: a row judged as of 11-15 is not the answer for 11-25."""
    units = Unit.objects.all()
    f.MeetingFactory(unit=personas.org.branch_a, date=D(YEAR, 11, 20), kinds=["committee_meeting"])
    mid = standings.overview(units, YEAR, D(YEAR, 11, 15))
    assert mid.totals == standings._judged_directly(units, YEAR, D(YEAR, 11, 15)).totals
    later = standings.overview(units, YEAR, D(YEAR, 11, 25))
    assert later.totals == standings._judged_directly(units, YEAR, D(YEAR, 11, 25)).totals
    assert later.totals["met"] == mid.totals["met"] + 1


def test_the_deadline_and_a_meetings_year_mark_that_years_rows(personas):
    org, staff = personas.org, personas.staff
    branches = Unit.objects.filter(kind="branch")
    as_of = D(YEAR + 1, 1, 25)
    standings.refresh(branches, YEAR, as_of)
    assert fresh_ids(YEAR, 13) == {org.branch_a.pk, org.branch_b.pk}
    services.set_annual_deadline(YEAR, D(YEAR + 1, 1, 15), actor=staff)
    assert fresh_ids(YEAR, 13) == set()
    standings.refresh(branches, YEAR, as_of)
    # A 组织生活会 recorded in January for last year marks last year's rows.
    from meetings.models import MeetingKind
    from meetings.services import record_meeting

    m = personas.members
    record_meeting(
        org.branch_a,
        {"date": D(YEAR + 1, 1, 10), "topic": "年度组织生活会", "host": m.secretary_a, "recorder": m.member_a},
        actor=staff,
        kinds=[MeetingKind.objects.get(code="life_meeting")],
        attendance=[(m.secretary_a, "present", ""), (m.member_a, "present", ""), (m.other_a, "present", "")],
        problems=["学习不深入"],
    )
    assert fresh_ids(YEAR, 13) == {org.branch_b.pk}
    cell = [
        c
        for c in services.compliance_table(YEAR, as_of=as_of, units=Unit.objects.filter(pk=org.branch_a.pk))
        if c.rule_code == "life_meeting"
    ][0]
    # Held on 01-10, before the committee's deadline of 01-15: it counts for the year.
    assert (cell.held, cell.status) == (1, "met")
