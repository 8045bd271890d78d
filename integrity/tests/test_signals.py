"""integrity.signals: pure, no database."""

import datetime

from integrity import signals as sig

D = datetime.date(2025, 3, 10)
T = datetime.time


def fact(id=1, **kw):
    values = {
        "id": id,
        "unit_id": 10,
        "unit_name": "第一党支部",
        "branch_id": 10,
        "branch_name": "第一党支部",
        "date": D,
        "topic": "学习党章",
        "start_time": T(14, 30),
        "end_time": T(16, 0),
        "entered_on": D,
        "unit_founded_on": datetime.date(2020, 1, 1),
    }
    values.update(kw)
    return sig.MeetingFact(**values)


def test_backfilled_explains_the_dates_and_the_delay():
    s = sig.backfilled(fact(late_entry=True, entered_on=datetime.date(2025, 4, 2)))
    assert s.kind == sig.BACKFILLED
    assert s.explanation == "会议于2025年3月10日召开，2025年4月2日才录入，晚23天（补录）。"


def test_a_record_entered_in_time_is_not_backfilled():
    assert sig.backfilled(fact(late_entry=False, entered_on=datetime.date(2025, 4, 2))) is None


def test_edited_after_lock_lists_only_edits_after_the_lock_with_their_reasons():
    m = fact(entered_on=datetime.date(2025, 3, 11))
    edits = [
        sig.Edit(1, datetime.date(2025, 3, 12), ""),  # before the lock: an ordinary correction
        sig.Edit(1, datetime.date(2025, 5, 6), "补充出席人员"),
        sig.Edit(2, datetime.date(2025, 5, 6), "另一条记录"),
    ]
    s = sig.edited_after_lock(m, edits, late_days=7)
    assert s.kind == sig.EDITED_AFTER_LOCK
    assert "锁定后又修改1次" in s.explanation
    assert "2025年5月6日（理由：补充出席人员）" in s.explanation
    assert sig.edited_after_lock(m, edits[:1], late_days=7) is None


def test_the_lock_day_itself_is_still_open():
    m = fact(entered_on=datetime.date(2025, 3, 11))
    assert sig.edited_after_lock(m, [sig.Edit(1, datetime.date(2025, 3, 18))], late_days=7) is None
    assert sig.edited_after_lock(m, [sig.Edit(1, datetime.date(2025, 3, 19))], late_days=7) is not None


def test_impossible_attendance_flags_both_overlapping_meetings():
    branch = fact(1, present_ids=frozenset({5, 6}), start_time=T(14, 30), end_time=T(16, 0))
    group = fact(
        2, unit_id=11, unit_name="第一党小组", present_ids=frozenset({5}), start_time=T(15, 0), end_time=T(16, 0)
    )
    found = sig.impossible_attendance([branch, group], {5: "王伟", 6: "李强"})
    assert {(s.meeting_id, s.related_id) for s in found} == {(1, 2), (2, 1)}
    assert "王伟（1人）" in found[0].explanation
    assert "第一党小组2025年3月10日的“学习党章”" in found[0].explanation
    assert "第一党小组" not in found[0].explanation_limited


def test_meetings_one_after_another_or_on_other_days_are_not_conflicts():
    a = fact(1, present_ids=frozenset({5}), start_time=T(14, 0), end_time=T(15, 0))
    after = fact(2, present_ids=frozenset({5}), start_time=T(15, 0), end_time=T(16, 0))
    other_day = fact(3, present_ids=frozenset({5}), date=D + datetime.timedelta(days=1))
    no_time = fact(4, present_ids=frozenset({5}), start_time=None, end_time=None)
    others = fact(5, present_ids=frozenset({9}))
    assert sig.impossible_attendance([a, after, other_day, no_time, others], {}) == []


def test_over_attendance_compares_present_members_with_the_membership_on_that_date():
    m = fact(present_ids=frozenset({1, 2, 3}))
    rows = [(datetime.date(2020, 1, 1), None), (datetime.date(2020, 1, 1), D), (datetime.date(2025, 4, 1), None)]
    assert sig.members_on(rows, D) == 1
    s = sig.over_attendance(m, sig.members_on(rows, D))
    assert s.explanation == "记为出席3人，而第一党支部在2025年3月10日只有党员1人。"
    assert sig.over_attendance(m, 3) is None


