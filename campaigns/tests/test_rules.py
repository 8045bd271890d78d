"""Pure rules: task progress, reflection length, status moves, marked segments (no database)."""

import datetime

import pytest

from campaigns import rules

D = datetime.date
TODAY = D(2025, 6, 15)


def fact(**kw):
    base = {
        "id": 1,
        "stage_id": 10,
        "audience": "branch",
        "evidence": "meeting",
        "due_on": D(2025, 4, 30),
        "stage_start": D(2025, 1, 1),
        "stage_end": D(2025, 4, 30),
        "kind_code": "party_lesson",
        "book_ids": frozenset({7}),
    }
    base.update(kw)
    return rules.TaskFact(**base)


def test_a_meeting_task_is_done_by_a_meeting_of_its_kind_within_the_stage():
    facts = rules.ProgressFacts(unit_meetings={5: [(D(2025, 3, 2), frozenset({"theme_day", "party_lesson"}))]})
    state = rules.branch_task_state(fact(), 5, facts, TODAY)
    assert state.complete and state.status == "done" and not state.overdue


def test_a_meeting_outside_the_stage_or_of_another_kind_does_not_count():
    facts = rules.ProgressFacts(
        unit_meetings={5: [(D(2025, 5, 2), frozenset({"party_lesson"})), (D(2025, 3, 2), frozenset({"theme_day"}))]}
    )
    state = rules.branch_task_state(fact(), 5, facts, TODAY)
    assert not state.complete
    assert state.overdue and state.status == "overdue"


def test_a_task_not_done_before_its_due_date_is_open_not_overdue():
    state = rules.branch_task_state(fact(), 5, rules.ProgressFacts(), D(2025, 4, 30))
    assert state.status == "open"


def test_a_document_task_is_done_by_the_units_upload_only():
    task = fact(evidence="document", kind_code="")
    facts = rules.ProgressFacts(documents={(1, 5)})
    assert rules.branch_task_state(task, 5, facts, TODAY).complete
    assert not rules.branch_task_state(task, 6, facts, TODAY).complete


def test_a_member_task_counts_members_done_over_the_branch_members():
    task = fact(audience="member", evidence="reflection", kind_code="")
    facts = rules.ProgressFacts(branch_members={5: [1, 2, 3, 4]}, reflections={(1, 10, 7), (2, 10, 7), (3, 10, 8)})
    state = rules.branch_task_state(task, 5, facts, TODAY)
    assert (state.done, state.total, state.percent) == (2, 4, 50)
    assert state.overdue


def test_a_reflection_on_any_book_of_the_stage_counts_when_the_task_names_none():
    task = fact(audience="member", evidence="reflection", kind_code="", book_ids=frozenset({7, 8}))
    facts = rules.ProgressFacts(reflections={(3, 10, 8)})
    assert rules.member_task_state(task, 3, facts, TODAY).complete
    assert not rules.member_task_state(task, 4, facts, TODAY).complete


def test_a_member_meeting_task_needs_the_members_attendance():
    task = fact(audience="member")
    facts = rules.ProgressFacts(member_meetings={3: [(D(2025, 2, 1), frozenset({"party_lesson"}))]})
    assert rules.member_task_state(task, 3, facts, TODAY).complete
    assert not rules.member_task_state(task, 4, facts, TODAY).complete


def test_a_branch_without_members_has_no_one_to_count():
    state = rules.branch_task_state(fact(audience="member", evidence="reflection"), 5, rules.ProgressFacts(), TODAY)
    assert state.total == 0 and not state.complete and not state.overdue


def test_the_grid_leaves_out_committee_tasks_and_sums_per_branch():
    tasks = [fact(id=1), fact(id=2, audience="committee", evidence="document"), fact(id=3, evidence="document")]
    facts = rules.ProgressFacts(unit_meetings={5: [(D(2025, 2, 1), frozenset({"party_lesson"}))]}, documents={(3, 6)})
    rows = rules.branch_grid(tasks, [5, 6], facts, TODAY)
    assert [len(r.states) for r in rows] == [2, 2]
    assert [(r.done, r.overdue, r.percent) for r in rows] == [(1, 1, 50), (1, 1, 50)]


@pytest.mark.parametrize(
    ("audience", "evidence", "ok"),
    [
        ("branch", "reflection", False),
        ("committee", "reflection", False),
        ("member", "document", False),
        ("member", "reflection", True),
        ("branch", "document", True),
    ],
)
def test_evidence_must_fit_the_audience(audience, evidence, ok):
    errors = rules.task_errors(
        audience=audience, evidence=evidence, has_kind=True, due_on=None, stage_start=None, stage_end=None
    )
    assert ("evidence" not in errors) is ok
    if not ok:
        assert errors["evidence"].startswith("完成方式：")


def test_a_meeting_task_names_its_kind_and_is_due_after_the_stage_starts():
    errors = rules.task_errors(
        audience="branch",
        evidence="meeting",
        has_kind=False,
        due_on=D(2024, 12, 1),
        stage_start=D(2025, 1, 1),
        stage_end=D(2025, 4, 30),
    )
    assert errors["meeting_kind"].startswith("会议类型：")
    assert "2025-01-01" in errors["due_on"]


def test_the_length_rule_counts_characters_without_whitespace_and_says_how_many():
    assert rules.counted_chars("党 章\n学习 ") == 4
    assert rules.length_error("字" * 300, 300) is None
    message = rules.length_error("字 " * 120, 300)
    assert message == "正文：读书心得至少 300 字，当前 120 字，还差 180 字。"


def test_status_moves_follow_the_table():
    assert rules.can_move("submitted", "commented")
    assert rules.can_move("commented", "selected")
    assert rules.can_move("selected", "commented")
    assert not rules.can_move("selected", "selected")
    assert not rules.can_move("commented", "submitted")


def test_marked_segments_merge_overlaps_and_keep_every_character():
    text = "abcdefghij"
    segments = rules.marked_segments(text, [(2, 4), (3, 6), (8, 20), (9, 9)])
    assert segments == [("ab", False), ("cdef", True), ("gh", False), ("ij", True)]
    assert "".join(p for p, _m in segments) == text


def test_quarters():
    assert rules.quarter_of(D(2025, 11, 5)) == (D(2025, 10, 1), D(2025, 12, 31))
    assert rules.quarter_of(D(2025, 2, 28)) == (D(2025, 1, 1), D(2025, 3, 31))
