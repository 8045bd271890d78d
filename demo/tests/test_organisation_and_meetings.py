"""The demo organisation (``seed_demo``) and the printed demo logins (``demo_logins``)."""

import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Role, RoleGrant
from committees.models import Approval, CommitteeRole, CommitteeTerm, TermMember, TermStatus
from committees.rules import composition_errors
from common.logdisplay import action_label
from common.models import AuditEntry
from compliance.participation import lapse_flags
from compliance.services import compliance_table
from demo.steps import meetings as demo_meetings
from demo.steps import organisation as demo
from demo.steps.meetings import roster as demo_roster
from meetings.models import Attendance, Meeting, MeetingProblem
from meetings.rules import MeetingFacts, meeting_errors
from members.idnumbers import IdNumberError, check_id_number
from members.models import BranchMembership, GroupMembership, Member, MemberCategory
from organizations.models import Unit, UnitKind
from tests import factories as f

RENEWAL_WINDOW = 90


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Unit,
            Member,
            BranchMembership,
            GroupMembership,
            CommitteeTerm,
            TermMember,
            Approval,
            RoleGrant,
            AuditEntry,
            get_user_model(),
        )
    }


def full_members_on(branch, day):
    return Member.objects.in_unit_on(branch, day).filter(category=MemberCategory.FULL, full_member_on__lte=day).count()


@pytest.fixture
def seeded(db):
    """The organisation step only (the meetings step has its own tests below)."""
    out = run("seed_demo", "--no-meetings")
    return Unit.objects.get(name=demo.COMMITTEE_NAME), out


# --- the plan (no database) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 1, 1), datetime.date(2026, 2, 28), datetime.date(2027, 7, 15), datetime.date(2029, 12, 31)],
)
def test_the_plan_keeps_its_reminders_relative_to_today(today):
    plan = demo.build_plan(today)
    current = [t for t in plan.terms if t.is_current]
    assert len(current) == 5
    days_left = [(demo._add_years(t.elected_on, demo.BRANCH_TERM_YEARS) - today).days for t in current]
    assert sum(0 < d <= RENEWAL_WINDOW for d in days_left) == 1
    assert min(days_left) > 0, "no current term is already past its expiry"
    assert sum(t.elected_on.year == today.year for t in current) >= 1
    for t in plan.terms:
        assert demo.FIRST_ELECTION <= t.elected_on <= today
        assert t.approved_on <= today
        if t.ended_on:
            assert t.ended_on > t.elected_on


def test_the_plan_is_the_same_every_time():
    today = datetime.date(2026, 11, 28)
    first, second = demo.build_plan(today), demo.build_plan(today)
    assert [(m.name, m.id_number, m.phone) for m in first.members] == [
        (m.name, m.id_number, m.phone) for m in second.members
    ]
    assert [(t.branch, t.number, t.seats) for t in first.terms] == [(t.branch, t.number, t.seats) for t in second.terms]


def test_the_plan_gives_every_member_a_distinct_name_and_id_number():
    plan = demo.build_plan(datetime.date(2026, 11, 28))
    assert len({m.name for m in plan.members}) == len(plan.members)
    assert len({m.id_number for m in plan.members}) == len(plan.members)


# --- seed_demo ------------------------------------------------------------------------------


def test_it_builds_the_committee_with_five_branches_and_their_groups(seeded):
    committee, out = seeded
    assert "管委会机关党委" in out
    assert Unit.objects.filter(kind=UnitKind.COMMITTEE).count() == 1
    assert committee.founded_on.year == 2020
    branches = list(Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH))
    assert len(branches) == 5
    for branch in branches:
        assert branch.parent == committee
        assert branch.founded_on.year == 2020
        groups = Unit.objects.filter(parent=branch, kind=UnitKind.PARTY_GROUP)
        assert 2 <= groups.count() <= 3
        assert all(g.department for g in groups)


def test_every_member_has_a_valid_id_number_matching_the_birth_date(seeded):
    committee, _out = seeded
    members = list(Member.objects.current_in_subtree(committee))
    assert 70 <= len(members) <= 90
    for m in members:
        try:
            check_id_number(m.id_number, m.birth_date)
        except IdNumberError as exc:
            pytest.fail(f"{m.name} {m.id_number}: {exc}")
        # The 17th digit is odd for men, even for women.
        assert int(m.id_number[16]) % 2 == (1 if m.gender == "male" else 0)


