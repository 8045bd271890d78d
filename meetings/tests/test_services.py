"""Recording and editing meetings: the state change and the audit entry."""

import datetime

import pytest
from django.utils import timezone

from common.concurrency import StaleEditError
from common.models import AuditEntry
from meetings import services
from meetings.models import Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db


def everyone_present(roster):
    return [(m, "present", "") for m in roster]


@pytest.fixture
def record(branch, personas, roster, kinds, meeting_data):
    """``record(codes=..., data={...}, **record_meeting's keywords)``: secretary A records a meeting
    of the branch (by default a theme day with everyone on the roster present)."""

    def _record(*, codes=("theme_day",), **kwargs):
        kwargs.setdefault("attendance", everyone_present(roster))
        return services.record_meeting(
            branch, meeting_data(**kwargs.pop("data", {})), actor=personas.secretary_a, kinds=kinds(*codes), **kwargs
        )

    return _record


def test_it_records_a_meeting_with_attendance_problems_and_audit(personas, branch, roster, kinds, record):
    absent = roster[0]
    attendance = [(m, "present", "") for m in roster[1:]] + [(absent, "absent", "sick")]
    meeting = record(
        codes=("life_meeting",),
        attendance=attendance,
        problems=["食堂排队时间长", "  ", "会议室预约难"],
        entered_at=timezone.make_aware(datetime.datetime(2025, 3, 11, 9, 0)),
    )
    meeting.refresh_from_db()
    assert meeting.unit == branch
    assert meeting.entered_by == personas.secretary_a
    assert meeting.source == "form"
    assert not meeting.late_entry
    assert meeting.attendance.filter(status="present").count() == len(roster) - 1
    assert meeting.attendance.get(member=absent).absence_reason == "sick"
    assert list(meeting.problems.values_list("text", flat=True)) == ["食堂排队时间长", "会议室预约难"]
    entry = AuditEntry.objects.for_object(meeting).get()
    assert entry.action == "meetings.meeting.recorded"
    assert entry.unit == branch
    assert entry.data["changes"]["topic"] == [None, "学习新修订的《支部工作条例》"]
    assert entry.data["changes"]["kinds"] == [None, ["组织生活会"]]
    assert f"{absent.name}（病假）" in entry.data["attendance"]["absent"]


def test_a_combined_sitting_carries_three_kinds(personas, kinds, record):
    meeting = record(
        codes=("theme_day", "general_meeting", "party_lesson"),
        data={"lecturer": personas.members.secretary_a},
    )
    assert set(meeting.kinds.values_list("code", flat=True)) == {"theme_day", "general_meeting", "party_lesson"}


def test_it_refuses_and_stores_nothing_when_the_rules_refuse(record):
    with pytest.raises(services.MeetingError) as exc:
        record(codes=("party_lesson",), data={"topic": ""})
    assert exc.value.errors["lecturer"] == "讲课人：党课须填写讲课人。"
    assert exc.value.errors["topic"] == "主题：不能为空。"
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="meetings.").exists()


def test_it_refuses_a_member_of_another_branch(personas, roster, record):
    outsider = personas.members.other_b
    with pytest.raises(services.MeetingError) as exc:
        record(
            attendance=[*everyone_present(roster), (outsider, "present", "")],
        )
    assert "乙同事 在2025-03-10不是本单位党员" in exc.value.errors["attendance"]


def test_it_refuses_a_member_who_joined_after_the_meeting(branch, roster, record):
    late = f.member_in(branch, name="新调入", start_on=datetime.date(2025, 3, 15))
    with pytest.raises(services.MeetingError) as exc:
        record(attendance=[*everyone_present(roster), (late, "present", "")])
    assert "新调入" in exc.value.errors["attendance"]


def test_committee_quorum_counts_the_term_in_office_on_the_meeting_date(personas, record):
    # Branch A's current term has one seat (甲书记); add two more: 3 seats, 2 must come.
    term = personas.terms.a
    f.TermMemberFactory(term=term, member=personas.members.other_a)
    f.TermMemberFactory(term=term, member=personas.members.member_a)
    attendance = [
        (personas.members.secretary_a, "present", ""),
        (personas.members.other_a, "absent", "official"),
        (personas.members.member_a, "absent", "sick"),
    ]
    with pytest.raises(services.MeetingError) as exc:
        record(codes=("committee_meeting",), attendance=attendance)
    assert "应到支委3人，实到1人，未过半数" in exc.value.errors["attendance"]
    attendance[1] = (personas.members.other_a, "present", "")
    meeting = record(codes=("committee_meeting",), attendance=attendance)
    assert meeting.pk


def test_general_meeting_quorum_counts_full_members_only(roster, record):
    # Full members: 甲书记, 甲党员, 甲同事, 甲委员 (4); 甲预备 is probationary.
    by_name = {m.name: m for m in roster}
    attendance = [
        (by_name["甲预备"], "present", ""),
        (by_name["甲书记"], "present", ""),
        (by_name["甲同事"], "present", ""),
    ]
    attendance += [(by_name["甲党员"], "absent", "sick"), (by_name["甲委员"], "absent", "official")]
    with pytest.raises(services.MeetingError) as exc:
        record(codes=("general_meeting",), attendance=attendance)
    assert "应到正式党员4人，实到2人，未过半数" in exc.value.errors["attendance"]


