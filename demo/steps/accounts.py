"""The demo logins beyond the organisation's six: the three separated administrators (三员), a
secretary login for every other demo branch, so that reminders reach each branch and the
administrators' pages can be tried, and a login for the 组织委员 of every other branch that has a
committee (``committee2`` …), so that each of those branches has members to vote on its
secretary's 述职评议 — three voters at least with the committee's staff and inspector, the minimum
for a published result (docs/ballots.md). 机关第五党支部 has no committee (fewer than seven full
members) and so no such login: its 述职评议 stays below the minimum and shows what a withheld result
does. Idempotent: a login that exists is left as it is."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Role
from committees.models import CommitteeRole, TermMember, TermStatus
from demo.steps import organisation
from organizations.models import Unit, UnitKind

ADMIN_LOGINS = (
    (Role.SYSADMIN, "sysadmin", "系统管理员"),
    (Role.SECADMIN, "secadmin", "安全管理员"),
    (Role.AUDITADMIN, "auditadmin", "审计管理员"),
)


def ensure_demo_accounts() -> list[str]:
    """Create the administrators and the other branches' secretary logins; return new usernames."""
    committee = organisation.demo_committee()
    if committee is None:
        return []
    User = get_user_model()
    password = make_password(organisation.DEMO_PASSWORD)
    created = []
    with transaction.atomic():
        for role, username, first_name in ADMIN_LOGINS:
            user, new = User.objects.get_or_create(
                username=username, defaults={"password": password, "first_name": first_name}
            )
            if new:
                account_services.grant_role(user, role, None, actor=None)
                created.append(username)
        branches = Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH).active().order_by("path")
        for number, branch in enumerate(branches, start=1):
            if number == 1:
                continue
            for prefix, seat_role, role in SEAT_LOGINS:
                username = f"{prefix}{number}"
                if _seat_login(branch, username, seat_role, role, password):
                    created.append(username)
    return created


# The other branches' seat logins: (username prefix, committee seat, role granted on the branch).
SEAT_LOGINS = (
    ("secretary", CommitteeRole.SECRETARY, Role.SECRETARY),
    ("committee", CommitteeRole.ORGANIZATION, Role.COMMITTEE_MEMBER),
)


def _seat_login(branch, username: str, seat_role: str, role: str, password: str) -> bool:
    """Give the holder of ``seat_role`` in the branch's current committee the login ``username``
    (if neither exists yet); whether it was made."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return False
    seat = (
        TermMember.objects.filter(term__unit=branch, term__status=TermStatus.CURRENT, role=seat_role)
        .select_related("member")
        .first()
    )
    if seat is None or seat.member.user_id is not None:
        return False
    user = User.objects.create(username=username, password=password, first_name=seat.member.name)
    seat.member.user = user
    seat.member.save(update_fields=["user"])
    account_services.grant_role(user, role, branch, actor=None)
    return True


def admin_logins() -> list[tuple[str, str, str]]:
    User = get_user_model()
    present = set(
        User.objects.filter(username__in=[u for _r, u, _n in ADMIN_LOGINS], is_active=True).values_list(
            "username", flat=True
        )
    )
    return [
        (f"{Role(role).label}({role.value})", username, organisation.DEMO_PASSWORD)
        for role, username, _name in ADMIN_LOGINS
        if username in present
    ]


def step(today) -> str:
    """The logins step of ``seed_demo`` (``today`` is not needed: the logins do not age)."""
    return describe_accounts(ensure_demo_accounts())


def describe_accounts(created: list[str]) -> str:
    if not created:
        return _("演示账号已齐全，未做改动。")
    return _("已新增演示账号：%(names)s。") % {"names": "、".join(created)}
