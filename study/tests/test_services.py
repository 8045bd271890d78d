import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from committees.models import CommitteeRole, TermStatus
from common.concurrency import StaleEditError
from common.models import AuditEntry
from meetings.models import MeetingKind
from study import services
from study.models import RecordStatus, StudyDayRule, StudyRecord, StudyYear
from tests import factories as f

D = datetime.date
TODAY = D(2025, 12, 1)


def entries(action):
    return AuditEntry.objects.filter(action=action)


def _record(personas, member=None, **data):
    member = member or personas.members.member_a
    values = {"title": "《中国共产党章程》", "date": D(2025, 5, 1), "hours": Decimal("3"), "note": ""} | data
    return services.record_study(member, values, actor=member.user, today=TODAY)


def _member_edits(personas, record, title, hours):
    """member_a changes their record (of 2025-05-01) at its current version."""
    data = {"title": title, "date": D(2025, 5, 1), "hours": Decimal(hours)}
    return services.update_study(record, data, actor=personas.member_a, expected_version=record.version, today=TODAY)


# --- hours from meetings -------------------------------------------------------------------------


def test_meeting_hours_go_only_to_members_present_and_only_for_counted_kinds(personas, meeting_with):
    m = personas.members
    meeting_with(["theme_day"], present=[m.member_a], absent=[m.other_a])  # 14:30–16:00: 1.5
    meeting_with(["committee_meeting"], present=[m.member_a, m.other_a])  # not study
    _settings, ledgers = services.load_ledgers([personas.org.branch_a], 2025)
    rows = {r.member_id: r for r in ledgers[0].rows}
    assert rows[m.member_a.pk].meeting_hours == Decimal("1.5")
    assert rows[m.other_a.pk].meeting_hours == 0


def test_a_combined_sitting_counts_once_and_a_meeting_without_times_counts_the_default(personas, meeting_with):
    m = personas.members
    meeting_with(["theme_day", "party_lesson", "study_day"], present=[m.member_a])
    meeting_with(["party_lesson"], present=[m.member_a], start_time=None, end_time=None, date=D(2025, 4, 1))
    _settings, row = services.member_ledger(m.member_a, 2025)
    assert [c.hours for c in row.meetings] == [Decimal("1.5"), Decimal("2")]
    assert row.meeting_hours == Decimal("3.5")


def test_archived_meetings_and_other_years_do_not_count(personas, meeting_with):
    m = personas.members
    meeting_with(["theme_day"], present=[m.member_a], archived_at=timezone.now())
    meeting_with(["theme_day"], present=[m.member_a], date=D(2024, 12, 31))
    assert services.member_ledger(m.member_a, 2025)[1].meeting_hours == 0


def test_the_year_setting_decides_kinds_targets_and_default_hours(personas, meeting_with):
    m = personas.members
    meeting_with(["general_meeting"], present=[m.member_a], start_time=None, end_time=None)
    assert services.member_ledger(m.member_a, 2025)[1].meeting_hours == 0
    services.save_study_year(
        2025,
        {"member_target": Decimal("40"), "leader_target": Decimal("60"), "default_meeting_hours": Decimal("3")},
        actor=personas.staff,
        kinds=list(MeetingKind.objects.filter(code="general_meeting")),
    )
    _settings, row = services.member_ledger(m.member_a, 2025)
    assert (row.meeting_hours, row.target) == (Decimal("3"), Decimal("40"))


def test_the_target_is_56_for_a_member_holding_a_committee_seat_during_the_year(personas):
    m = personas.members
    ended = f.CommitteeTermFactory(
        unit=personas.org.branch_a, number=0, status=TermStatus.ENDED, elected_on=D(2022, 1, 1), ended_on=D(2025, 2, 1)
    )
    f.TermMemberFactory(term=ended, member=m.other_a, role=CommitteeRole.ORGANIZATION)
    _settings, ledgers = services.load_ledgers([personas.org.branch_a], 2025)
    targets = {r.member_id: r.target for r in ledgers[0].rows}
    assert targets[m.secretary_a.pk] == Decimal("56")  # current term's secretary
    assert targets[m.other_a.pk] == Decimal("56")  # seat in a term that ended in February
    assert targets[m.member_a.pk] == Decimal("32")
    # In 2026 the ended term no longer counts.
    _settings, ledgers = services.load_ledgers([personas.org.branch_a], 2026)
    assert {r.member_id: r.target for r in ledgers[0].rows}[m.other_a.pk] == Decimal("32")


