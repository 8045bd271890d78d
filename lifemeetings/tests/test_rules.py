"""The pure rules of the package, without a database."""

import datetime

import pytest

from lifemeetings import rules


def test_a_pair_is_unordered():
    assert rules.pair(7, 3) == rules.pair(3, 7) == (3, 7)


def test_a_pair_refuses_one_person_twice():
    with pytest.raises(ValueError):
        rules.pair(4, 4)


def test_required_pairs_are_committee_pairs_and_committee_member_pairs_only():
    required = rules.required_pairs({1, 2}, {1, 2, 3, 4})
    # committee pair 1–2, then 1–3, 1–4, 2–3, 2–4; never the member pair 3–4
    assert required == {(1, 2), (1, 3), (1, 4), (2, 3), (2, 4)}


def test_a_committee_member_missing_from_the_roster_still_owes_the_talks():
    assert rules.required_pairs({9}, {1, 2}) == {(1, 9), (2, 9)}


def test_nothing_is_required_without_a_committee():
    cov = rules.coverage(set(), {1, 2, 3}, [(1, 2)])
    assert cov.required == frozenset() and cov.percent == 100
    assert cov.extra == {(1, 2)}


def test_a_talk_covers_its_pair_whoever_started_it():
    cov = rules.coverage({1, 2}, {1, 2, 3}, [(3, 1), (2, 1)])
    assert cov.done == {(1, 3), (1, 2)}
    assert cov.missing == {(2, 3)}
    assert cov.is_done(3, 1) and cov.is_done(1, 3)
    assert not cov.is_done(2, 3)
    assert not cov.is_done(1, 1)


def test_talks_twice_on_one_pair_count_once_and_member_pairs_are_extra():
    cov = rules.coverage({1}, {1, 2, 3}, [(1, 2), (2, 1), (2, 3)])
    assert cov.done == {(1, 2)}
    assert cov.missing == {(1, 3)}
    assert cov.extra == {(2, 3)}
    assert cov.percent == 50


def test_percent_rounds_down_so_a_gap_never_shows_as_done():
    cov = rules.coverage({1}, set(range(1, 201)), [(1, m) for m in range(2, 201)][:-1])
    assert len(cov.missing) == 1
    assert cov.percent == 99


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 1, 22), 2025),
        (datetime.date(2026, 2, 28), 2025),
        (datetime.date(2026, 3, 1), 2026),
        (datetime.date(2025, 12, 15), 2025),
    ],
)
def test_a_life_meeting_early_in_the_year_reviews_the_year_before(day, year):
    assert rules.package_year(day) == year
    start, end = rules.package_window(year)
    assert start <= day <= end


BASE = {
    "year": 2025,
    "day": datetime.date(2025, 11, 3),
    "initiator_id": 1,
    "counterpart_id": 2,
    "summary": "交流思想。",
    "branch_member_ids": {1, 2, 3},
    "today": datetime.date(2025, 12, 1),
}


def test_a_complete_talk_passes():
    assert rules.talk_errors(**BASE) == {}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"day": None}, "date", "谈话日期：请填写。"),
        ({"day": datetime.date(2025, 12, 2)}, "date", "谈话日期：不能晚于今天。"),
        ({"day": datetime.date(2024, 12, 30)}, "date", "谈话日期：2025年度的谈心谈话应在2025年或次年年初进行。"),
        ({"initiator_id": None}, "initiator", "谈话人：请选择。"),
        ({"initiator_id": 9}, "initiator", "谈话人：须是本支部党员。"),
        ({"counterpart_id": 9}, "counterpart", "谈话对象：须是本支部党员。"),
        ({"counterpart_id": 1}, "counterpart", "谈话对象：不能与谈话人是同一人。"),
        ({"summary": "  "}, "summary", "谈话要点：请填写谈话的主要内容。"),
    ],
)
def test_it_refuses_an_incomplete_talk_naming_the_field(change, field, message):
    assert rules.talk_errors(**{**BASE, **change})[field] == message


def test_it_refuses_received_criticism_without_or_by_the_subject():
    common = {"kind": "received", "subject_id": 1, "text": "意见", "attendee_ids": {1, 2}}
    assert rules.criticism_errors(by_member_id=None, **common)["by_member"] == "提出人：相互批评须填写提出人。"
    assert "不能是被批评人本人" in rules.criticism_errors(by_member_id=1, **common)["by_member"]
    assert rules.criticism_errors(by_member_id=2, **common) == {}


def test_it_refuses_a_criticism_of_someone_outside_the_branch():
    errors = rules.criticism_errors(kind="self", subject_id=5, by_member_id=None, text="x", attendee_ids={1})
    assert errors == {"subject": "被批评人：须是本支部党员。"}


def test_it_refuses_a_problem_without_category_or_text():
    errors = rules.problem_errors(member_id=1, category="", problem=" ", member_ids={1})
    assert errors == {"category": "问题类别：请选择思想、工作、作风或纪律。", "problem": "问题：请填写查摆出的问题。"}
