"""integrity.services: each signal found from the database, the risk score, constant queries."""

import datetime

import pytest
from django.utils import timezone

from common.audit import log_action
from integrity import services
from integrity import signals as sig
from meetings.models import Attendance
from tests import factories as f

D = datetime.date(2025, 3, 10)
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
MINUTES = (
    "支部书记主持召开支部党员大会。会议集中学习了《中国共产党章程》第二章有关条款，全体党员逐条对照检查，"
    "结合岗位实际谈了体会。会议还研究了本季度发展党员工作，决定由组织委员负责联系入党积极分子。"
)


def at(day, hour=20):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def meeting(unit, *, day=D, present=(), start=datetime.time(14, 30), end=datetime.time(16, 0), **kw):
    kw.setdefault("entered_at", at(day))
    m = f.MeetingFactory(unit=unit, date=day, start_time=start, end_time=end, **kw)
    for member in present:
        Attendance.objects.create(meeting=m, member=member, status="present")
    return m


def kinds_of(findings, m):
    return {s.kind for s in findings.for_meeting(m.pk)}


def test_a_backfilled_record_is_found(personas):
    m = meeting(personas.org.branch_a, late_entry=True, entered_at=at(D + datetime.timedelta(days=25)))
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    assert kinds_of(findings, m) == {sig.BACKFILLED}
    assert "晚25天" in findings.for_meeting(m.pk)[0].explanation


def test_an_edit_after_the_lock_is_found_from_the_audit_log_with_its_reason(personas):
    m = meeting(personas.org.branch_a)
    log_action(
        "meetings.meeting.changed", actor=personas.staff, obj=m, unit=m.unit, data={"reason": "补签到表"}
    )  # today: long after the lock of a record entered in March 2025
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    (s,) = findings.for_meeting(m.pk)
    assert s.kind == sig.EDITED_AFTER_LOCK and "理由：补签到表" in s.explanation


def test_near_duplicate_minutes_in_two_branches_flag_both(personas):
    a = meeting(personas.org.branch_a, minutes=MINUTES)
    b = meeting(personas.org.branch_b, day=D + datetime.timedelta(days=3), minutes=MINUTES.replace("第二章", "第三章"))
    unrelated = meeting(
        personas.org.branch_b,
        day=D + datetime.timedelta(days=5),
        minutes="今天组织青年志愿者到社区开展垃圾分类宣传活动，发放宣传册两百余份，解答居民咨询，活动历时三小时。",
    )
    findings = services.find_signals([personas.org.branch_a, personas.org.branch_b], start=START, end=END)
    assert kinds_of(findings, a) == kinds_of(findings, b) == {sig.NEAR_DUPLICATE}
    assert findings.for_meeting(a.pk)[0].related_id == b.pk
    assert kinds_of(findings, unrelated) == set()


def test_near_duplicates_inside_a_branch_flag_only_the_later_record_even_from_last_year(personas):
    old = meeting(personas.org.branch_a, day=datetime.date(2024, 11, 5), minutes=MINUTES)
    new = meeting(personas.org.branch_a, minutes=MINUTES)
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    assert kinds_of(findings, new) == {sig.NEAR_DUPLICATE}
    assert findings.for_meeting(new.pk)[0].related_id == old.pk
    assert old.pk not in findings.judged_ids


def test_the_threshold_comes_from_settings(personas, settings):
    meeting(personas.org.branch_a, day=datetime.date(2025, 1, 5), minutes=MINUTES)
    copy = meeting(
        personas.org.branch_a, minutes=MINUTES[:60] + "会议还听取了各党小组的工作汇报，并对下一步工作作出安排。"
    )
    settings.ZHIBU = {**settings.ZHIBU, "SIMILARITY_THRESHOLD": 0.95}
    assert kinds_of(services.find_signals([personas.org.branch_a], start=START, end=END), copy) == set()
    settings.ZHIBU = {**settings.ZHIBU, "SIMILARITY_THRESHOLD": 0.3}
    assert kinds_of(services.find_signals([personas.org.branch_a], start=START, end=END), copy) == {sig.NEAR_DUPLICATE}