def test_only_confirmed_records_count(personas):
    record = _record(personas)
    assert services.member_ledger(personas.members.member_a, 2025)[1].record_hours == 0
    services.confirm_study(record, actor=personas.secretary_a)
    assert services.member_ledger(personas.members.member_a, 2025)[1].record_hours == Decimal("3")


# --- records and their review --------------------------------------------------------------------


def test_a_member_records_study_waiting_for_confirmation_with_an_audit_entry(personas):
    record = _record(personas)
    assert (record.status, record.unit, record.submitted_by) == (
        RecordStatus.SUBMITTED,
        personas.org.branch_a,
        personas.member_a,
    )
    entry = entries("study.record.submitted").get()
    assert entry.unit == personas.org.branch_a and entry.data["changes"]["hours"] == [None, "3"]


def test_it_refuses_a_record_with_bad_hours_naming_the_field(personas):
    with pytest.raises(services.StudyError) as exc:
        _record(personas, hours=Decimal("0.3"))
    assert "学时" in exc.value.errors["hours"]
    assert not StudyRecord.objects.exists()


def test_the_branch_confirms_a_record_with_an_audit_entry(personas):
    record = services.confirm_study(_record(personas), actor=personas.secretary_a)
    record.refresh_from_db()
    assert (record.status, record.reviewed_by) == (RecordStatus.CONFIRMED, personas.secretary_a)
    assert entries("study.record.confirmed").get().data["changes"]["status"] == ["待确认", "已确认"]


def test_it_refuses_a_member_confirming_their_own_record(personas):
    record = _record(personas, member=personas.members.secretary_a)
    with pytest.raises(services.StudyError) as exc:
        services.confirm_study(record, actor=personas.secretary_a)
    assert "不能确认本人" in str(exc.value)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and not entries("study.record.confirmed").exists()


def test_it_refuses_confirming_twice(personas):
    record = services.confirm_study(_record(personas), actor=personas.secretary_a)
    with pytest.raises(services.StudyError):
        services.confirm_study(record, actor=personas.secretary_a)


def test_a_returned_record_needs_a_reason_and_goes_back_for_confirmation_once_corrected(personas):
    record = _record(personas)
    with pytest.raises(services.StudyError) as exc:
        services.return_study(record, " ", actor=personas.secretary_a)
    assert "退回理由" in exc.value.errors["reason"]
    services.return_study(record, "请写明章节", actor=personas.secretary_a)
    record.refresh_from_db()
    assert (record.status, record.return_reason) == (RecordStatus.RETURNED, "请写明章节")
    assert entries("study.record.returned").exists()
    _member_edits(personas, record, "《中国共产党章程》第一章", "2")
    record.refresh_from_db()
    assert (record.status, record.hours) == (RecordStatus.SUBMITTED, Decimal("2"))
    assert entries("study.record.changed").get().data["changes"]["status"] == ["已退回", "待确认"]


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(personas):
    record = _record(personas)
    data = {"title": "新标题", "date": D(2025, 5, 1), "hours": Decimal("2")}
    services.update_study(record, data, actor=personas.member_a, expected_version=record.version, today=TODAY)
    stale = StudyRecord.objects.get(pk=record.pk)
    with pytest.raises(StaleEditError):
        services.update_study(
            stale, {**data, "title": "另一个"}, actor=personas.member_a, expected_version=1, today=TODAY
        )
    assert StudyRecord.objects.get(pk=record.pk).title == "新标题"


def test_a_confirmed_record_can_be_neither_changed_nor_withdrawn(personas):
    record = services.confirm_study(_record(personas), actor=personas.secretary_a)
    with pytest.raises(services.StudyError):
        _member_edits(personas, record, "x", "1")
    with pytest.raises(services.StudyError):
        services.archive_study(record, actor=personas.member_a)


def test_a_member_withdraws_a_waiting_record_which_is_kept(personas):
    record = services.archive_study(_record(personas), actor=personas.member_a)
    assert StudyRecord.objects.get(pk=record.pk).is_archived
    assert entries("study.record.archived").exists()


