"""Fixed personas for permission tests: committee staff, inspector, secretary of branch A,
member of branch A, secretary of branch B (and a group leader of A's first group)."""

import datetime
import os
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine

from accounts.models import Role
from committees.models import CommitteeRole, TermStatus
from tests import factories as f

PASSWORD = "Zhibu#2026"

# -- The clock ---------------------------------------------------------------------------------
# The suite never reads the wall clock: from pytest_configure on (before collection, so module
# constants, session fixtures and every xdist worker see it) "now" is a fixed moment, and each
# test starts again from that moment. ZHIBU_TEST_DATE=YYYY-MM-DD picks another day, e.g. one just
# before a year end (.ci/run runs the suite a second time at 2028-12-30).
#
# The clock ticks (tick=True): the date is fixed, but time moves on from the fixed moment, so
# records made one after another get increasing timestamps (audit log, notes and grants are
# listed by creation time) and durations measured inside a test stay real. A test starts at
# 10:00 in Shanghai, 02:00 UTC: the same calendar day in both, far from midnight either way.
TEST_DATE_VARIABLE = "ZHIBU_TEST_DATE"
DEFAULT_TEST_DATE = "2026-05-13"  # a Wednesday in mid-quarter, away from any year or quarter end
TEST_TIME_OF_DAY = datetime.time(10, 0)
TEST_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def frozen_moment() -> datetime.datetime:
    """The moment every test starts at: ZHIBU_TEST_DATE (or the default) at 10:00 in Shanghai."""
    raw = os.environ.get(TEST_DATE_VARIABLE) or DEFAULT_TEST_DATE
    try:
        day = datetime.datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise pytest.UsageError(f"{TEST_DATE_VARIABLE}={raw!r}: expected a date as YYYY-MM-DD") from None
    return datetime.datetime.combine(day, TEST_TIME_OF_DAY, tzinfo=TEST_TIME_ZONE)


_session_travel = pytest.StashKey[time_machine.travel]()


def pytest_configure(config):
    travel = time_machine.travel(frozen_moment(), tick=True)
    travel.start()
    config.stash[_session_travel] = travel


def pytest_unconfigure(config):
    travel = config.stash.get(_session_travel, None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    moment = frozen_moment()
    return f"clock: {moment:%Y-%m-%d %H:%M} Asia/Shanghai at the start of each test, ticking ({TEST_DATE_VARIABLE})"


@pytest.fixture(autouse=True)
def _clock_at_frozen_moment():
    """Each test starts at the same moment, whatever ran before it and however long that took."""
    with time_machine.travel(frozen_moment(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a password; tests don't need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language (zh-Hant, en) must not leak into the next test's messages."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path_factory):
    """Uploaded files of a test go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable():
    """Transactional tests end with a flush, which must get past the audit log's triggers."""
    from tests.audit_guard import flush_opens_audit_guard

    with flush_opens_audit_guard():
        yield


@pytest.fixture
def org(db):
    """A committee with branches A and B, a party group in each, a few members, current terms."""
    committee = f.CommitteeUnitFactory(name="测试机关党委", founded_on=datetime.date(2019, 1, 1))
    branch_a = f.UnitFactory(name="第一党支部", parent=committee)
    branch_b = f.UnitFactory(name="第二党支部", parent=committee)
    group_a = f.GroupFactory(name="第一党小组", parent=branch_a, department="办公室")
    group_b = f.GroupFactory(name="第二党小组", parent=branch_b, department="财务科")
    return SimpleNamespace(committee=committee, branch_a=branch_a, branch_b=branch_b, group_a=group_a, group_b=group_b)


@pytest.fixture
def personas(org):
    """Users with their grants. Secretaries and members are party members of their branch."""

    def user(username, role, unit, first_name=""):
        u = f.UserFactory(username=username, first_name=first_name)
        f.RoleGrantFactory(user=u, unit=unit, role=role)
        return u

    staff = user("staff", Role.COMMITTEE_STAFF, org.committee, "党群办")
    inspector = user("inspector", Role.INSPECTOR, org.committee, "督查员")
    secretary_a = user("secretary_a", Role.SECRETARY, org.branch_a, "甲书记")
    member_a = user("member_a", Role.MEMBER, org.branch_a, "甲党员")
    secretary_b = user("secretary_b", Role.SECRETARY, org.branch_b, "乙书记")
    sec_a_member = f.member_in(org.branch_a, user=secretary_a, group=org.group_a, name="甲书记")
    mem_a_member = f.member_in(org.branch_a, user=member_a, group=org.group_a, name="甲党员")
    sec_b_member = f.member_in(org.branch_b, user=secretary_b, group=org.group_b, name="乙书记")
    other_a = f.member_in(org.branch_a, group=org.group_a, name="甲同事")
    other_b = f.member_in(org.branch_b, group=org.group_b, name="乙同事")
    term_a = f.CommitteeTermFactory(unit=org.branch_a, number=1, status=TermStatus.CURRENT)
    f.TermMemberFactory(term=term_a, member=sec_a_member, role=CommitteeRole.SECRETARY)
    term_b = f.CommitteeTermFactory(unit=org.branch_b, number=1, status=TermStatus.CURRENT)
    f.TermMemberFactory(term=term_b, member=sec_b_member, role=CommitteeRole.SECRETARY)
    return SimpleNamespace(
        org=org,
        staff=staff,
        inspector=inspector,
        secretary_a=secretary_a,
        member_a=member_a,
        secretary_b=secretary_b,
        members=SimpleNamespace(
            secretary_a=sec_a_member, member_a=mem_a_member, secretary_b=sec_b_member, other_a=other_a, other_b=other_b
        ),
        terms=SimpleNamespace(a=term_a, b=term_b),
    )


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in (bypassing axes) and returns it."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def admins(db):
    """The three separated administrators (三员): system, security and audit administrator.

    Their grants carry no unit; they hold no business role, so they see no party records."""

    def admin(username, role, first_name):
        u = f.UserFactory(username=username, first_name=first_name)
        f.RoleGrantFactory(user=u, unit=None, role=role)
        return u

    return SimpleNamespace(
        sysadmin=admin("sysadmin", Role.SYSADMIN, "系统管理员"),
        secadmin=admin("secadmin", Role.SECADMIN, "安全管理员"),
        auditadmin=admin("auditadmin", Role.AUDITADMIN, "审计管理员"),
    )
