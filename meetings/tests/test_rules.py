"""The record rules, without a database."""

import dataclasses
import datetime

import pytest

from meetings.rules import MeetingFacts, days_late, is_late_entry, is_locked, meeting_errors

TODAY = datetime.date(2025, 3, 20)
DAY = datetime.date(2025, 3, 10)


def facts(**overrides) -> MeetingFacts:
    base = MeetingFacts(
        kinds={"theme_day"},
        date=DAY,
        start_time=datetime.time(14, 30),
        end_time=datetime.time(16, 0),
        topic="学习党章",
        host_id=1,
        recorder_id=2,
        attendee_ids=[1, 2, 3],
        absentees=[(4, "sick")],
        unit_member_ids={1, 2, 3, 4, 5},
        full_member_ids={1, 2, 3, 4},
        committee_member_ids={1, 2, 3},
        names={1: "甲书记", 2: "甲同事", 3: "甲党员", 4: "甲委员", 5: "甲预备", 9: "外人"},
        unit_founded_on=datetime.date(2020, 1, 1),
    )
    return dataclasses.replace(base, **overrides)


def test_a_complete_record_has_no_errors():
    assert meeting_errors(facts(), today=TODAY) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"date": None}, "date", "会议日期：不能为空"),
        ({"topic": "  "}, "topic", "主题：不能为空"),
        ({"host_id": None}, "host", "主持人：不能为空"),
        ({"recorder_id": None}, "recorder", "记录人：不能为空"),
        ({"kinds": set()}, "kinds", "会议类型：请至少选择一种"),
        ({"attendee_ids": [], "absentees": [(1, "sick")]}, "attendance", "至少应有一名出席人员"),
    ],
)
def test_it_refuses_a_record_without_required_fields(overrides, field, text):
    errors = meeting_errors(facts(**overrides), today=TODAY)
    assert text in errors[field]


def test_it_refuses_a_party_lesson_without_lecturer():
    errors = meeting_errors(facts(kinds={"party_lesson"}), today=TODAY)
    assert errors == {"lecturer": "讲课人：党课须填写讲课人。"}
    assert meeting_errors(facts(kinds={"party_lesson"}, lecturer_id=1), today=TODAY) == {}


def test_it_refuses_a_life_meeting_without_practical_problems():
    errors = meeting_errors(facts(kinds={"life_meeting"}, problems=["", "  "]), today=TODAY)
    assert "组织生活会须记录解决的实际问题" in errors["problems"]
    assert "解决的实际问题" in errors["problems"]
    assert meeting_errors(facts(kinds={"life_meeting"}, problems=["食堂排队时间长"]), today=TODAY) == {}


def test_it_refuses_a_general_meeting_without_more_than_half_of_full_members():
    # 4 full members; attendees 1 and 5 (5 is probationary): one full member came, not more than half.
    errors = meeting_errors(
        facts(kinds={"general_meeting"}, attendee_ids=[1, 5], absentees=[(2, "sick"), (3, "official")]),
        today=TODAY,
    )
    assert "应到正式党员4人，实到1人，未过半数" in errors["attendance"]


def test_exactly_half_of_full_members_is_not_a_quorum():
    errors = meeting_errors(facts(kinds={"general_meeting"}, attendee_ids=[1, 2], absentees=[]), today=TODAY)
    assert "应到正式党员4人，实到2人，未过半数" in errors["attendance"]
    assert meeting_errors(facts(kinds={"general_meeting"}, attendee_ids=[1, 2, 3], absentees=[]), today=TODAY) == {}


def test_it_refuses_a_committee_meeting_without_more_than_half_of_the_committee():
    errors = meeting_errors(facts(kinds={"committee_meeting"}, attendee_ids=[1, 4], absentees=[]), today=TODAY)
    assert "应到支委3人，实到1人，未过半数" in errors["attendance"]
    ok = facts(kinds={"committee_meeting"}, attendee_ids=[1, 2], absentees=[])
    assert meeting_errors(ok, today=TODAY) == {}


def test_it_refuses_a_committee_meeting_when_no_committee_was_in_office():
    errors = meeting_errors(facts(kinds={"committee_meeting"}, committee_member_ids=set()), today=TODAY)
    assert "没有在任的支部委员会" in errors["attendance"]


def test_it_refuses_a_meeting_in_the_future():
    errors = meeting_errors(facts(date=TODAY + datetime.timedelta(days=1)), today=TODAY)
    assert "会议日期：已召开的会议不能晚于今天" in errors["date"]
    assert meeting_errors(facts(date=TODAY), today=TODAY) == {}