def test_it_refuses_a_meeting_dated_after_entry(record):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(services.MeetingError) as exc:
        record(data={"date": tomorrow})
    assert "会议日期：已召开的会议不能晚于今天" in exc.value.errors["date"]


def test_a_record_entered_more_than_n_days_late_is_marked(settings, record):
    settings.ZHIBU = {**settings.ZHIBU, "LATE_ENTRY_DAYS": 7}
    day = datetime.date(2025, 3, 10)
    on_time = record(
        entered_at=timezone.make_aware(datetime.datetime(2025, 3, 17, 20, 0)),
    )
    late = record(
        entered_at=timezone.make_aware(datetime.datetime(2025, 3, 18, 9, 0)),
    )
    assert on_time.date == late.date == day
    assert not on_time.late_entry
    assert late.late_entry
    assert AuditEntry.objects.for_object(late).get().data["late_entry"] is True


def test_an_import_keeps_its_source_and_key(record):
    meeting = record(source="import", import_key="abc123")
    assert (meeting.source, meeting.import_key) == ("import", "abc123")


def test_recording_a_meeting_of_fifty_members_takes_a_fixed_number_of_queries(
    personas, branch, kinds, meeting_data, django_assert_max_num_queries
):
    """The queries do not grow with the roster (attendance in one INSERT). Its time is measured
    by bench/compliance.py, not asserted here."""
    for i in range(45):
        f.member_in(branch, name=f"党员{i:02d}")
    from members.models import Member

    roster = list(Member.objects.in_unit_on(branch, datetime.date(2025, 3, 10)))
    assert len(roster) == 50
    attendance = everyone_present(roster)
    kinds_rows = kinds("theme_day", "general_meeting")
    with django_assert_max_num_queries(20):
        services.record_meeting(
            branch, meeting_data(), actor=personas.secretary_a, kinds=kinds_rows, attendance=attendance
        )


# -- editing -------------------------------------------------------------------------------


@pytest.fixture
def edit(personas, roster, kinds, meeting_data):
    """``edit(meeting, codes=..., version=..., data={...}, **update_meeting's keywords)``: secretary A
    changes the record (by default to a theme day with everyone present, at its current version)."""

    def _edit(meeting, *, codes=("theme_day",), version=None, **kwargs):
        kwargs.setdefault("attendance", everyone_present(roster))
        return services.update_meeting(
            meeting,
            meeting_data(**kwargs.pop("data", {})),
            actor=personas.secretary_a,
            kinds=kinds(*codes),
            expected_version=meeting.version if version is None else version,
            **kwargs,
        )

    return _edit


def test_it_changes_a_record_and_writes_what_changed(roster, record, edit):
    meeting = record()
    absent = roster[-1]
    attendance = [(m, "present", "") for m in roster[:-1]] + [(absent, "absent", "personal")]
    edit(
        meeting,
        codes=("theme_day", "reading_exchange"),
        data={"topic": "读书心得交流"},
        attendance=attendance,
    )
    meeting.refresh_from_db()
    assert meeting.topic == "读书心得交流"
    assert meeting.version == 2
    assert meeting.attendance.get(member=absent).status == "absent"
    entry = AuditEntry.objects.for_object(meeting).filter(action="meetings.meeting.changed").get()
    assert entry.data["changes"]["topic"] == ["学习新修订的《支部工作条例》", "读书心得交流"]
    assert entry.data["changes"]["kinds"] == [["主题党日"], ["主题党日", "读书心得交流"]]
    assert entry.data["attendance"]["after"]["absent"] == [f"{absent.name}（事假）"]


def test_a_stale_version_is_refused_and_nothing_is_overwritten(roster, record, edit):
    meeting = record()
    first = Meeting.objects.get(pk=meeting.pk)
    second = Meeting.objects.get(pk=meeting.pk)
    edit(first, data={"topic": "先保存的主题"})
    with pytest.raises(StaleEditError) as exc:
        edit(
            second,
            version=1,
            data={"topic": "后保存的主题"},
            attendance=[(roster[0], "present", "")],
        )
    assert ("主题", "先保存的主题", "后保存的主题") in exc.value.conflicts
    meeting.refresh_from_db()
    assert meeting.topic == "先保存的主题"
    assert meeting.attendance.count() == len(roster)
    assert AuditEntry.objects.filter(action="meetings.meeting.changed").count() == 1


def _entered_days_ago(meeting, days):
    Meeting.objects.filter(pk=meeting.pk).update(entered_at=timezone.now() - datetime.timedelta(days=days))
    meeting.refresh_from_db()