def test_members_look_like_an_organ_party_roster(seeded):
    committee, _out = seeded
    members = list(Member.objects.current_in_subtree(committee).prefetch_related("group_memberships"))
    probationary = [m for m in members if m.category == MemberCategory.PROBATIONARY]
    assert 0.05 <= len(probationary) / len(members) <= 0.15
    assert all(m.full_member_on is None for m in probationary)
    assert all(m.full_member_on and m.full_member_on > m.joined_on for m in members if m not in probationary)
    assert {m.ethnicity for m in members} >= {"汉族"}
    assert sum(m.ethnicity != "汉族" for m in members) < len(members) / 5
    assert all(m.phone and m.department and m.post and m.education and m.name_initials for m in members)
    assert all(demo._add_years(m.birth_date, 18) <= m.joined_on for m in members)
    assert all(m.current_group_membership() is not None for m in members)


def test_every_branch_has_a_current_approved_term_with_a_lawful_committee(seeded):
    committee, _out = seeded
    today = timezone.localdate()
    for branch in Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH):
        term = CommitteeTerm.objects.get(unit=branch, status=TermStatus.CURRENT)
        assert term.approval.doc_number.startswith("管机党批〔")
        assert term.approval.approved_on <= today
        roles = list(term.seats.values_list("role", flat=True))
        assert roles.count(CommitteeRole.SECRETARY) == 1
        assert composition_errors(full_members_on(branch, term.elected_on), roles) == []


def test_every_earlier_term_was_lawful_and_ended_when_the_next_was_elected(seeded):
    committee, _out = seeded
    ended = CommitteeTerm.objects.filter(unit__path__startswith=committee.path, status=TermStatus.ENDED)
    assert ended.exists()
    for term in ended:
        successor = CommitteeTerm.objects.get(unit=term.unit, number=term.number + 1)
        assert term.ended_on == successor.elected_on
        assert hasattr(term, "approval")
        roles = list(term.seats.values_list("role", flat=True))
        assert composition_errors(full_members_on(term.unit, term.elected_on), roles) == []
        for seat in term.seats.select_related("member"):
            assert Member.objects.in_unit_on(term.unit, term.elected_on).filter(pk=seat.member_id).exists()


def test_one_term_is_near_expiry_and_one_was_elected_this_year(seeded):
    committee, _out = seeded
    today = timezone.localdate()
    current = CommitteeTerm.objects.filter(unit__path__startswith=committee.path, status=TermStatus.CURRENT)
    days_left = [(t.expires_on - today).days for t in current]
    assert sum(0 < d <= RENEWAL_WINDOW for d in days_left) == 1
    assert any(t.elected_on.year == today.year for t in current)


def test_it_creates_one_login_per_role_with_grants_and_linked_members(seeded):
    committee, _out = seeded
    branch_1 = Unit.objects.get(name="机关第一党支部")
    term_1 = CommitteeTerm.objects.get(unit=branch_1, status=TermStatus.CURRENT)
    seats = {s.member.user.username: s.role for s in term_1.seats.select_related("member__user") if s.member.user}
    assert seats["secretary1"] == CommitteeRole.SECRETARY
    assert seats["committee1"] not in (CommitteeRole.SECRETARY, None)
    assert "member1" not in seats

    expected = {
        "staff": (Role.COMMITTEE_STAFF, committee),
        "inspector": (Role.INSPECTOR, committee),
        "secretary1": (Role.SECRETARY, branch_1),
        "committee1": (Role.COMMITTEE_MEMBER, branch_1),
        "member1": (Role.MEMBER, branch_1),
    }
    for username, (role, unit) in expected.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.first_name
        assert list(RoleGrant.objects.filter(user=user).values_list("role", "unit")) == [(role, unit.pk)]
        if username not in ("staff", "inspector"):
            assert user.member.name == user.first_name
            assert user.member.current_branch_membership().unit == branch_1

    leader = get_user_model().objects.get(username="leader1")
    grant = RoleGrant.objects.get(user=leader)
    assert grant.role == Role.GROUP_LEADER
    assert grant.unit.parent == branch_1
    assert leader.member.current_group_membership().unit == grant.unit


def test_it_writes_one_readable_audit_entry(seeded):
    committee, _out = seeded
    entry = AuditEntry.objects.get(action="common.demo.seeded")
    assert entry.unit == committee
    assert entry.data["members"] == Member.objects.count()
    assert action_label("common.demo.seeded") == "载入演示数据"


