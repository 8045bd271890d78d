"""The compliance table, its export, the dashboards, the drill-down and the home sections."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from committees.models import CommitteeRole, TermStatus
from common.models import AuditEntry
from compliance import charts, dashboards
from compliance.engine import Cell
from tests import factories as f

D = datetime.date
Q = "?year=2025&as_of=2025-04-10"


@pytest.fixture
def meetings(personas):
    org = personas.org
    f.MeetingFactory(
        unit=org.branch_a, date=D(2025, 3, 31), kinds=["committee_meeting", "general_meeting"], topic="一季度支委会"
    )
    f.MeetingFactory(unit=org.branch_b, date=D(2025, 2, 3), kinds=["theme_day"], topic="乙支部主题党日")
    return personas


def test_the_table_shows_each_period_with_status_and_explanation(meetings, login):
    page = login(meetings.staff).get(reverse("compliance:compliance.table") + Q).content.decode()
    assert "2025-03 · 1/1 已达标" in page
    assert "2025年3月应召开支委会1次，实际1次，已达标" in page
    assert "2025-04 · 0/1 待完成" in page
    assert "第二党支部" in page


def test_the_table_filters_by_rule_status_and_unit(meetings, login):
    client = login(meetings.staff)
    url = reverse("compliance:compliance.table")
    page = client.get(url + Q + "&rule=general_meeting&status=met").content.decode()
    assert "2025-Q1 · 1/1 已达标" in page
    assert "2025-Q2" not in page
    assert "2025-01 · " not in page
    page = client.get(url + Q + f"&unit={meetings.org.branch_b.pk}").content.decode()
    assert f'href="/compliance/units/{meetings.org.branch_a.pk}/"' not in page
    assert f'href="/compliance/units/{meetings.org.group_b.pk}/"' in page


def test_a_secretary_sees_only_their_branch_and_its_groups(meetings, login):
    page = login(meetings.secretary_a).get(reverse("compliance:compliance.table") + Q).content.decode()
    assert "第一党小组" in page
    assert "第二党支部" not in page  # neither in the rows nor in the unit filter


@pytest.mark.parametrize("extra", [1, 10])
def test_the_table_runs_in_constant_queries(meetings, login, extra, django_assert_max_num_queries):
    for _ in range(extra):
        branch = f.UnitFactory(parent=meetings.org.committee)
        f.GroupFactory(parent=branch)
        f.MeetingFactory(unit=branch, date=D(2025, 1, 9), kinds=["committee_meeting"])
    client = login(meetings.staff)
    # Session, user, scope, filter choices (2), the table's eight, and the page chrome.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("compliance:compliance.table") + Q).status_code == 200


def test_the_export_is_an_xlsx_of_the_filtered_table_and_is_audited(meetings, login):
    client = login(meetings.secretary_a)
    response = client.get(reverse("compliance:compliance.export") + Q + "&rule=committee_meeting")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[:7] for r in rows] == [
        ["第一党支部", "committee_meeting", "支委会每月至少召开1次", f"2025-{m:02d}", 1, held, status]
        for m, held, status in [(1, 0, "未达标"), (2, 0, "未达标"), (3, 1, "已达标"), (4, 0, "待完成")]
    ]
    # No personal data: the members' names appear nowhere.
    text = " ".join(str(v) for r in rows for v in r)
    assert "甲书记" not in text and "甲党员" not in text
    entry = AuditEntry.objects.get(action="compliance.table.exported")
    assert entry.actor == meetings.secretary_a
    assert entry.data["rule"] == "committee_meeting" and entry.data["rows"] == 4


def test_the_dashboard_draws_the_heatmap_and_the_rates_worst_first(meetings, login):
    page = login(meetings.staff).get(reverse("compliance:compliance.dashboard") + Q).content.decode()
    assert "<svg" in page and "第一党支部" in page
    assert reverse("compliance:compliance.cell") + f"?unit={meetings.org.branch_a.pk}&amp;period=2025-03" in page
    assert "#c62828" in page  # a missed month
    rates = page.index("各项制度落实率")
    # The 支委会 rule was met once (1 of 6 closed periods); 组织生活会 has no closed period yet.
    assert page.index("支委会每月至少召开1次", rates) < page.index("组织生活会每年至少召开1次", rates)


@pytest.mark.parametrize("extra", [1, 12])
def test_the_dashboard_runs_in_constant_queries(meetings, login, extra, django_assert_max_num_queries):
    for i in range(extra):
        branch = f.UnitFactory(parent=meetings.org.committee)
        group = f.GroupFactory(parent=branch)
        f.secretary_in(branch)
        f.MeetingFactory(unit=branch, date=D(2025, 1 + i % 4, 9), kinds=["committee_meeting", "life_meeting"])
        f.MeetingFactory(unit=group, date=D(2025, 2, 9), kinds=["group_meeting"])
    client = login(meetings.staff)
    # Session, user, scope, the page chrome (session save, notifications) and the overview: when
    # every branch is judged (the first request), the table's eight queries and the writes too.
    with django_assert_max_num_queries(27):
        assert client.get(reverse("compliance:compliance.dashboard") + Q).status_code == 200
    # Then only the kept rows are read.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("compliance:compliance.dashboard") + Q).status_code == 200


def test_the_drill_down_shows_the_explanation_and_the_meetings_that_counted(meetings, login):
    client = login(meetings.secretary_a)
    url = reverse("compliance:compliance.cell")
    unit = meetings.org.branch_a.pk
    page = client.get(url, {"unit": unit, "rule": "committee_meeting", "period": "2025-03", "as_of": "2025-04-10"})
    text = page.content.decode()
    assert "2025年3月应召开支委会1次，实际1次，已达标" in text
    assert "一季度支委会" in text
    # A heatmap square: every obligation of the branch and its group ending in March.
    text = client.get(url, {"unit": unit, "period": "2025-03", "as_of": "2025-04-10"}).content.decode()
    assert "支部党员大会每季度至少召开1次" in text and "党小组会每月至少召开1次" in text
    assert client.get(url, {"unit": unit, "rule": "nope", "period": "2025-03"}).status_code == 404
    assert client.get(url, {"unit": unit, "period": "2025-13"}).status_code == 404


def test_the_drill_down_of_another_branch_is_not_found(meetings, login):
    url = reverse("compliance:compliance.cell")
    response = login(meetings.secretary_b).get(url, {"unit": meetings.org.branch_a.pk, "period": "2025-03"})
    assert response.status_code == 404


@pytest.fixture
def april_10(monkeypatch):
    """Pages that judge "as of today" see 2025-04-10."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2025, 4, 10))


