"""The compliance engine and period arithmetic, without a database."""

import datetime

import pytest

from compliance import engine, periods
from compliance.engine import DUE, MET, MISSED, NOT_APPLICABLE, MeetingFact, RuleFact, UnitFact

D = datetime.date
BRANCH = UnitFact(1, "第一党支部", "branch", D(2020, 1, 1))
GROUP = UnitFact(2, "第一党小组", "party_group", D(2020, 1, 1), parent_id=1)
SINCE = D(2019, 1, 1)
AFTER_THE_YEAR = D(2026, 1, 15)


def rule(code="committee_meeting", kind="committee_meeting", period="month", level="branch", **kw):
    names = {"committee_meeting": "支委会", "general_meeting": "支部党员大会", "party_lesson": "党课"}
    names |= {"theme_day": "主题党日", "life_meeting": "组织生活会", "group_meeting": "党小组会"}
    return RuleFact(
        code=code,
        name=kw.pop("name", code),
        kind_code=kind,
        kind_name=names.get(kind, kind),
        unit_level=level,
        period=period,
        min_count=kw.pop("min_count", 1),
        effective_from=kw.pop("effective_from", SINCE),
        **kw,
    )


_ids = iter(range(1, 10_000))


def meeting(day, *kinds, unit=1, lecturer=None, problems=0):
    return MeetingFact(next(_ids), unit, day, frozenset(kinds), lecturer, problems)


def cells_of(rules, meetings, *, units=(BRANCH,), secretaries=None, year=2025, as_of=AFTER_THE_YEAR):
    cells = engine.evaluate(list(units), rules, meetings, secretaries or {}, year=year, as_of=as_of)
    return {(c.unit_id, c.rule_code, c.period): c for c in cells}


# --- periods ---------------------------------------------------------------------------------


def test_period_labels_and_bounds():
    assert periods.month_span(2024, 2) == periods.Span("month", "2024-02", D(2024, 2, 1), D(2024, 2, 29))
    assert periods.quarter_span(2025, 4) == periods.Span("quarter", "2025-Q4", D(2025, 10, 1), D(2025, 12, 31))
    assert periods.year_span(2025).label == "2025"
    assert periods.span_containing("quarter", D(2025, 3, 31)).label == "2025-Q1"
    assert periods.span_containing("quarter", D(2025, 4, 1)).label == "2025-Q2"
    assert periods.parse_label("2025-Q3").start == D(2025, 7, 1)
    assert periods.parse_label("2025-03").end == D(2025, 3, 31)
    assert periods.parse_label("2025").end == D(2025, 12, 31)
    assert periods.month_span(2025, 3).text == "2025年3月"
    assert periods.quarter_span(2025, 1).text == "2025年第1季度"


@pytest.mark.parametrize("label", ["2025-13", "2025-Q5", "25-01", "", "2025/03"])
def test_it_refuses_a_period_label_it_cannot_read(label):
    with pytest.raises(ValueError, match="周期"):
        periods.parse_label(label)


def test_periods_stop_at_the_as_of_period():
    assert [s.label for s in periods.spans_until("month", 2025, D(2025, 3, 5))] == ["2025-01", "2025-02", "2025-03"]
    assert [s.label for s in periods.spans_until("quarter", 2025, D(2025, 4, 1))] == ["2025-Q1", "2025-Q2"]
    assert periods.spans_until("month", 2026, D(2025, 12, 31)) == []


# --- boundaries ------------------------------------------------------------------------------


def test_a_meeting_on_march_31_counts_for_march_and_q1_and_april_1_for_april_and_q2():
    rules = [rule(), rule("general_meeting", "general_meeting", "quarter")]
    meetings = [meeting(D(2025, 3, 31), "committee_meeting", "general_meeting")]
    cells = cells_of(rules, meetings)
    assert cells[(1, "committee_meeting", "2025-03")].status == MET
    assert cells[(1, "committee_meeting", "2025-04")].status == MISSED
    assert cells[(1, "general_meeting", "2025-Q1")].held == 1
    assert cells[(1, "general_meeting", "2025-Q2")].held == 0

    cells = cells_of(rules, [meeting(D(2025, 4, 1), "committee_meeting", "general_meeting")])
    assert cells[(1, "committee_meeting", "2025-03")].status == MISSED
    assert cells[(1, "committee_meeting", "2025-04")].status == MET
    assert cells[(1, "general_meeting", "2025-Q1")].status == MISSED
    assert cells[(1, "general_meeting", "2025-Q2")].status == MET