def test_the_organisation_is_entered_through_the_services_with_their_audit_entries(seeded):
    committee, _out = seeded
    staff = get_user_model().objects.get(username="staff")
    created = Counter(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True))
    assert created["organizations.unit.created"] == Unit.objects.subtree(committee).count()
    assert created["members.member.created"] == Member.objects.count()
    terms = CommitteeTerm.objects.filter(unit__path__startswith=committee.path)
    assert created["committees.term.approved"] == terms.count() == Approval.objects.count()
    assert created["committees.term.ended"] == terms.filter(status=TermStatus.ENDED).count()
    assert created["accounts.grant.created"] == RoleGrant.objects.count()
    for term in terms:
        moves = list(term.history.order_by("id").values_list("to_status", flat=True))
        expected = [TermStatus.DRAFT, TermStatus.SUBMITTED, TermStatus.CURRENT]
        assert moves == expected + ([TermStatus.ENDED] if term.status == TermStatus.ENDED else [])


def test_running_it_twice_changes_nothing(seeded):
    before = counts()
    out = run("seed_demo", "--no-meetings")
    assert "演示数据已存在" in out
    assert counts() == before


def test_it_refuses_when_a_demo_username_is_taken(db):
    f.UserFactory(username="staff")
    with pytest.raises(CommandError, match="用户名 staff 已被占用"):
        run("seed_demo")
    assert not Unit.objects.exists()


# --- demo_logins ------------------------------------------------------------------------------


def test_demo_logins_prints_the_address_and_one_line_per_role(seeded):
    out = run("demo_logins", "--address", "http://127.0.0.1:8000/")
    lines = out.strip().splitlines()
    assert "http://127.0.0.1:8000/" in lines[0]
    assert lines[1:] == [
        "机关党委工作人员(committee_staff)  staff  demo-2026!",
        "督查人员(inspector)  inspector  demo-2026!",
        "支部书记(secretary)  secretary1  demo-2026!",
        "支部委员(committee_member)  committee1  demo-2026!",
        "党小组长(group_leader)  leader1  demo-2026!",
        "党员(member)  member1  demo-2026!",
    ]


def test_demo_logins_says_so_when_the_demo_is_not_loaded(db):
    out = run("demo_logins", "--address", "http://127.0.0.1:8000/")
    assert "尚未载入演示数据" in out
    assert "demo-2026!" not in out