def test_one_member_at_two_overlapping_meetings_flags_both(personas):
    m = personas.members
    branch = meeting(personas.org.branch_a, present=[m.secretary_a, m.other_a], start=datetime.time(14, 0))
    group = meeting(personas.org.group_a, present=[m.other_a], start=datetime.time(15, 0))
    later = meeting(personas.org.group_a, present=[m.other_a], start=datetime.time(16, 0), end=datetime.time(17, 0))
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    assert kinds_of(findings, branch) == kinds_of(findings, group) == {sig.IMPOSSIBLE_ATTENDANCE}
    assert kinds_of(findings, later) == set()
    assert "甲同事" in findings.for_meeting(branch.pk)[0].explanation


def test_attendance_larger_than_the_membership_on_that_date(personas):
    newcomer = f.member_in(personas.org.branch_a, start_on=D + datetime.timedelta(days=30), name="新党员")
    m = personas.members
    # Branch A had three members on D (secretary, member, colleague); four are recorded present.
    over = meeting(personas.org.branch_a, present=[m.secretary_a, m.member_a, m.other_a, newcomer])
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    (s,) = findings.for_meeting(over.pk)
    assert s.kind == sig.OVER_ATTENDANCE
    assert s.explanation == "记为出席4人，而第一党支部在2025年3月10日只有党员3人。"


def test_a_meeting_dated_after_the_unit_was_dissolved(personas):
    group = personas.org.group_b
    group.dissolved_on = datetime.date(2025, 3, 1)
    group.save()
    m = meeting(group)
    findings = services.find_signals([personas.org.branch_b], start=START, end=END)
    assert kinds_of(findings, m) == {sig.UNIT_NOT_EXISTING}


def test_archived_records_and_records_outside_the_period_are_not_judged(personas):
    outside = meeting(personas.org.branch_a, day=datetime.date(2024, 6, 1), late_entry=True)
    archived = meeting(personas.org.branch_a, late_entry=True, archived_at=timezone.now())
    findings = services.find_signals([personas.org.branch_a], start=START, end=END)
    assert findings.for_meeting(outside.pk) == findings.for_meeting(archived.pk) == []


def test_branch_risk_scores_give_every_unit_a_score_and_reasons(personas):
    meeting(personas.org.branch_a, late_entry=True, entered_at=at(D + datetime.timedelta(days=25)))
    meeting(personas.org.group_a, late_entry=True, entered_at=at(D + datetime.timedelta(days=25)))
    scores = services.branch_risk_scores([personas.org.branch_a, personas.org.branch_b], start=START, end=END)
    assert scores[personas.org.branch_b.pk] == (0.0, [])
    score, reasons = scores[personas.org.branch_a.pk]
    assert score == sig.score_of(2 * sig.WEIGHTS[sig.BACKFILLED])
    assert reasons == ["补录 2条（每条5分，补录多属工作繁忙，成规律时才值得关注）"]
    committee = services.branch_risk_scores([personas.org.committee], start=START, end=END)
    assert committee[personas.org.committee.pk][0] == score


def _populate(personas, n):
    m = personas.members
    for i in range(n):
        day = D + datetime.timedelta(days=i)
        meeting(
            personas.org.branch_a,
            day=day,
            present=[m.secretary_a, m.other_a],
            minutes=MINUTES + str(i),
            late_entry=True,
        )
        meeting(personas.org.group_a, day=day, present=[m.other_a], start=datetime.time(15, 0))
        meeting(personas.org.branch_b, day=day, present=[m.secretary_b], minutes=MINUTES)


@pytest.mark.parametrize("size", [2, 12])
def test_find_signals_runs_a_fixed_number_of_queries(personas, size, django_assert_max_num_queries):
    _populate(personas, size)
    branches = [personas.org.branch_a, personas.org.branch_b]
    services.find_signals(branches, start=START, end=END)  # warm the content-type cache
    with django_assert_max_num_queries(5):
        findings = services.find_signals(branches, start=START, end=END)
    assert len({s.meeting_id for s in findings.signals}) >= 3 * size