def test_meetings_of_other_years_do_not_count():
    cells = cells_of([rule(period="year")], [meeting(D(2024, 12, 31), "committee_meeting")])
    assert cells[(1, "committee_meeting", "2025")].held == 0


def test_a_combined_sitting_counts_toward_every_kind_it_carries():
    rules = [
        rule("theme_day", "theme_day"),
        rule("general_meeting", "general_meeting", "quarter"),
        rule("party_lesson", "party_lesson", "quarter"),
        rule(),
    ]
    cells = cells_of(rules, [meeting(D(2025, 2, 14), "theme_day", "general_meeting", "party_lesson")])
    assert cells[(1, "theme_day", "2025-02")].status == MET
    assert cells[(1, "general_meeting", "2025-Q1")].status == MET
    assert cells[(1, "party_lesson", "2025-Q1")].status == MET
    assert cells[(1, "committee_meeting", "2025-02")].status == MISSED


def test_min_count_above_one_needs_that_many_meetings():
    cells = cells_of([rule(min_count=2)], [meeting(D(2025, 1, 3), "committee_meeting")])
    cell = cells[(1, "committee_meeting", "2025-01")]
    assert (cell.required, cell.held, cell.status) == (2, 1, MISSED)


# --- units that come and go ------------------------------------------------------------------


def test_a_branch_founded_mid_year_is_not_applicable_before_and_judged_from_its_founding_month():
    branch = UnitFact(1, "新支部", "branch", D(2025, 6, 15))
    cells = cells_of([rule(), rule("general_meeting", "general_meeting", "quarter")], [], units=[branch])
    may = cells[(1, "committee_meeting", "2025-05")]
    assert may.status == NOT_APPLICABLE
    assert may.explanation == "该支部于2025-06-15成立，此前不适用"
    assert cells[(1, "committee_meeting", "2025-06")].status == MISSED
    assert cells[(1, "general_meeting", "2025-Q1")].status == NOT_APPLICABLE
    assert cells[(1, "general_meeting", "2025-Q2")].status == MISSED


def test_a_dissolved_group_is_not_applicable_from_the_period_after_dissolution():
    group = UnitFact(2, "撤销的党小组", "party_group", D(2020, 1, 1), D(2025, 5, 1), parent_id=1)
    rules = [rule("group_meeting", "group_meeting", level="party_group")]
    cells = cells_of(rules, [meeting(D(2025, 4, 10), "group_meeting", unit=2)], units=[group])
    assert cells[(2, "group_meeting", "2025-04")].status == MET
    assert cells[(2, "group_meeting", "2025-05")].status == NOT_APPLICABLE
    assert cells[(2, "group_meeting", "2025-05")].explanation == "该党小组已于2025-05-01撤销，此后不适用"
    assert cells[(2, "group_meeting", "2025-12")].status == NOT_APPLICABLE


def test_a_unit_dissolved_during_a_period_is_still_judged_for_it():
    group = UnitFact(2, "党小组", "party_group", D(2020, 1, 1), D(2025, 5, 20))
    cells = cells_of([rule("group_meeting", "group_meeting", level="party_group")], [], units=[group])
    assert cells[(2, "group_meeting", "2025-05")].status == MISSED
    assert cells[(2, "group_meeting", "2025-06")].status == NOT_APPLICABLE


def test_rules_apply_only_to_their_unit_level():
    committee = UnitFact(9, "机关党委", "committee", D(2019, 1, 1))
    rules = [rule(), rule("group_meeting", "group_meeting", level="party_group")]
    cells = cells_of(rules, [], units=[BRANCH, GROUP, committee])
    assert {(u, code) for u, code, _p in cells} == {(1, "committee_meeting"), (2, "group_meeting")}


# --- rule versions ---------------------------------------------------------------------------


def test_a_rule_tightened_mid_year_judges_the_first_half_by_quarters_and_the_second_by_months():
    rules = [
        rule("party_lesson", "party_lesson", "quarter"),
        rule("party_lesson", "party_lesson", "month", effective_from=D(2025, 7, 1)),
    ]
    meetings = [meeting(D(2025, 2, 1), "party_lesson"), meeting(D(2025, 7, 9), "party_lesson")]
    cells = cells_of(rules, meetings)
    assert sorted(p for _u, _c, p in cells) == [
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2025-Q1",
        "2025-Q2",
    ]
    assert cells[(1, "party_lesson", "2025-Q1")].status == MET
    assert cells[(1, "party_lesson", "2025-Q2")].status == MISSED
    assert cells[(1, "party_lesson", "2025-07")].status == MET
    assert cells[(1, "party_lesson", "2025-08")].status == MISSED