def test_a_locked_record_needs_a_reason(record, edit):
    meeting = record()
    _entered_days_ago(meeting, 8)
    assert services.is_locked(meeting)
    with pytest.raises(services.MeetingError) as exc:
        edit(meeting, data={"topic": "改主题"}, reason="  ")
    assert "修改理由" in exc.value.errors["reason"]
    meeting.refresh_from_db()
    assert meeting.topic != "改主题"


def test_the_reason_for_a_locked_edit_shows_in_the_history(record, edit):
    meeting = record()
    _entered_days_ago(meeting, 30)
    edit(meeting, data={"place": "党员活动室"}, reason="地点录错")
    entry = AuditEntry.objects.for_object(meeting).filter(action="meetings.meeting.changed").get()
    assert entry.data["reason"] == "地点录错"
    assert entry.data["changes"]["place"] == ["三楼会议室", "党员活动室"]


def test_a_record_within_n_days_is_edited_without_reason(record, edit):
    meeting = record()
    _entered_days_ago(meeting, 7)
    assert not services.is_locked(meeting)
    edit(meeting, data={"place": "党员活动室"})
    assert Meeting.objects.get(pk=meeting.pk).place == "党员活动室"


def test_an_edit_is_checked_by_the_same_rules(record, edit):
    meeting = record()
    with pytest.raises(services.MeetingError) as exc:
        edit(meeting, codes=("life_meeting",))
    assert "组织生活会须记录解决的实际问题" in exc.value.errors["problems"]


def test_archive_and_restore_write_audit_entries(personas, record, edit):
    meeting = record()
    services.archive_meeting(meeting, actor=personas.staff, reason="重复录入")
    assert Meeting.objects.get(pk=meeting.pk).is_archived
    with pytest.raises(services.MeetingError):
        services.archive_meeting(meeting, actor=personas.staff)
    with pytest.raises(services.MeetingError) as exc:
        edit(meeting)
    assert "已归档" in exc.value.errors["__all__"]
    services.restore_meeting(meeting, actor=personas.staff)
    assert not Meeting.objects.get(pk=meeting.pk).is_archived
    actions = list(AuditEntry.objects.for_object(meeting).order_by("id").values_list("action", "data"))
    assert actions[1] == ("meetings.meeting.archived", {"reason": "重复录入"})
    assert actions[2][0] == "meetings.meeting.restored"


def test_the_committee_adds_a_kind(personas):
    kind = services.add_kind("志愿服务", "volunteer_service", "branch", actor=personas.staff)
    assert not kind.builtin
    assert AuditEntry.objects.for_object(kind).get().action == "meetings.kind.created"
    with pytest.raises(services.MeetingError) as exc:
        services.add_kind("志愿服务", "Bad Code", "committee", actor=personas.staff)
    assert set(exc.value.errors) == {"name", "code", "unit_kind"}
    assert "名称" in exc.value.errors["name"]


# --- the 年度 of a 组织生活会 ----------------------------------------------------------------


def test_a_life_meeting_stores_the_year_it_is_held_for(personas, branch, roster, kinds, meeting_data):
    january = {"date": datetime.date(2026, 1, 20)}
    proposed = record(
        branch, personas, roster, kinds, meeting_data, codes=("life_meeting",), data=january, problems=["问题"]
    )
    assert proposed.held_for_year == 2025  # held in January: last year's, by default
    chosen = record(
        branch,
        personas,
        roster,
        kinds,
        meeting_data,
        codes=("life_meeting",),
        data={**january, "held_for_year": 2026},
        problems=["问题"],
    )
    assert chosen.held_for_year == 2026  # the secretary's choice
    assert record(branch, personas, roster, kinds, meeting_data, data=january).held_for_year is None  # not a 组织生活会
    with pytest.raises(services.MeetingError) as refused:
        record(
            branch,
            personas,
            roster,
            kinds,
            meeting_data,
            codes=("life_meeting",),
            data={**january, "held_for_year": 2023},
            problems=["问题"],
        )
    assert "所属年度" in refused.value.errors["held_for_year"]


def test_changing_a_life_meetings_year_recounts_both_years(personas, branch, roster, kinds, meeting_data, monkeypatch):
    meeting = record(
        branch,
        personas,
        roster,
        kinds,
        meeting_data,
        codes=("life_meeting",),
        data={"date": datetime.date(2026, 1, 20)},
        problems=["问题"],
    )
    seen = []
    monkeypatch.setattr(services.counts, "refresh", lambda units, years: seen.append(set(years)))
    edit(
        meeting,
        personas,
        roster,
        kinds,
        meeting_data,
        codes=("life_meeting",),
        data={"date": datetime.date(2026, 1, 20), "held_for_year": 2026},
        problems=["问题"],
    )
    meeting.refresh_from_db()
    assert meeting.held_for_year == 2026
    assert seen == [{2025, 2026}]
    entry = AuditEntry.objects.for_object(meeting).filter(action="meetings.meeting.changed").get()
    assert entry.data["changes"]["held_for_year"] == [2025, 2026]
