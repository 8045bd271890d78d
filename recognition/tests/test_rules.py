"""The pure 五带头 judgements, the review tally, naming refusals and the 四强 standing."""

import datetime
from decimal import Decimal

from recognition import rules
from recognition.rules import ATTENTION, MET, Evidence, NoteFact

D = datetime.date
E = Evidence(D(2025, 3, 1), "x")


def test_study_needs_two_pieces_of_evidence():
    assert rules.judge_study([E], []).status == ATTENTION
    j = rules.judge_study([E], [E])
    assert j.status == MET and len(j.evidence) == 2
    assert "学习记录 1 条" in j.summary


def test_lecture_needs_one_party_lesson():
    assert rules.judge_lecture([]).status == ATTENTION
    assert rules.judge_lecture([E]).status == MET


def test_attendance_needs_ninety_percent_of_the_branch_meetings():
    assert rules.judge_attend(9, 10, []).status == MET
    j = rules.judge_attend(8, 10, [E, E])
    assert j.status == ATTENTION and "80%" in j.summary and len(j.evidence) == 2
    assert rules.judge_attend(0, 0, []).status == ATTENTION
    assert rules.attendance_rate(2, 3) == Decimal("0.667")


def test_volunteer_activities_are_a_volunteer_kind_or_a_theme_day_about_volunteering():
    assert rules.is_volunteer_activity(["volunteer_service"], "社区清洁")
    assert rules.is_volunteer_activity(["theme_day"], "学雷锋志愿服务进社区")
    assert not rules.is_volunteer_activity(["theme_day"], "学习党章")
    assert not rules.is_volunteer_activity(["party_lesson"], "志愿精神党课")
    assert rules.judge_serve([]).status == ATTENTION
    assert rules.judge_serve([E]).status == MET


def test_discipline_fails_with_an_open_discipline_item():
    assert rules.judge_discipline([]).status == MET
    j = rules.judge_discipline([E])
    assert j.status == ATTENTION and "1 项" in j.summary


def test_a_note_marked_for_attention_overrides_the_records():
    j = rules.judge_discipline([], [NoteFact("报告不实", True)])
    assert j.status == ATTENTION and j.notes[0].text == "报告不实"
    assert rules.judge_lecture([E], [NoteFact("讲课认真", False)]).status == MET


def test_naming_is_refused_before_the_notice_ends_or_with_an_objection():
    end = D(2025, 10, 15)
    assert rules.naming_errors(status="noticed", notice_end=end, objection="", today=end)
    assert rules.naming_errors(status="noticed", notice_end=end, objection="", today=D(2025, 10, 16)) == []
    assert "异议" in rules.naming_errors(status="noticed", notice_end=end, objection="不属实", today=D(2025, 11, 1))[0]
    assert "尚未公示" in rules.naming_errors(status="passed", notice_end=None, objection="", today=end)[0]


def test_tally_by_points_and_by_vote():
    assert rules.tally("score", [90, 80], [], 85).passed
    assert not rules.tally("score", [90, 70], [], 85).passed
    assert not rules.tally("score", [], [], 0).passed
    assert rules.tally("vote", [], [True, True, False], 0).passed
    assert not rules.tally("vote", [], [True, False], 0).passed


def test_standing_of_a_named_branch_over_the_years():
    assert rules.four_strong_standing(set(), 2026) == (None, None)
    assert rules.four_strong_standing({2025}, 2025) == (rules.NAMED, 2025)
    assert rules.four_strong_standing({2025}, 2026) == (rules.DUE, 2025)
    assert rules.four_strong_standing({2025}, 2027) == (rules.LAPSED, 2025)
    assert rules.four_strong_standing({2025, 2026}, 2027) == (rules.DUE, 2026)
    assert not rules.lapses_on(2025, set(), D(2026, 12, 31))
    assert rules.lapses_on(2025, set(), D(2027, 1, 1))
    assert not rules.lapses_on(2025, {2026}, D(2027, 1, 1))


def test_every_four_strong_dimension_has_default_criteria():
    assert set(rules.DEFAULT_CRITERIA) == {"political", "leadership", "team", "role"}
    assert all(len(v) >= 3 for v in rules.DEFAULT_CRITERIA.values())
