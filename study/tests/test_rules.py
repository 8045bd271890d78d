"""Pure study rules: no database."""

import datetime
from decimal import Decimal

import pytest

from study import rules

T = datetime.time
D = datetime.date
SETTINGS = rules.YearSettings(
    year=2025,
    member_target=Decimal("32"),
    leader_target=Decimal("56"),
    default_meeting_hours=Decimal("2"),
    counted_kinds=frozenset({"theme_day", "party_lesson", "study_day"}),
)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (T(14, 30), T(16, 0), "1.5"),
        (T(14, 30), T(15, 40), "1.0"),  # 70 minutes: nearer to 1 than to 1.5
        (T(14, 30), T(15, 45), "1.5"),  # 75 minutes: a quarter hour rounds up
        (T(9, 0), T(11, 0), "2.0"),
        (T(9, 0), T(9, 10), "0.0"),
        (T(8, 30), T(12, 14), "3.5"),
    ],
)
def test_a_meeting_counts_its_duration_rounded_to_half_hours(start, end, hours):
    assert rules.meeting_hours(start, end, Decimal("2")) == Decimal(hours)


@pytest.mark.parametrize(
    ("start", "end"), [(None, None), (T(9, 0), None), (None, T(11, 0)), (T(11, 0), T(9, 0)), (T(9, 0), T(9, 0))]
)
def test_a_meeting_without_a_usable_time_span_counts_the_default_hours(start, end):
    assert rules.meeting_hours(start, end, Decimal("2.5")) == Decimal("2.5")


START, END = T(14, 30), T(16, 30)


def meeting(pk, day, codes, start=START, end=END):
    return rules.MeetingFact(pk, day, start, end, f"会议{pk}", "第一党支部", frozenset(codes))


def test_only_meetings_of_counted_kinds_in_the_year_are_credited_and_a_combined_sitting_once():
    meetings = [
        meeting(1, D(2025, 3, 7), {"theme_day", "party_lesson", "general_meeting"}),
        meeting(1, D(2025, 3, 7), {"theme_day", "party_lesson", "general_meeting"}),  # same sitting again
        meeting(2, D(2025, 4, 1), {"committee_meeting"}),
        meeting(3, D(2024, 12, 30), {"theme_day"}),
        meeting(4, D(2025, 5, 9), {"study_day"}, start=None, end=None),
    ]
    credits = rules.credit_meetings(meetings, SETTINGS)
    assert [(c.meeting.id, c.hours, c.timed) for c in credits] == [(1, Decimal("2.0"), True), (4, Decimal("2"), False)]


def test_the_target_is_56_for_committee_members_and_32_for_other_members():
    rows = rules.build_ledger(
        [(1, "甲"), (2, "乙")],
        {1: [meeting(1, D(2025, 3, 7), {"theme_day"})]},
        {2: [rules.RecordFact(9, D(2025, 6, 1), "党章", Decimal("40"))]},
        leaders={1},
        settings=SETTINGS,
    )
    first, second = rows
    assert (first.target, first.total, first.met, first.remaining) == (
        Decimal("56"),
        Decimal("2"),
        False,
        Decimal("54"),
    )
    assert (second.target, second.total, second.met, second.remaining) == (Decimal("32"), Decimal("40"), True, 0)


def test_records_of_another_year_do_not_count():
    rows = rules.build_ledger(
        [(1, "甲")], {}, {1: [rules.RecordFact(9, D(2024, 6, 1), "党章", Decimal("40"))]}, set(), SETTINGS
    )
    assert rows[0].total == 0


def test_the_summary_counts_members_meeting_the_target_and_the_average():
    rows = [
        rules.LedgerRow(
            1, "甲", False, Decimal("32"), records=[rules.RecordFact(1, D(2025, 1, 1), "x", Decimal("33"))]
        ),
        rules.LedgerRow(
            2, "乙", False, Decimal("32"), records=[rules.RecordFact(2, D(2025, 1, 1), "x", Decimal("10"))]
        ),
        rules.LedgerRow(3, "丙", True, Decimal("56")),
    ]
    summary = rules.summarize(rows)
    assert (summary.total, summary.met, summary.average, summary.rate) == (3, 1, Decimal("14.3"), 33)
    assert rules.summarize([]).average == 0


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"title": " ", "date": D(2025, 1, 2), "hours": Decimal("1")}, "title", "学习内容"),
        ({"title": "党章", "date": None, "hours": Decimal("1")}, "date", "学习日期"),
        ({"title": "党章", "date": D(2025, 3, 2), "hours": Decimal("1")}, "date", "不能晚于今天"),
        ({"title": "党章", "date": D(2025, 1, 2), "hours": Decimal("0")}, "hours", "须大于 0"),
        ({"title": "党章", "date": D(2025, 1, 2), "hours": Decimal("25")}, "hours", "不超过 24"),
        ({"title": "党章", "date": D(2025, 1, 2), "hours": Decimal("1.3")}, "hours", "0.5 学时为单位"),
    ],
)
def test_it_refuses_bad_record_input_naming_the_field(data, field, text):
    errors = rules.record_errors(data, today=D(2025, 3, 1))
    assert field in errors and text in errors[field]