def test_a_version_taking_effect_mid_period_applies_from_the_next_period():
    rules = [rule(min_count=1), rule(min_count=2, effective_from=D(2025, 3, 10))]
    cells = cells_of(rules, [meeting(D(2025, 3, 12), "committee_meeting")])
    assert cells[(1, "committee_meeting", "2025-03")].required == 1
    assert cells[(1, "committee_meeting", "2025-04")].required == 2


def test_a_rule_not_yet_in_force_is_not_applicable_and_says_from_when():
    cells = cells_of([rule(effective_from=D(2025, 7, 1))], [])
    june = cells[(1, "committee_meeting", "2025-06")]
    assert june.status == NOT_APPLICABLE
    assert june.explanation == "该规则自2025-07-01起施行，2025年6月不适用"
    assert cells[(1, "committee_meeting", "2025-07")].status == MISSED


def test_a_retired_rule_is_not_applicable_from_its_retirement():
    cells = cells_of([rule(retired_on=D(2025, 4, 1))], [])
    assert cells[(1, "committee_meeting", "2025-03")].status == MISSED
    april = cells[(1, "committee_meeting", "2025-04")]
    assert april.status == NOT_APPLICABLE
    assert "停止执行" in april.explanation


# --- counting by meeting date and the as-of date ---------------------------------------------


def test_a_late_entry_counts_in_the_month_it_was_held():
    # Facts carry only the meeting date: a March meeting typed in on 04-20 counts for March.
    cells = cells_of([rule()], [meeting(D(2025, 3, 28), "committee_meeting")], as_of=D(2025, 4, 20))
    assert cells[(1, "committee_meeting", "2025-03")].status == MET
    assert cells[(1, "committee_meeting", "2025-04")].status == DUE


def test_due_in_the_current_period_and_missed_once_it_is_over():
    rules = [rule(), rule("general_meeting", "general_meeting", "quarter")]
    cells = cells_of(rules, [], as_of=D(2025, 3, 10))
    assert cells[(1, "committee_meeting", "2025-02")].status == MISSED
    march = cells[(1, "committee_meeting", "2025-03")]
    assert march.status == DUE
    assert march.explanation == "2025年3月应召开支委会1次；本月尚未召开，截至3月31日前完成即可"
    assert cells[(1, "general_meeting", "2025-Q1")].status == DUE
    assert (1, "committee_meeting", "2025-04") not in cells

    cells = cells_of(rules, [], as_of=D(2025, 4, 1))
    assert cells[(1, "committee_meeting", "2025-03")].status == MISSED
    assert cells[(1, "committee_meeting", "2025-03")].explanation == "2025年3月应召开支委会1次，实际0次，未达标"
    assert cells[(1, "general_meeting", "2025-Q1")].status == MISSED


def test_a_met_current_period_is_met_not_due():
    cells = cells_of([rule()], [meeting(D(2025, 3, 2), "committee_meeting")], as_of=D(2025, 3, 10))
    assert cells[(1, "committee_meeting", "2025-03")].status == MET
    assert cells[(1, "committee_meeting", "2025-03")].explanation == "2025年3月应召开支委会1次，实际1次，已达标"


def test_a_year_after_the_as_of_date_has_no_cells():
    assert cells_of([rule()], [], year=2026, as_of=D(2025, 12, 31)) == {}


# --- conditions ------------------------------------------------------------------------------


def test_secretary_lectures_count_only_while_the_lecturer_is_the_secretary():
    lecture = rule("secretary_lecture", "party_lesson", "year", condition="secretary_lectures", name="书记讲党课")
    # Member 10 was secretary until 06-30; member 20 from 07-01.
    secretaries = {1: [(10, D(2022, 7, 1), D(2025, 6, 30)), (20, D(2025, 7, 1), None)]}
    as_of = D(2026, 1, 1)

    def status(*meetings):
        return cells_of([lecture], list(meetings), secretaries=secretaries, as_of=as_of)[
            (1, "secretary_lecture", "2025")
        ]

    assert status(meeting(D(2025, 3, 1), "party_lesson", lecturer=10)).status == MET
    assert status(meeting(D(2025, 9, 1), "party_lesson", lecturer=10)).status == MISSED  # no longer secretary
    assert status(meeting(D(2025, 3, 1), "party_lesson", lecturer=20)).status == MISSED  # not yet secretary
    assert status(meeting(D(2025, 9, 1), "party_lesson", lecturer=20)).status == MET
    assert status(meeting(D(2025, 9, 1), "party_lesson")).status == MISSED
    assert status(meeting(D(2025, 9, 1), "party_lesson", lecturer=20, unit=3)).status == MISSED
    cell = status(meeting(D(2025, 9, 1), "party_lesson", lecturer=30))
    assert cell.explanation == "2025年应由支部书记讲党课1次，符合条件的0次，未达标"


