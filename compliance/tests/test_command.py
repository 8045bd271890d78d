"""manage.py compliance: every format, --unit, --output, and the refusals."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from meetings import counts
from meetings.models import MeetingProblem
from tests import factories as f

D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(org):
    # A combined sitting on 03-31 (March / Q1), one on 04-01 (April / Q2), a late entry typed in
    # on 04-20 for a meeting of 03-05, a group meeting.
    f.MeetingFactory(unit=org.branch_a, date=D(2025, 3, 31), kinds=["committee_meeting", "general_meeting"])
    f.MeetingFactory(unit=org.branch_a, date=D(2025, 4, 1), kinds=["committee_meeting"])
    f.MeetingFactory(
        unit=org.branch_b,
        date=D(2025, 3, 5),
        kinds=["committee_meeting"],
        entered_at=datetime.datetime(2025, 4, 20, 9, 0, tzinfo=datetime.UTC),
        late_entry=True,
    )
    f.MeetingFactory(unit=org.group_a, date=D(2025, 1, 6), kinds=["group_meeting"])
    return org


def test_the_csv_has_exactly_the_header_and_one_sorted_row_per_cell(data):
    text = run("--year", "2025", "--as-of", "2025-04-10", "--unit", "第一党支部", "--format", "csv")
    lines = text.splitlines()
    assert lines[0] == "unit,rule,period,required,held,status"
    assert lines[1:] == [
        "第一党小组,group_meeting,2025-01,1,1,met",
        "第一党小组,group_meeting,2025-02,1,0,missed",
        "第一党小组,group_meeting,2025-03,1,0,missed",
        "第一党小组,group_meeting,2025-04,1,0,due",
        "第一党支部,committee_meeting,2025-01,1,0,missed",
        "第一党支部,committee_meeting,2025-02,1,0,missed",
        "第一党支部,committee_meeting,2025-03,1,1,met",
        "第一党支部,committee_meeting,2025-04,1,1,met",
        "第一党支部,general_meeting,2025-Q1,1,1,met",
        "第一党支部,general_meeting,2025-Q2,1,0,due",
        "第一党支部,life_meeting,2025,1,0,due",
        "第一党支部,party_lesson,2025-Q1,1,0,missed",
        "第一党支部,party_lesson,2025-Q2,1,0,due",
        "第一党支部,reading_exchange,2025-Q1,1,0,not_applicable",
        "第一党支部,reading_exchange,2025-Q2,1,0,not_applicable",
        "第一党支部,secretary_lecture,2025,1,0,due",
        "第一党支部,theme_day,2025-01,1,0,missed",
        "第一党支部,theme_day,2025-02,1,0,missed",
        "第一党支部,theme_day,2025-03,1,0,missed",
        "第一党支部,theme_day,2025-04,1,0,due",
    ]


def test_a_late_entry_counts_for_the_month_of_the_meeting(data):
    text = run("--year", "2025", "--as-of", "2025-04-30", "--unit", "第二党支部", "--format", "csv")
    assert "第二党支部,committee_meeting,2025-03,1,1,met" in text.splitlines()


def test_without_unit_every_branch_and_group_is_listed(data):
    text = run("--year", "2025", "--as-of", "2025-01-31", "--format", "csv")
    units = {line.split(",")[0] for line in text.splitlines()[1:]}
    assert units == {"第一党支部", "第二党支部", "第一党小组", "第二党小组"}


def test_json_carries_the_explanation(data):
    rows = json.loads(run("--year", "2025", "--as-of", "2025-04-10", "--unit", "第一党小组", "--format", "json"))
    assert rows[0] == {
        "unit": "第一党小组",
        "rule": "group_meeting",
        "rule_name": "党小组会每月至少召开1次",
        "period": "2025-01",
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "required": 1,
        "held": 1,
        "status": "met",
        "explanation": "2025年1月应召开党小组会1次，实际1次，已达标",
    }
    assert rows[-1]["explanation"] == "2025年4月应召开党小组会1次；本月尚未召开，截至4月30日前完成即可"


def test_the_table_format_is_aligned_text_in_chinese(data):
    text = run("--year", "2025", "--as-of", "2025-02-10", "--unit", "第一党小组", "--format", "table")
    lines = text.splitlines()
    assert lines[0].split() == ["单位", "规则", "周期", "应召开", "实际", "状态"]
    assert lines[2].split() == ["第一党小组", "group_meeting", "2025-01", "1", "1", "已达标"]
    assert lines[3].split() == ["第一党小组", "group_meeting", "2025-02", "1", "0", "待完成"]


def test_output_writes_a_file_and_xlsx_needs_it(data, tmp_path):
    target = tmp_path / "table.csv"
    assert run("--year", "2025", "--as-of", "2025-02-10", "--format", "csv", "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8").startswith("unit,rule,period,required,held,status\n")

    book = tmp_path / "table.xlsx"
    run("--year", "2025", "--as-of", "2025-02-10", "--unit", "第一党小组", "--format", "xlsx", "--output", str(book))
    ws = load_workbook(book).active
    assert ws["A2"].value == "单位"
    assert [c.value for c in ws[3]][:7] == [
        "第一党小组",
        "group_meeting",
        "党小组会每月至少召开1次",
        "2025-01",
        1,
        1,
        "已达标",
    ]

    with pytest.raises(CommandError, match="--output"):
        run("--year", "2025", "--format", "xlsx")


def test_it_refuses_an_unknown_unit(org):
    with pytest.raises(CommandError, match="找不到名为“第九党支部”的组织"):
        run("--year", "2025", "--unit", "第九党支部", "--format", "csv")


def test_it_refuses_a_date_it_cannot_read(org):
    with pytest.raises(CommandError, match="日期“2025-13-01”无法识别"):
        run("--year", "2025", "--as-of", "2025-13-01", "--format", "csv")


def test_as_of_a_day_a_meeting_held_after_it_does_not_count_yet(org):
    """`compliance --year 2025 --as-of 2025-11-15`: the 组织生活会 of 12-20 and the 党课 of 12-31
    are not met yet (issue 12, 3)."""
    life = f.MeetingFactory(unit=org.branch_a, date=D(2025, 12, 20), kinds=["life_meeting"])
    MeetingProblem.objects.create(meeting=life, text="学习流于形式")
    f.MeetingFactory(unit=org.branch_a, date=D(2025, 12, 31), kinds=["party_lesson"])
    counts.rebuild([2025])
    rows = run("--year", "2025", "--as-of", "2025-11-15", "--unit", "第一党支部", "--format", "csv").splitlines()
    assert "第一党支部,life_meeting,2025,1,0,due" in rows
    assert "第一党支部,party_lesson,2025-Q4,1,0,due" in rows
    rows = run("--year", "2025", "--as-of", "2026-01-05", "--unit", "第一党支部", "--format", "csv").splitlines()
    assert "第一党支部,life_meeting,2025,1,1,met" in rows
    assert "第一党支部,party_lesson,2025-Q4,1,1,met" in rows
