"""The demo logins beyond the organisation's six: the three separated administrators (三员) and a
secretary login for every other demo branch, so that reminders reach each branch and the
administrators' pages can be tried. Idempotent: a login that exists is left as it is."""

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
            username = f"secretary{number}"
            if number == 1 or User.objects.filter(username=username).exists():
                continue
            seat = (
                TermMember.objects.filter(
                    term__unit=branch, term__status=TermStatus.CURRENT, role=CommitteeRole.SECRETARY
                )
                .select_related("member")
                .first()
            )
            if seat is None or seat.member.user_id is not None:
                continue
            user = User.objects.create(username=username, password=password, first_name=seat.member.name)
            seat.member.user = user
            seat.member.save(update_fields=["user"])
            account_services.grant_role(user, Role.SECRETARY, branch, actor=None)
            created.append(username)
    return created


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