def test_the_branch_view_lists_what_is_due_and_overdue(meetings, login, april_10):
    page = login(meetings.secretary_a).get(reverse("compliance:unit.status", args=[meetings.org.branch_a.pk]))
    text = page.content.decode()
    assert "本月待完成" in text and "本季度待完成" in text and "本年度待完成" in text
    assert "2025年4月应召开支委会1次；本月尚未召开，截至4月30日前完成即可" in text
    assert "2025年第2季度应召开支部党员大会1次；本季度尚未召开" in text
    assert "未达标（已逾期）" in text and "2025年2月应召开支委会1次，实际0次，未达标" in text
    assert "2025年3月应召开支委会1次" not in text  # met
    assert "第一党小组" in text


def test_the_home_page_shows_the_worst_gaps_to_staff_and_the_agenda_to_a_secretary(meetings, login, april_10):
    staff_home = login(meetings.staff).get(reverse("portal:home")).content.decode()
    assert "制度落实总览" in staff_home and "未达标最多的支部" in staff_home
    secretary_home = login(meetings.secretary_a).get(reverse("portal:home")).content.decode()
    assert "制度落实：待办与逾期" in secretary_home
    assert "2025年4月应召开支委会1次；本月尚未召开" in secretary_home
    member_home = login(meetings.member_a).get(reverse("portal:home")).content.decode()
    assert "制度落实" not in member_home


