"""Planning: pure matching, month grid and iCalendar text; services with their audit entries."""

import datetime

import pytest

from common.concurrency import StaleEditError
from common.models import AuditEntry
from meetings import planning
from meetings.models import CalendarFeedToken, MeetingKind
from meetings.planning import Item
from tests import factories as f

TODAY = datetime.date(2025, 6, 15)


def item(id, day, kinds, *, held, unit_id=1, topic=""):
    return Item(
        id=id,
        unit_id=unit_id,
        unit_name="第一党支部",
        date=day,
        kind_codes=frozenset(kinds),
        kind_names=tuple(kinds),
        topic=topic,
        held=held,
    )


# --- plan versus held (pure) -------------------------------------------------------------------


def test_a_plan_is_matched_by_a_meeting_of_the_same_unit_in_the_same_month_with_a_planned_kind():
    plans = [item(1, datetime.date(2025, 3, 5), {"committee_meeting", "theme_day"}, held=False)]
    held = [item(10, datetime.date(2025, 3, 28), {"theme_day", "party_lesson"}, held=True)]
    result = planning.compare(plans, held, today=TODAY)
    assert [(r.plan.id, r.meeting.id, r.status) for r in result.rows] == [(1, 10, planning.HELD)]
    assert result.unplanned == []


def test_a_meeting_in_another_month_or_without_a_planned_kind_or_of_another_unit_does_not_match():
    plans = [item(1, datetime.date(2025, 3, 5), {"committee_meeting"}, held=False)]
    held = [
        item(10, datetime.date(2025, 4, 1), {"committee_meeting"}, held=True),
        item(11, datetime.date(2025, 3, 6), {"theme_day"}, held=True),
        item(12, datetime.date(2025, 3, 6), {"committee_meeting"}, held=True, unit_id=2),
    ]
    result = planning.compare(plans, held, today=TODAY)
    assert result.rows[0].status == planning.MISSED
    assert result.rows[0].status_label == "未按计划召开"
    assert [m.id for m in result.unplanned] == [11, 12, 10]


def test_one_meeting_answers_for_one_plan_only():
    plans = [
        item(1, datetime.date(2025, 3, 5), {"committee_meeting"}, held=False),
        item(2, datetime.date(2025, 3, 20), {"committee_meeting"}, held=False),
    ]
    held = [item(10, datetime.date(2025, 3, 21), {"committee_meeting"}, held=True)]
    result = planning.compare(plans, held, today=TODAY)
    assert {r.plan.id: r.status for r in result.rows} == {1: planning.MISSED, 2: planning.HELD}


def test_matching_finds_a_partner_for_every_plan_where_a_greedy_choice_would_not():
    # Plan 1 could take either meeting; plan 2 only meeting 10. Nearest-first alone would give
    # meeting 10 to plan 1 and leave plan 2 unmatched.
    plans = [
        item(1, datetime.date(2025, 3, 1), {"committee_meeting", "theme_day"}, held=False),
        item(2, datetime.date(2025, 3, 25), {"committee_meeting"}, held=False),
    ]
    held = [
        item(10, datetime.date(2025, 3, 2), {"committee_meeting"}, held=True),
        item(11, datetime.date(2025, 3, 30), {"theme_day"}, held=True),
    ]
    result = planning.compare(plans, held, today=TODAY)
    assert {r.plan.id: r.meeting.id for r in result.rows} == {1: 11, 2: 10}


def test_an_unmet_plan_of_the_current_or_a_later_month_is_pending_not_missed():
    plans = [
        item(1, datetime.date(2025, 6, 2), {"committee_meeting"}, held=False),
        item(2, datetime.date(2025, 9, 2), {"committee_meeting"}, held=False),
        item(3, datetime.date(2025, 5, 31), {"committee_meeting"}, held=False),
    ]
    result = planning.compare(plans, [], today=TODAY)
    assert [r.status for r in result.rows] == [planning.MISSED, planning.PENDING, planning.PENDING]


# --- month grid and parsing ---------------------------------------------------------------------