def test_the_first_friday_of_each_month_across_a_year_boundary():
    days = rules.study_days(rules.NTH_WEEKDAY, D(2025, 11, 1), D(2026, 2, 28), nth=1, weekday=4)
    assert days == [D(2025, 11, 7), D(2025, 12, 5), D(2026, 1, 2), D(2026, 2, 6)]
    assert all(d.weekday() == 4 and d.day <= 7 for d in days)


def test_the_last_monday_of_each_month():
    days = rules.study_days(rules.LAST_WEEKDAY, D(2025, 1, 1), D(2025, 4, 30), weekday=0)
    assert days == [D(2025, 1, 27), D(2025, 2, 24), D(2025, 3, 31), D(2025, 4, 28)]


def test_a_range_leaves_out_study_days_before_its_start_or_after_its_end():
    # The first Friday of March 2025 is the 7th: a range from the 8th begins with April's.
    assert rules.study_days(rules.NTH_WEEKDAY, D(2025, 3, 8), D(2025, 5, 1), nth=1, weekday=4) == [D(2025, 4, 4)]
    assert rules.study_days(rules.NTH_WEEKDAY, D(2025, 3, 7), D(2025, 3, 7), nth=1, weekday=4) == [D(2025, 3, 7)]
    assert rules.study_days(rules.NTH_WEEKDAY, D(2025, 3, 8), D(2025, 3, 31), nth=1, weekday=4) == []


def test_a_fixed_day_missing_from_a_month_falls_on_its_last_day():
    days = rules.study_days(rules.DAY_OF_MONTH, D(2024, 1, 1), D(2024, 4, 30), day=31)
    assert days == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]


def test_the_fourth_weekday_exists_in_every_month():
    days = rules.study_days(rules.NTH_WEEKDAY, D(2025, 1, 1), D(2025, 12, 31), nth=4, weekday=3)
    assert len(days) == 12 and all(22 <= d.day <= 28 and d.weekday() == 3 for d in days)


def test_a_rule_is_described_in_chinese():
    assert rules.describe(rules.NTH_WEEKDAY, nth=1, weekday=4) == "每月第一个星期五"
    assert rules.describe(rules.LAST_WEEKDAY, weekday=0) == "每月最后一个星期一"
    assert rules.describe(rules.DAY_OF_MONTH, day=15) == "每月15日"


def test_months_are_met_by_a_study_day_meeting_on_any_day_of_the_month():
    months = rules.study_day_months(2025, [D(2025, 1, 3), D(2025, 2, 7)], [D(2025, 1, 10)])
    assert months[0].met and months[0].held == (D(2025, 1, 10),)
    assert not months[1].met and months[1].planned == D(2025, 2, 7)
    assert len(months) == 12


def test_clean_governance_counts_each_meeting_once_per_column_and_once_in_the_total():
    facts = [
        (1, 10, frozenset({"warning_education"}), "integrity"),
        (1, 10, frozenset({"warning_education"}), "integrity"),  # a repeated row
        (2, 10, frozenset({"integrity_study", "warning_education"}), ""),
        (3, 10, frozenset({"theme_day"}), "integrity"),
        (4, 20, frozenset({"integrity_study"}), "party_building"),
        (5, 20, frozenset({"theme_day"}), "party_history"),
    ]
    counts = rules.integrity_counts(facts)
    a, b = counts[10], counts[20]
    assert (a.warning, a.study, a.themed, a.total) == (2, 1, 1, 3)
    assert (b.warning, b.study, b.themed, b.total) == (0, 1, 0, 1)


def test_a_study_day_on_a_public_holiday_moves_to_the_next_working_day_of_the_month():
    national_day = {D(2026, 10, d) for d in range(1, 8)}
    days = rules.study_days(
        rules.NTH_WEEKDAY,
        D(2026, 9, 1),
        D(2026, 10, 31),
        nth=1,
        weekday=4,
        holidays=national_day,
        adjusted={D(2026, 10, 10)},
    )
    assert days == [D(2026, 9, 4), D(2026, 10, 8)]


def test_a_last_study_day_of_a_month_on_a_holiday_moves_back_inside_the_month():
    # Last Friday of April 2026 is the 24th; were it a holiday with none after it that month,
    # the study day stays in April: the working day before it.
    holidays = {D(2026, 4, 24), D(2026, 4, 27), D(2026, 4, 28), D(2026, 4, 29), D(2026, 4, 30)}
    days = rules.study_days(rules.LAST_WEEKDAY, D(2026, 4, 1), D(2026, 4, 30), weekday=4, holidays=holidays)
    assert days == [D(2026, 4, 23)]