@pytest.mark.parametrize(
    "name",
    [
        "compliance:compliance.table",
        "compliance:compliance.export",
        "compliance:compliance.dashboard",
        "compliance:compliance.cell",
    ],
)
def test_the_compliance_pages_refuse_post(personas, login, name):
    assert login(personas.staff).post(reverse(name)).status_code == 405


def test_the_branch_view_refuses_post(personas, login):
    url = reverse("compliance:unit.status", args=[personas.org.branch_a.pk])
    assert login(personas.staff).post(url).status_code == 405


# --- the pure pieces of the dashboards -------------------------------------------------------


def _cell(unit_id, period, status, start, end, code="committee_meeting", kind="month"):
    return Cell(unit_id, "u", code, "r", period, start, end, 1, 0, status, period_kind=kind)


def test_the_heatmap_folds_groups_into_their_branch_and_quarters_into_their_last_month():
    cells = [
        _cell(1, "2025-01", "met", D(2025, 1, 1), D(2025, 1, 31)),
        _cell(2, "2025-01", "missed", D(2025, 1, 1), D(2025, 1, 31), code="group_meeting"),
        _cell(1, "2025-Q1", "due", D(2025, 1, 1), D(2025, 3, 31), code="general_meeting", kind="quarter"),
    ]
    [row] = dashboards.heatmap_rows(cells, [(1, "甲")], {2: 1}, 2025)
    assert [m.status for m in row.months[:4]] == ["missed", None, "due", None]
    assert (row.missed, row.due, row.met) == (1, 1, 1)


def test_the_heatmap_svg_escapes_names_and_links_each_square():
    cells = [_cell(1, "2025-01", "missed", D(2025, 1, 1), D(2025, 1, 31))]
    rows = dashboards.heatmap_rows(cells, [(1, '<script>alert("x")</script>')], {}, 2025)
    svg = charts.heatmap_svg(rows, cell_url=lambda row, month: f"/cell/?unit={row.unit_id}&period={month}")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'href="/cell/?unit=1&amp;period=2025-01"' in svg
    assert 'fill="#c62828"' in svg
    assert svg.count("<a ") == 1  # only months with an obligation link anywhere


def test_rule_rates_put_the_worst_first_and_ignore_open_periods():
    cells = [
        _cell(1, "2025-01", "met", D(2025, 1, 1), D(2025, 1, 31), code="a"),
        _cell(1, "2025-02", "due", D(2025, 2, 1), D(2025, 2, 28), code="a"),
        _cell(1, "2025-01", "missed", D(2025, 1, 1), D(2025, 1, 31), code="b"),
        _cell(1, "2025-01", "met", D(2025, 1, 1), D(2025, 1, 31), code="b"),
    ]
    rates = dashboards.rule_rates(cells)
    assert [(r.code, r.percent) for r in rates] == [("b", 50), ("a", 100)]


def test_a_branch_without_a_committee_shows_why_it_owes_no_committee_meeting(org, login):
    """机关第五党支部: 6 full members, a secretary and a deputy, no 支部委员会 (issue 12, 3)."""
    staff = f.UserFactory(username="staff_c")
    f.RoleGrantFactory(user=staff, unit=org.committee, role="committee_staff")
    term = f.CommitteeTermFactory(unit=org.branch_a, status=TermStatus.CURRENT, elected_on=D(2024, 1, 1))
    f.TermMemberFactory(term=term, member=f.member_in(org.branch_a), role=CommitteeRole.SECRETARY)
    f.TermMemberFactory(term=term, member=f.member_in(org.branch_a), role=CommitteeRole.DEPUTY_SECRETARY)
    client = login(staff)
    page = client.get(reverse("compliance:compliance.table") + f"?year=2025&as_of=2025-04-10&unit={org.branch_a.pk}")
    body = page.content.decode()
    assert "不适用：正式党员不足7名，不设支部委员会" in body
    cell = client.get(
        reverse("compliance:compliance.cell") + f"?unit={org.branch_a.pk}&rule=committee_meeting&period=2025-03"
    ).content.decode()
    assert "正式党员不足7名，不设支部委员会（只设书记、副书记）" in cell