@pytest.mark.parametrize(("problems", "expected"), [(0, MISSED), (1, MET), (2, MET), (3, MET), (5, MET)])
def test_a_life_meeting_with_problems_recorded_counts_however_many(problems, expected):
    """The seed asks to solve 1–2 problems: more never makes a meeting that was held not count."""
    life = rule("life_meeting", "life_meeting", "year", condition="problems_recorded", params={"min": 1, "max": 2})
    cells = cells_of([life], [meeting(D(2025, 11, 20), "life_meeting", problems=problems)])
    cell = cells[(1, "life_meeting", "2025")]
    assert cell.status == expected
    assert "突出解决1至2个" in cell.explanation


# --- as of a day: what the records say about that day -----------------------------------------


def test_a_meeting_held_after_the_as_of_day_does_not_count_yet():
    life = rule("life_meeting", "life_meeting", "year", condition="problems_recorded", params={"min": 1})
    lesson = rule("party_lesson", "party_lesson", "quarter")
    day = D(2025, 11, 15)
    later = [meeting(D(2025, 12, 20), "life_meeting", problems=1), meeting(D(2025, 12, 31), "party_lesson")]
    same_month = [meeting(D(2025, 11, 20), "party_lesson")]
    for meetings in (later, same_month):
        for cells in (
            cells_of([life, lesson], meetings, as_of=day),
            {
                (c.unit_id, c.rule_code, c.period): c
                for c in engine.evaluate_counts(
                    [BRANCH],
                    [life, lesson],
                    engine.tally(meetings, [life, lesson], year=2025, as_of=day),
                    {},
                    year=2025,
                    as_of=day,
                )
            },
        ):
            assert (cells[(1, "party_lesson", "2025-Q4")].held, cells[(1, "party_lesson", "2025-Q4")].status) == (
                0,
                DUE,
            )
            assert (cells[(1, "life_meeting", "2025")].held, cells[(1, "life_meeting", "2025")].status) == (0, DUE)
    # Once the day has come, it counts.
    assert cells_of([lesson], later, as_of=D(2026, 1, 1))[(1, "party_lesson", "2025-Q4")].status == MET


# --- the 年度 of a 组织生活会 -------------------------------------------------------------------


def annual_life(**kw):
    return rule(
        "life_meeting", "life_meeting", "year", condition="problems_recorded", params={"min": 1}, annual=True, **kw
    )


def life_meeting(day, held_for, unit=1):
    return MeetingFact(next(_ids), unit, day, frozenset({"life_meeting"}), None, 1, held_for)


def test_a_life_meeting_counts_for_the_year_it_is_held_for_not_the_year_of_its_date():
    m = life_meeting(D(2026, 1, 20), 2025)
    y2025 = cells_of([annual_life()], [m], year=2025, as_of=D(2026, 3, 5))[(1, "life_meeting", "2025")]
    assert (y2025.held, y2025.status) == (1, MET)
    y2026 = cells_of([annual_life()], [m], year=2026, as_of=D(2026, 12, 31))[(1, "life_meeting", "2026")]
    assert (y2026.held, y2026.status) == (0, DUE)
    assert engine.counted_meetings(y2025, [m], {}) == [m]
    # The secretary may hold a January meeting for the new year: then it is that year's.
    m26 = life_meeting(D(2026, 1, 20), 2026)
    assert (
        cells_of([annual_life()], [m26], year=2025, as_of=D(2026, 3, 5))[(1, "life_meeting", "2025")].status == MISSED
    )
    assert cells_of([annual_life()], [m26], year=2026, as_of=D(2026, 3, 5))[(1, "life_meeting", "2026")].held == 1


