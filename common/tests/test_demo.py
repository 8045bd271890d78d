"""The demo organisation (``seed_demo``) and the printed demo logins (``demo_logins``)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Role, RoleGrant
from committees.models import Approval, CommitteeRole, CommitteeTerm, TermMember, TermStatus
from committees.rules import composition_errors
from common import demo
from common.logdisplay import action_label
from common.models import AuditEntry
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
    out = run("seed_demo")
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


def test_running_it_twice_changes_nothing(seeded):
    before = counts()
    out = run("seed_demo")
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