# --- settings, study day, compliance rule, clean governance ---------------------------------------


def test_year_settings_are_saved_and_changed_with_audit_entries(personas):
    kinds = list(MeetingKind.objects.filter(code__in=["theme_day", "party_lesson"]))
    data = {"member_target": Decimal("32"), "leader_target": Decimal("56"), "default_meeting_hours": Decimal("2")}
    row = services.save_study_year(2025, data, actor=personas.staff, kinds=kinds)
    assert entries("study.year.created").get().data["changes"]["counted_kinds"][1] == "党课、主题党日"
    services.save_study_year(
        2025, {**data, "member_target": Decimal("36")}, actor=personas.staff, kinds=kinds, expected_version=row.version
    )
    assert StudyYear.objects.get(year=2025).member_target == Decimal("36")
    assert entries("study.year.changed").get().data["changes"]["member_target"] == ["32.0", "36"]
    with pytest.raises(services.StudyError) as exc:
        services.save_study_year(2025, data, actor=personas.staff, kinds=[])
    assert "计入学时的会议类型" in exc.value.errors["counted_kinds"]


def test_a_branch_sets_its_study_day_with_an_audit_entry(personas):
    branch = personas.org.branch_a
    rule = services.save_study_day_rule(
        branch, {"mode": "nth_weekday", "nth": 1, "weekday": 4}, actor=personas.secretary_a
    )
    assert str(rule) == "每月第一个星期五"
    services.save_study_day_rule(branch, {"mode": "last_weekday", "weekday": 0}, actor=personas.secretary_a)
    assert str(StudyDayRule.objects.get(unit=branch)) == "每月最后一个星期一"
    assert entries("study.studyday.changed").get().data["changes"]["rule"] == ["每月第一个星期五", "每月最后一个星期一"]
    with pytest.raises(services.StudyError) as exc:
        services.save_study_day_rule(branch, {"mode": "day_of_month", "day": 40}, actor=personas.secretary_a)
    assert "日期" in exc.value.errors["day"]


def test_clean_governance_counts_per_branch_include_its_groups_and_the_integrity_theme(personas, meeting_with):
    org = personas.org
    meeting_with(["warning_education"], theme_category="integrity")
    meeting_with(["integrity_study", "theme_day"])
    meeting_with(["theme_day"], theme_category="integrity")
    meeting_with(["group_meeting"], unit=org.group_a, theme_category="integrity")
    meeting_with(["theme_day"])  # not clean-governance
    meeting_with(["warning_education"], date=D(2024, 5, 1))  # last year
    meeting_with(["warning_education"], unit=org.branch_b)
    counts = services.integrity_counts([org.branch_a, org.branch_b], 2025)
    a, b = counts[org.branch_a.pk], counts[org.branch_b.pk]
    assert (a.warning, a.study, a.themed, a.total) == (1, 1, 2, 4)
    assert (b.warning, b.total) == (1, 1)


def test_the_clean_governance_kinds_are_builtin(db):
    codes = dict(MeetingKind.objects.filter(builtin=True).values_list("code", "name"))
    assert codes["warning_education"] == "警示教育基地参观" and codes["integrity_study"] == "廉政学习"


def test_the_study_day_calendar_skips_new_years_day_even_before_the_years_notice_is_entered(personas):
    from study.models import StudyDayRule

    rule = StudyDayRule(unit=personas.org.branch_a, mode="nth_weekday", nth=1, weekday=4)
    days = services.rule_dates(rule, datetime.date(2026, 12, 1), datetime.date(2027, 1, 31))
    assert datetime.date(2027, 1, 1) not in days
    assert days == [datetime.date(2026, 12, 4), datetime.date(2027, 1, 4)]


def test_the_study_day_calendar_follows_the_holiday_calendar_rows(personas):
    from study.models import StudyDayRule

    rule = StudyDayRule(unit=personas.org.branch_a, mode="nth_weekday", nth=1, weekday=4)
    # 2026-10-02 lies in the National Day holiday (seeded 10-01 to 10-07).
    assert services.rule_dates(rule, datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)) == [
        datetime.date(2026, 10, 8)
    ]