def test_the_month_grid_starts_on_monday_and_places_items_on_their_days():
    weeks = planning.month_grid(
        2025,
        3,
        [item(1, datetime.date(2025, 3, 5), {"theme_day"}, held=False)],
        [item(2, datetime.date(2025, 3, 28), {"theme_day"}, held=True)],
        today=datetime.date(2025, 3, 5),
    )
    assert weeks[0][0].date == datetime.date(2025, 2, 24)  # a Monday
    days = {d.date: d for w in weeks for d in w}
    assert [i.id for i in days[datetime.date(2025, 3, 5)].planned] == [1]
    assert days[datetime.date(2025, 3, 5)].is_today
    assert [i.id for i in days[datetime.date(2025, 3, 28)].held] == [2]
    assert not days[datetime.date(2025, 2, 24)].in_month


def test_month_navigation_crosses_the_year_boundary_and_bad_input_falls_back_to_today():
    assert planning.shift_month(2025, 1, -1) == (2024, 12)
    assert planning.shift_month(2024, 12, 1) == (2025, 1)
    assert planning.parse_month("2025-02", TODAY) == (2025, 2)
    assert planning.parse_month("2025-13", TODAY) == (2025, 6)
    assert planning.parse_month("junk", TODAY) == (2025, 6)


# --- iCalendar ----------------------------------------------------------------------------------


def test_text_values_escape_backslash_semicolon_comma_and_newlines():
    assert planning.ical_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "学习贯彻党的二十大精神，" * 12
    folded = planning.fold_line(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0]] + [p[1:] for p in physical[1:]]) == line
    assert planning.fold_line("SHORT") == "SHORT"


def test_the_calendar_text_carries_uid_dtstamp_dtstart_and_summary_for_each_item():
    now = datetime.datetime(2025, 6, 1, 8, 0, tzinfo=datetime.UTC)
    held = Item(
        id=7,
        unit_id=1,
        unit_name="第一党支部",
        date=datetime.date(2025, 3, 10),
        kind_codes=frozenset({"theme_day"}),
        kind_names=("主题党日",),
        topic="学党章, 守规矩; 作表率",
        held=True,
        start_time=datetime.time(14, 30),
        end_time=datetime.time(16, 0),
    )
    plan = item(3, datetime.date(2025, 7, 1), {"committee_meeting"}, held=False)
    text = planning.build_ical("第一党支部", [held, plan], now=now)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "UID:meeting-7@zhibu" in text and "UID:plan-3@zhibu" in text
    assert "DTSTAMP:20250601T080000Z" in text
    assert "DTSTART:20250310T063000Z" in text  # 14:30 in Shanghai
    assert "DTEND:20250310T080000Z" in text
    assert "DTSTART;VALUE=DATE:20250701" in text
    assert "学党章\\, 守规矩\\; 作表率" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


# --- services -----------------------------------------------------------------------------------


@pytest.fixture
def kinds(db):
    return {k.code: k for k in MeetingKind.objects.all()}


def test_plan_meeting_saves_the_plan_with_its_kinds_and_an_audit_entry(personas, kinds):
    plan = planning.plan_meeting(
        personas.org.branch_a,
        {"planned_on": datetime.date(2025, 3, 12), "topic": "学习条例"},
        actor=personas.secretary_a,
        kinds=[kinds["committee_meeting"], kinds["theme_day"]],
    )
    assert plan.unit == personas.org.branch_a and plan.created_by == personas.secretary_a
    assert set(plan.kinds.values_list("code", flat=True)) == {"committee_meeting", "theme_day"}
    entry = AuditEntry.objects.for_object(plan).get()
    assert entry.action == "meetings.plan.created"
    assert entry.unit == personas.org.branch_a
    assert entry.data["changes"]["kinds"] == [None, "支委会、主题党日"]


def refused_branch_plan(personas, planned_on, kinds):
    """The errors of planning a meeting of branch A on ``planned_on``, which must be refused."""
    with pytest.raises(planning.PlanError) as exc:
        planning.plan_meeting(personas.org.branch_a, {"planned_on": planned_on}, actor=personas.staff, kinds=kinds)
    return exc.value.errors


def test_it_refuses_a_plan_without_kinds_naming_the_field(personas):
    assert "会议类型" in refused_branch_plan(personas, datetime.date(2025, 3, 12), [])["kinds"]