def test_a_year_is_due_until_its_deadline_and_judged_at_it():
    default = D(2026, 2, 28)
    cell = cells_of([annual_life()], [], year=2025, as_of=D(2026, 2, 10))[(1, "life_meeting", "2025")]
    assert (cell.status, cell.deadline) == (DUE, default)
    assert "2026-02-28" in cell.explanation
    assert cells_of([annual_life()], [], year=2025, as_of=D(2026, 3, 1))[(1, "life_meeting", "2025")].status == MISSED
    # The committee's deadline: a meeting after it does not count for the year.
    late = life_meeting(D(2026, 2, 5), 2025)
    held = engine.Circumstances(deadline=D(2026, 1, 31))
    cells = engine.evaluate([BRANCH], [annual_life()], [late], {}, held, year=2025, as_of=D(2026, 2, 10))
    assert [(c.held, c.status) for c in cells] == [(0, MISSED)]
    counted = engine.tally([late], [annual_life()], year=2025)
    cells = engine.evaluate_counts([BRANCH], [annual_life()], counted, {}, held, year=2025, as_of=D(2026, 2, 10))
    assert [(c.held, c.status) for c in cells] == [(0, MISSED)]


# --- applicability --------------------------------------------------------------------------


def test_a_branch_without_a_committee_owes_no_committee_meeting():
    """Fewer than 7 正式党员: a secretary and a deputy, no 支部委员会 (支部工作条例 第八条)."""
    no_committee = engine.Circumstances(terms={1: [(D(2024, 1, 1), None, 2)]})
    cells = engine.evaluate([BRANCH], [rule()], [], {}, no_committee, year=2025, as_of=D(2025, 3, 5))
    assert {c.status for c in cells} == {NOT_APPLICABLE}
    assert {c.reason for c in cells} == {engine.NO_COMMITTEE}
    assert "不足7名" in cells[0].explanation and "不设支部委员会" in cells[0].explanation
    # A committee of three, or no term on record (it should elect one), owes its meetings.
    for terms in ({1: [(D(2024, 1, 1), None, 3)]}, {}):
        cells = engine.evaluate(
            [BRANCH], [rule()], [], {}, engine.Circumstances(terms=terms), year=2025, as_of=D(2025, 3, 5)
        )
        assert [c.status for c in cells] == [MISSED, MISSED, DUE]
    # A committee elected on 2025-03-01 owes March's meeting on.
    terms = {1: [(D(2022, 1, 1), D(2025, 2, 28), 2), (D(2025, 3, 1), None, 5)]}
    cells = engine.evaluate(
        [BRANCH], [rule()], [], {}, engine.Circumstances(terms=terms), year=2025, as_of=D(2025, 3, 5)
    )
    assert [c.status for c in cells] == [NOT_APPLICABLE, NOT_APPLICABLE, DUE]


def test_reading_exchanges_are_owed_only_while_a_campaign_runs():
    reading = rule("reading_exchange", "reading_exchange", "quarter")
    held = engine.Circumstances(campaigns=[("000001/", D(2025, 4, 15), D(2025, 9, 30))])
    branch = UnitFact(1, "第一党支部", "branch", D(2020, 1, 1), path="000001/000002/")
    cells = engine.evaluate([branch], [reading], [], {}, held, year=2025, as_of=D(2026, 1, 1))
    assert [c.status for c in cells] == [NOT_APPLICABLE, MISSED, MISSED, NOT_APPLICABLE]
    assert cells[0].reason == engine.NO_CAMPAIGN and "主题实践活动" in cells[0].explanation


def test_counted_meetings_lists_what_counted_for_a_cell():
    m1, m2 = meeting(D(2025, 3, 2), "committee_meeting"), meeting(D(2025, 3, 20), "theme_day")
    cells = cells_of([rule()], [m1, m2])
    cell = cells[(1, "committee_meeting", "2025-03")]
    assert engine.counted_meetings(cell, [m1, m2], {}) == [m1]


def test_cells_come_in_unit_order_then_rule_code_then_period():
    units = [UnitFact(5, "乙支部", "branch", D(2020, 1, 1)), UnitFact(6, "甲支部", "branch", D(2020, 1, 1))]
    rules = [rule("theme_day", "theme_day"), rule()]
    cells = engine.evaluate(units, rules, [], {}, year=2025, as_of=D(2025, 2, 1))
    assert [c.unit_id for c in cells] == [5, 5, 5, 5, 6, 6, 6, 6]
    assert [(c.rule_code, c.period) for c in cells if c.unit_id == 5] == [
        ("committee_meeting", "2025-01"),
        ("committee_meeting", "2025-02"),
        ("theme_day", "2025-01"),
        ("theme_day", "2025-02"),
    ]