def test_unit_not_existing_before_founding_and_from_dissolution():
    before = sig.unit_not_existing(fact(unit_founded_on=datetime.date(2025, 4, 1)))
    assert before.explanation == "会议日期2025年3月10日早于第一党支部的成立日期2025年4月1日。"
    dissolved = sig.unit_not_existing(fact(unit_dissolved_on=D))
    assert "已于2025年3月10日撤销" in dissolved.explanation
    assert sig.unit_not_existing(fact(unit_dissolved_on=D + datetime.timedelta(days=1))) is None


def test_near_duplicates_flag_the_later_record_in_a_branch_and_both_across_branches():
    early = fact(1, date=datetime.date(2025, 1, 5))
    late = fact(2)
    other = fact(3, unit_id=20, unit_name="第二党支部", branch_id=20, branch_name="第二党支部")
    facts = {m.id: m for m in (early, late, other)}
    same = sig.near_duplicates([(1, 2, 0.91)], facts)
    assert [(s.meeting_id, s.related_id) for s in same] == [(2, 1)]
    assert same[0].explanation == "会议纪要与本支部此前第一党支部2025年1月5日的“学习党章”的纪要相似度91%。"
    across = sig.near_duplicates([(3, 2, 0.85)], facts)
    assert {(s.meeting_id, s.related_id) for s in across} == {(2, 3), (3, 2)}
    flagged_2 = next(s for s in across if s.meeting_id == 2)
    assert "第二党支部" in flagged_2.explanation
    assert flagged_2.explanation_limited == "会议纪要与其他支部一条记录的纪要相似度85%。"


def test_collect_returns_only_signals_of_judged_records():
    judged = fact(1, late_entry=True, entered_on=D + datetime.timedelta(days=20), present_ids=frozenset({5}))
    context = fact(2, branch_id=20, unit_id=20, unit_name="第二党支部", present_ids=frozenset({5}), late_entry=True)
    found = sig.collect(
        sig.SignalInputs(meetings=[judged], names={5: "王伟"}, memberships={10: []}, context={2: context}, pairs=[])
    )
    assert {s.kind for s in found} == {sig.BACKFILLED, sig.IMPOSSIBLE_ATTENDANCE, sig.OVER_ATTENDANCE}
    assert all(s.meeting_id == 1 for s in found)


def test_risk_adds_the_weight_of_each_flagged_record_once_per_type():
    signals = [
        sig.Signal(sig.BACKFILLED, 1, 10, ""),
        sig.Signal(sig.BACKFILLED, 2, 10, ""),
        sig.Signal(sig.NEAR_DUPLICATE, 2, 10, "", 7, 0.9),
        sig.Signal(sig.NEAR_DUPLICATE, 2, 10, "", 8, 0.9),  # the same record again
    ]
    r = sig.risk(signals)
    assert r.points == 2 * sig.WEIGHTS[sig.BACKFILLED] + sig.WEIGHTS[sig.NEAR_DUPLICATE]
    assert r.score == sig.score_of(25) == 22.1
    assert r.counts[sig.BACKFILLED] == 2 and r.counts[sig.NEAR_DUPLICATE] == 1
    assert r.reasons[0].startswith("纪要雷同 1条（每条15分")
    assert any(reason.startswith("补录 2条（每条5分") for reason in r.reasons)


def test_risk_rises_with_the_points_stays_below_100_and_is_zero_without_signals():
    assert [sig.score_of(p) for p in (0, 50, 100, 200)] == [0.0, 39.3, 63.2, 86.5]
    many = [sig.Signal(sig.IMPOSSIBLE_ATTENDANCE, i, 10, "") for i in range(10)]
    more = many + [sig.Signal(sig.IMPOSSIBLE_ATTENDANCE, i, 10, "") for i in range(10, 12)]
    assert sig.risk(many).score < sig.risk(more).score < 100.0
    empty = sig.risk([])
    assert empty.score == 0.0 and empty.reasons == []
    assert sig.branch_risks(many, [10, 20])[20].score == 0.0
