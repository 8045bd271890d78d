"""Pure rules: the status table, verification by somebody else, the appraisal checks. No database."""

import datetime

import pytest

from rectification import rules

STATUSES = (rules.OPEN, rules.IN_PROGRESS, rules.SUBMITTED, rules.VERIFIED)
ALLOWED = {
    ("start", rules.OPEN),
    ("submit", rules.IN_PROGRESS),
    ("verify", rules.SUBMITTED),
    ("return", rules.SUBMITTED),
}
NOTES = {"submit": "已整改完毕", "return": "材料不全"}


@pytest.mark.parametrize("code", sorted(rules.MOVES))
@pytest.mark.parametrize("status", STATUSES)
def test_each_move_is_allowed_only_from_its_status(code, status):
    errors = rules.move_errors(code, status, note=NOTES.get(code, ""), actor_id=1, submitted_by_id=2)
    if (code, status) in ALLOWED:
        assert errors == {}
    else:
        assert "只能从" in errors["__all__"]


def test_the_table_moves_only_along_the_pipeline():
    assert {(m.from_status, m.to_status) for m in rules.MOVES.values()} == {
        (rules.OPEN, rules.IN_PROGRESS),
        (rules.IN_PROGRESS, rules.SUBMITTED),
        (rules.SUBMITTED, rules.VERIFIED),
        (rules.SUBMITTED, rules.IN_PROGRESS),
    }
    assert rules.allowed_moves(rules.VERIFIED) == []
    assert rules.allowed_moves(rules.SUBMITTED) == ["verify", "return"]


def test_it_refuses_an_unknown_move():
    assert rules.move_errors("close", rules.OPEN) == {"__all__": "状态变更：不允许的操作。"}


def test_it_refuses_moves_on_an_archived_item():
    assert "已归档" in rules.move_errors("start", rules.OPEN, archived=True)["__all__"]


@pytest.mark.parametrize("code", ["verify", "return"])
def test_it_refuses_verification_by_the_submitter(code):
    errors = rules.move_errors(code, rules.SUBMITTED, note="理由", actor_id=7, submitted_by_id=7)
    assert errors == {"__all__": "验收：不能验收或退回自己提交的整改，请由其他人验收。"}


def test_somebody_else_may_verify():
    assert rules.move_errors("verify", rules.SUBMITTED, actor_id=8, submitted_by_id=7) == {}


def test_it_refuses_a_submission_without_evidence():
    assert rules.move_errors("submit", rules.IN_PROGRESS, note="  ") == {"note": "整改情况：提交验收须写明整改情况。"}


def test_it_refuses_a_send_back_without_a_reason():
    errors = rules.move_errors("return", rules.SUBMITTED, note="", actor_id=1, submitted_by_id=2)
    assert errors == {"note": "退回理由：退回整改须写明理由。"}


def test_overdue_and_due_soon():
    today = datetime.date(2026, 5, 10)
    assert rules.is_overdue(datetime.date(2026, 5, 9), rules.IN_PROGRESS, today)
    assert not rules.is_overdue(datetime.date(2026, 5, 10), rules.IN_PROGRESS, today)
    assert not rules.is_overdue(datetime.date(2026, 5, 1), rules.VERIFIED, today)
    assert not rules.is_overdue(None, rules.OPEN, today)
    assert rules.is_due_soon(datetime.date(2026, 5, 17), rules.OPEN, today)
    assert not rules.is_due_soon(datetime.date(2026, 5, 18), rules.OPEN, today)
    assert not rules.is_due_soon(datetime.date(2026, 5, 12), rules.VERIFIED, today)


def test_closure_rate():
    assert rules.closure_rate(0, 0) is None
    assert rules.closure_rate(3, 4) == 0.75


# --- 民主评议 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("graded", "limit"), [(0, 0), (2, 0), (3, 1), (5, 1), (6, 2), (10, 3)])
def test_excellent_is_at_most_one_third_rounded_down(graded, limit):
    assert rules.excellent_limit(graded) == limit


@pytest.mark.parametrize(("full", "voters", "met"), [(10, 5, False), (10, 6, True), (3, 2, True), (0, 0, False)])
def test_quorum_is_more_than_half_of_the_full_members(full, voters, met):
    assert rules.quorum_met(full, voters) is met


GRADED = {1: "张一", 2: "李二", 3: "王三", 4: "赵四", 5: "刘五"}
UNGRADED = {9: "陈预备"}


def decide(grades, full_voters=5):
    return rules.decision_errors(grades, graded=GRADED, ungraded=UNGRADED, full_count=5, full_voters=full_voters)


def test_a_complete_decision_passes():
    assert decide({1: "excellent", 2: "qualified", 3: "qualified", 4: "basic", 5: "unqualified"}) == {}


def test_it_refuses_more_excellent_than_one_third():
    errors = decide({1: "excellent", 2: "excellent", 3: "qualified", 4: "qualified", 5: "qualified"})
    assert "优秀不超过参评人数的三分之一" in errors["__all__"]
    assert "至多 1 人" in errors["__all__"] and "张一、李二" in errors["__all__"]


def test_it_refuses_a_grade_for_a_probationary_member():
    errors = decide({1: "qualified", 2: "qualified", 3: "qualified", 4: "qualified", 5: "qualified", 9: "qualified"})
    assert errors == {"grade_9": "陈预备：预备党员参加评议，但不评定等次。"}


def test_it_names_each_member_without_a_grade():
    errors = decide({1: "qualified", 2: "qualified", 3: "qualified"})
    assert errors == {"grade_4": "赵四：请评定等次。", "grade_5": "刘五：请评定等次。"}


def test_it_refuses_an_unknown_grade():
    errors = decide({1: "perfect", 2: "qualified", 3: "qualified", 4: "qualified", 5: "qualified"})
    assert errors["grade_1"].startswith("张一：")


def test_it_refuses_a_decision_without_quorum():
    errors = decide(dict.fromkeys(GRADED, "qualified"), full_voters=2)
    assert errors == {"__all__": "评议会议：投票的正式党员 2 人，未超过正式党员 5 人的半数，不能评定。"}


def test_a_ballot_may_not_grade_the_voter_or_outsiders():
    appraisees = {1: "张一", 2: "李二"}
    assert rules.vote_errors({1: "qualified", 2: "excellent"}, appraisees=appraisees, voter_id=3) == {}
    assert rules.vote_errors({1: "qualified"}, appraisees=appraisees, voter_id=1) == {
        "vote_1": "投票：不能给自己投票。"
    }
    assert "不在本次评议范围" in rules.vote_errors({7: "qualified"}, appraisees=appraisees, voter_id=3)["__all__"]
    assert "至少" in rules.vote_errors({1: "", 2: ""}, appraisees=appraisees, voter_id=3)["__all__"]


def test_an_appraisal_may_be_held_in_its_year_or_early_in_the_next():
    fits = rules.appraisal_meeting_fits
    assert fits(datetime.date(2025, 12, 20), 2025) and fits(datetime.date(2025, 1, 5), 2025)
    assert fits(datetime.date(2026, 1, 20), 2025) and fits(datetime.date(2026, 2, 28), 2025)
    assert not fits(datetime.date(2026, 3, 1), 2025) and not fits(datetime.date(2024, 12, 31), 2025)
    # A 组织生活会 counts for the 年度 it is held for (stored on the record).
    assert fits(datetime.date(2026, 1, 20), 2025, held_for_year=2025)
    assert fits(datetime.date(2025, 12, 20), 2025, held_for_year=2025)
    assert not fits(datetime.date(2025, 1, 20), 2025, held_for_year=2024)