def test_a_demo_login_opens_the_home_page(seeded, client):
    response = client.post("/accounts/login/", {"username": "secretary1", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


# --- the meetings since January of last year: the plan (no database) -------------------------

PLAN_DAYS = [
    datetime.date(2026, 1, 5),
    datetime.date(2026, 2, 3),
    datetime.date(2026, 4, 1),
    datetime.date(2026, 7, 31),
    datetime.date(2026, 11, 29),
    datetime.date(2027, 12, 31),
]


def meeting_plan(today):
    roster = demo_roster.roster_from_plan(demo.build_plan(today))
    roster = demo_roster.with_new_group(roster, demo_roster.plan_new_group(roster, today))
    return roster, demo_meetings.plan_meetings(roster, today)


def record_facts(roster, s):
    """What record_meeting would check, from the roster instead of the database."""
    groups = {g: founded for gs in roster.groups.values() for g, founded in gs}
    members = roster.members_on(s.unit, s.date)
    return MeetingFacts(
        kinds=set(s.kinds),
        date=s.date,
        start_time=s.start_time,
        end_time=s.end_time,
        topic=s.topic,
        host_id=s.host,
        recorder_id=s.recorder,
        lecturer_id=s.lecturer,
        attendee_ids=[m for m, status, _r in s.attendance if status == "present"],
        absentees=[(m, r) for m, status, r in s.attendance if status == "absent"],
        unit_member_ids=set(members),
        full_member_ids={m for m in members if roster.people[m].is_full_on(s.date)},
        committee_member_ids={m for m, _role in roster.seats_on(s.unit, s.date)},
        problems=s.problems,
        unit_kind="party_group" if s.unit in groups else "branch",
        unit_founded_on=groups.get(s.unit, demo.BRANCHES_FOUNDED),
    )


@pytest.mark.parametrize("today", PLAN_DAYS)
def test_every_planned_meeting_passes_the_record_rules(today):
    roster, sittings = meeting_plan(today)
    assert len(sittings) > 200
    for s in sittings:
        assert meeting_errors(record_facts(roster, s), today=s.entered_at.date()) == {}, s
        assert s.host in {m for m, status, _r in s.attendance if status == "present"}


@pytest.mark.parametrize("today", PLAN_DAYS)
def test_the_meetings_cover_last_year_and_this_year_up_to_today(today):
    _roster, sittings = meeting_plan(today)
    months = demo_meetings.window_months(today)
    first = months[0]
    assert first == datetime.date(today.year - 1, 1, 1)
    assert months[-1] == today.replace(day=1) and len(months) == 12 + today.month
    assert all(first <= s.date < today for s in sittings)
    assert all(s.date <= s.entered_at.date() < today for s in sittings)
    assert {(s.date.year, s.date.month) for s in sittings if s.unit == "机关第一党支部"} >= {
        (m.year, m.month) for m in demo_meetings.window_months(today)[:-1]
    }


@pytest.mark.parametrize("today", PLAN_DAYS)
def test_the_plan_gives_each_branch_its_part(today):
    roster, sittings = meeting_plan(today)
    first, second, third, fourth, fifth = roster.branches

    def months(unit, kind):
        return {s.date.replace(day=1) for s in sittings if s.unit == unit and kind in s.kinds}

    complete = [m for m in demo_meetings.window_months(today) if m < today.replace(day=1)]
    for branch in (first, second, fifth):
        assert months(branch, "committee_meeting") >= set(complete)
    skipped = set(complete) - months(third, "committee_meeting")
    assert len(skipped) == 2
    if today.month >= 2:
        assert any(m.year == today.year for m in skipped)
    assert months(fourth, "life_meeting") == set()
    for branch in (first, second, third, fifth):
        lives = [s for s in sittings if s.unit == branch and "life_meeting" in s.kinds]
        assert len(lives) == 2 and lives[0].date.year == today.year - 1
        assert all(1 <= len(life.problems) <= 2 for life in lives)
    combined = [s for s in sittings if {"theme_day", "general_meeting", "party_lesson"} <= set(s.kinds)]
    assert combined and all(s.lecturer is not None for s in combined)
    late = [s for s in sittings if s.late]
    assert 3 <= len(late) <= 6
    assert all(10 <= (s.entered_at.date() - s.date).days <= 40 for s in late)


@pytest.mark.parametrize("today", PLAN_DAYS)
def test_the_new_group_is_founded_about_five_months_ago_inside_the_year(today):
    founded = demo_roster.new_group_founded_on(today)
    assert founded <= today
    assert 0 <= (today - founded).days <= 180
    if today.month >= 2:
        assert founded.year == today.year and founded.month >= 2


@pytest.mark.parametrize("today", PLAN_DAYS)
def test_one_member_of_the_third_branch_is_absent_without_valid_reason_for_seven_months(today):
    roster, sittings = meeting_plan(today)
    member = demo_meetings.lapse_member(roster, today)
    since = demo_meetings.window_months(today)[-demo_meetings.LAPSE_MONTHS]
    rows = [r for s in sittings if s.date >= since for r in s.attendance if r[0] == member]
    assert rows and all(status == "absent" and reason in ("personal", "other") for _m, status, reason in rows)
    before = [r for s in sittings if s.date < since for r in s.attendance if r[0] == member]
    assert any(status == "present" for _m, status, _r in before)


def test_the_meeting_plan_is_the_same_every_time():
    today = datetime.date(2026, 11, 28)
    first, second = meeting_plan(today)[1], meeting_plan(today)[1]
    assert first == second


# --- the meetings since January of last year in the database ----------------------------------


def statuses(year, as_of):
    return {c.status for c in compliance_table(year, as_of=as_of)}


@pytest.fixture
def demo_with_meetings(db):
    out = run("seed_demo", "--no-apps")
    return Unit.objects.get(name=demo.COMMITTEE_NAME), out


def test_seed_demo_records_the_meetings_through_the_meeting_service(demo_with_meetings):
    committee, out = demo_with_meetings
    meetings = Meeting.objects.filter(unit__path__startswith=committee.path)
    assert f"已录入演示会议记录 {meetings.count()} 条" in out
    assert meetings.count() > 200
    assert AuditEntry.objects.filter(action="meetings.meeting.recorded").count() == meetings.count()
    assert meetings.filter(late_entry=True).count() >= 3
    combined = meetings.filter(kinds__code="general_meeting").filter(kinds__code="party_lesson")
    assert combined.filter(kinds__code="theme_day").exists()
    assert not combined.filter(lecturer__isnull=True).exists()
    assert Attendance.objects.filter(meeting__in=meetings, status="absent").exclude(absence_reason="").exists()
    problems = Counter(MeetingProblem.objects.filter(meeting__in=meetings).values_list("meeting_id", flat=True))
    assert len(problems) == 8 and set(problems.values()) <= {1, 2}
    today = timezone.localdate()
    assert not meetings.filter(date__gte=today).exists()


def test_every_status_shows_in_this_years_compliance_table(demo_with_meetings):
    today = timezone.localdate()
    found = statuses(today.year, today)
    if today.month == 1:  # nothing of January is over yet: the gaps fall in last year's table
        found |= statuses(today.year - 1, today)
    assert found == {"met", "missed", "due", "not_applicable"}
    cells = compliance_table(today.year, as_of=today)
    life = {c.unit_name: c.status for c in cells if c.rule_code == "life_meeting"}
    assert life["机关第四党支部"] == "due"
    if today.month >= 2:
        assert {c.unit_name for c in cells if c.status == "missed" and c.rule_code == "committee_meeting"} == {
            "机关第三党支部"
        }
        new_group = [c.status for c in cells if c.unit_name == demo_roster.NEW_GROUP_NAME]
        assert new_group[0] == "not_applicable" and "met" in new_group


def test_the_exemplary_branches_miss_nothing(demo_with_meetings):
    today = timezone.localdate()
    cells = compliance_table(today.year, as_of=today)
    exemplary = {demo.BRANCH_SPECS[i].name for i in demo_meetings.EXEMPLARY}
    assert not [c for c in cells if c.unit_name in exemplary and c.status == "missed"]
    lectured = {c.unit_name: c.status for c in cells if c.rule_code == "secretary_lecture"}
    if today.month > 2 or (today.month == 2 and today.day > 20):
        assert all(lectured[name] == "met" for name in exemplary)


def test_last_year_is_met_but_for_the_missing_life_meeting(demo_with_meetings):
    """The assessed year (last year) is on record in full: only 机关第四党支部's 组织生活会 is missed
    (from August on the skipped months of this year's plan all fall in this year)."""
    today = timezone.localdate()
    cells = compliance_table(today.year - 1, as_of=today)
    assert {c.status for c in cells} <= {"met", "missed", "not_applicable"}
    missed = {(c.unit_name, c.rule_code) for c in cells if c.status == "missed"}
    assert ("机关第四党支部", "life_meeting") in missed
    if today.month >= 8:
        assert missed == {("机关第四党支部", "life_meeting")}


def test_one_member_is_flagged_for_six_months_without_organisational_life(demo_with_meetings):
    committee, _out = demo_with_meetings
    flags = lapse_flags(Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH), as_of=timezone.localdate())
    assert len(flags) == 1
    assert flags[0].branch_id == Unit.objects.get(name="机关第三党支部").pk
    assert flags[0].lapse.length >= 6


def test_the_new_group_was_set_up_with_members_moved_in(demo_with_meetings):
    group = Unit.objects.get(name=demo_roster.NEW_GROUP_NAME)
    assert group.parent.name == "机关第四党支部"
    assert (timezone.localdate() - group.founded_on).days <= 180
    rows = GroupMembership.objects.filter(unit=group, end_on__isnull=True)
    assert rows.count() == 3
    assert all(r.start_on == group.founded_on for r in rows)
    closed = GroupMembership.objects.filter(member__in=rows.values("member"), end_on=group.founded_on)
    assert closed.count() == 3
    transferred = BranchMembership.objects.get(member__in=rows.values("member"), end_on=group.founded_on)
    assert transferred.unit.name == "机关第三党支部"
    assert Meeting.objects.filter(unit=group, date__lt=group.founded_on).count() == 0
    assert Meeting.objects.filter(unit=group).exists()


def test_running_seed_demo_twice_adds_no_meetings(demo_with_meetings):
    before = {**counts(), "Meeting": Meeting.objects.count(), "Attendance": Attendance.objects.count()}
    out = run("seed_demo", "--no-apps")
    assert "演示会议记录已存在" in out
    assert {**counts(), "Meeting": Meeting.objects.count(), "Attendance": Attendance.objects.count()} == before


def test_a_demo_seeded_without_meetings_gets_them_on_the_next_run(db):
    run("seed_demo", "--no-meetings")
    assert not Meeting.objects.exists()
    units, members = Unit.objects.count(), Member.objects.count()
    out = run("seed_demo", "--no-apps")
    assert "演示数据已存在" in out and "已录入演示会议记录" in out
    assert Meeting.objects.count() > 200
    assert (Unit.objects.count(), Member.objects.count()) == (units + 1, members)


def test_the_meetings_step_refuses_without_the_demo_organisation(db):
    with pytest.raises(demo_meetings.DemoMeetingsError, match="演示组织尚未载入"):
        demo_meetings.seed_demo_meetings()
    assert not Meeting.objects.exists()


def test_a_demo_seeded_as_of_february_shows_a_missed_month_of_that_year(db):
    day = datetime.date(2026, 2, 10)
    demo.seed_demo(today=day)
    demo_meetings.seed_demo_meetings(today=day)
    assert statuses(2026, day) == {"met", "missed", "due", "not_applicable"}