def test_it_refuses_an_end_before_the_start():
    errors = meeting_errors(facts(end_time=datetime.time(14, 0)), today=TODAY)
    assert errors == {"end_time": "结束时间：应晚于开始时间。"}


def test_it_names_attendees_who_were_not_members_of_the_unit_on_that_date():
    errors = meeting_errors(facts(attendee_ids=[1, 2, 9]), today=TODAY)
    assert "外人" in errors["attendance"]
    assert "2025-03-10" in errors["attendance"]
    assert "不是本单位党员" in errors["attendance"]


def test_it_names_absentees_who_were_not_members_of_the_unit_on_that_date():
    errors = meeting_errors(facts(absentees=[(9, "sick")]), today=TODAY)
    assert "外人" in errors["attendance"]


def test_it_refuses_a_member_listed_twice_or_both_present_and_absent():
    errors = meeting_errors(facts(attendee_ids=[1, 2, 3], absentees=[(3, "sick")]), today=TODAY)
    assert "甲党员 重复登记" in errors["attendance"]
    errors = meeting_errors(facts(attendee_ids=[1, 2, 2], absentees=[]), today=TODAY)
    assert "甲同事 重复登记" in errors["attendance"]


def test_it_refuses_an_absentee_without_a_reason():
    errors = meeting_errors(facts(absentees=[(4, "")]), today=TODAY)
    assert "缺席原因：请为缺席的 甲委员 选择缺席原因" in errors["attendance"]


def test_it_refuses_a_group_meeting_held_by_a_branch():
    errors = meeting_errors(facts(kinds={"group_meeting"}), today=TODAY)
    assert errors == {"kinds": "会议类型：党小组会只能由党小组召开。"}
    assert meeting_errors(facts(kinds={"group_meeting"}, unit_kind="party_group"), today=TODAY) == {}


@pytest.mark.parametrize("kind", ["committee_meeting", "general_meeting"])
def test_it_refuses_branch_meetings_held_by_a_party_group(kind):
    errors = meeting_errors(facts(kinds={kind}, unit_kind="party_group"), today=TODAY)
    assert errors["kinds"] == "会议类型：支委会和支部党员大会只能由党支部召开。"


def test_it_refuses_a_unit_that_is_not_a_branch_or_group():
    errors = meeting_errors(facts(unit_kind="committee"), today=TODAY)
    assert "召开单位" in errors["unit"]


def test_it_refuses_a_date_before_the_unit_was_founded_or_after_it_was_dissolved():
    errors = meeting_errors(facts(unit_founded_on=datetime.date(2025, 3, 11)), today=TODAY)
    assert "早于本单位成立日期（2025-03-11）" in errors["date"]
    errors = meeting_errors(facts(unit_dissolved_on=DAY), today=TODAY)
    assert "已于2025-03-10撤销" in errors["date"]


def test_several_problems_with_one_field_are_joined():
    errors = meeting_errors(facts(attendee_ids=[1, 9], absentees=[(1, "")]), today=TODAY)
    assert "重复登记" in errors["attendance"] and "不是本单位党员" in errors["attendance"]


def test_a_combined_sitting_is_checked_for_every_kind_it_carries():
    errors = meeting_errors(
        facts(kinds={"theme_day", "general_meeting", "party_lesson"}, attendee_ids=[1], absentees=[]), today=TODAY
    )
    assert set(errors) == {"lecturer", "attendance"}


def test_late_entry_counts_days_after_the_meeting():
    assert days_late(DAY, DAY) == 0
    assert not is_late_entry(DAY, DAY + datetime.timedelta(days=7), 7)
    assert is_late_entry(DAY, DAY + datetime.timedelta(days=8), 7)


def test_a_record_locks_n_days_after_entry():
    entered = datetime.date(2025, 3, 1)
    assert not is_locked(entered, datetime.date(2025, 3, 8), 7)
    assert is_locked(entered, datetime.date(2025, 3, 9), 7)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("14:30", "16:00"), ("15:00", "16:30"), True),
        (("14:30", "16:00"), ("16:00", "17:00"), False),  # one ends as the other begins
        (("14:30", None), ("14:30", None), True),  # same start
        (("14:30", None), ("14:00", "15:00"), True),  # an instant inside the other
        (("09:00", "10:00"), ("14:00", "15:00"), False),
    ],
)
def test_times_overlap(a, b, expected):
    def t(text):
        return datetime.time.fromisoformat(text) if text else None

    from meetings.rules import times_overlap

    assert times_overlap(t(a[0]), t(a[1]), t(b[0]), t(b[1])) is expected