def test_it_refuses_a_group_meeting_in_a_branch_plan(personas, kinds):
    errors = refused_branch_plan(personas, datetime.date(2025, 3, 12), [kinds["group_meeting"]])
    assert "党小组会" in errors["kinds"]


def test_it_refuses_a_date_before_the_unit_was_founded(personas, kinds):
    errors = refused_branch_plan(personas, datetime.date(2010, 3, 12), [kinds["theme_day"]])
    assert errors["planned_on"].startswith("计划日期")


def test_update_plan_records_the_changed_fields_and_refuses_a_stale_version(personas, kinds):
    plan = planning.plan_meeting(
        personas.org.branch_a,
        {"planned_on": datetime.date(2025, 3, 12), "topic": "旧主题"},
        actor=personas.staff,
        kinds=[kinds["theme_day"]],
    )
    planning.update_plan(
        plan,
        {"planned_on": datetime.date(2025, 3, 14), "topic": "新主题"},
        actor=personas.secretary_a,
        kinds=[kinds["theme_day"], kinds["party_lesson"]],
        expected_version=1,
    )
    plan.refresh_from_db()
    assert (plan.planned_on, plan.topic, plan.version) == (datetime.date(2025, 3, 14), "新主题", 2)
    entry = AuditEntry.objects.filter(action="meetings.plan.changed").get()
    assert entry.data["changes"]["topic"] == ["旧主题", "新主题"]
    assert entry.data["changes"]["kinds"] == ["主题党日", "党课、主题党日"]
    with pytest.raises(StaleEditError):
        planning.update_plan(
            plan, {"planned_on": plan.planned_on}, actor=personas.staff, kinds=[kinds["theme_day"]], expected_version=1
        )
    plan.refresh_from_db()
    assert plan.topic == "新主题"


def test_archive_and_restore_keep_the_plan_and_write_audit_entries(personas, kinds):
    plan = planning.plan_meeting(
        personas.org.branch_a,
        {"planned_on": datetime.date(2025, 3, 12)},
        actor=personas.staff,
        kinds=[kinds["theme_day"]],
    )
    planning.archive_plan(plan, actor=personas.secretary_a)
    assert plan.is_archived
    with pytest.raises(planning.PlanError):
        planning.archive_plan(plan, actor=personas.secretary_a)
    planning.restore_plan(plan, actor=personas.secretary_a)
    assert not plan.is_archived
    actions = list(AuditEntry.objects.for_object(plan).order_by("id").values_list("action", flat=True))
    assert actions == ["meetings.plan.created", "meetings.plan.archived", "meetings.plan.restored"]


def test_regenerating_the_feed_token_revokes_the_old_one_and_logs_no_secret(personas):
    branch = personas.org.branch_a
    first = planning.regenerate_feed_token(branch, actor=personas.secretary_a)
    second = planning.regenerate_feed_token(branch, actor=personas.secretary_a)
    assert planning.unit_for_token(first.token) is None
    assert planning.unit_for_token(second.token) == branch
    assert CalendarFeedToken.objects.filter(unit=branch, revoked_at__isnull=True).count() == 1
    entries = AuditEntry.objects.filter(action="meetings.plan.feed_regenerated")
    assert entries.count() == 2
    assert all(second.token not in str(e.data) and first.token not in str(e.data) for e in entries)


def test_load_comparison_reads_plans_and_meetings_of_the_unit(personas, kinds):
    branch = personas.org.branch_a
    planning.plan_meeting(
        branch, {"planned_on": datetime.date(2025, 3, 12)}, actor=personas.staff, kinds=[kinds["theme_day"]]
    )
    f.MeetingFactory(unit=branch, date=datetime.date(2025, 3, 28), kinds=["theme_day"])
    f.MeetingFactory(unit=branch, date=datetime.date(2025, 4, 2), kinds=["committee_meeting"])
    f.MeetingFactory(unit=personas.org.branch_b, date=datetime.date(2025, 3, 28), kinds=["theme_day"])
    result = planning.load_comparison(branch, 2025, today=TODAY)
    assert [r.status for r in result.rows] == [planning.HELD]
    assert [m.date for m in result.unplanned] == [datetime.date(2025, 4, 2)]
