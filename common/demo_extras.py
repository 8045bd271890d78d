"""Demo steps beyond the organisation and its meetings, each idempotent.

- the three separated administrators (三员) and a secretary login for every demo branch, so that
  reminders reach each branch and the administrators' pages can be tried;
- every app's own demo records, from ``<app>/demo.py`` ``seed(today) -> str``, in the order
  their data depends on each other.
"""

import datetime
import importlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from committees.models import CommitteeRole, TermMember, TermStatus
from common import demo
from organizations.models import Unit, UnitKind

ADMIN_LOGINS = (
    (Role.SYSADMIN, "sysadmin", "系统管理员"),
    (Role.SECADMIN, "secadmin", "安全管理员"),
    (Role.AUDITADMIN, "auditadmin", "审计管理员"),
)

# Apps whose demo records come after the meetings, in dependency order: campaigns and study add
# meetings of their own; integrity plants its signals among all meetings; rectification items
# exist before the life-meeting package and the inspection raise more of them; recognition
# (五带头, 四强, 示范岗) and the annual assessment read all of the above.
APP_STEPS = (
    "campaigns",
    "study",
    "integrity",
    "rectification",
    "lifemeetings",
    "inspections",
    "recognition",
    "assessments",
)


def ensure_demo_accounts() -> list[str]:
    """Create the administrators and the other branches' secretary logins; return new usernames."""
    committee = demo.demo_committee()
    if committee is None:
        return []
    User = get_user_model()
    password = make_password(demo.DEMO_PASSWORD)
    created = []
    with transaction.atomic():
        for role, username, first_name in ADMIN_LOGINS:
            user, new = User.objects.get_or_create(
                username=username, defaults={"password": password, "first_name": first_name}
            )
            if new:
                RoleGrant.objects.create(user=user, unit=None, role=role)
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
            RoleGrant.objects.create(user=user, unit=branch, role=Role.SECRETARY)
            created.append(username)
    return created


def seed_apps(today: datetime.date) -> list[str]:
    """Run every app's demo step; return their one-line summaries."""
    summaries = []
    for app in APP_STEPS:
        module = importlib.import_module(f"{app}.demo")
        summary = module.seed(today)
        if summary:
            summaries.append(summary)
    return summaries


def admin_logins() -> list[tuple[str, str, str]]:
    User = get_user_model()
    present = set(
        User.objects.filter(username__in=[u for _r, u, _n in ADMIN_LOGINS], is_active=True).values_list(
            "username", flat=True
        )
    )
    return [
        (f"{Role(role).label}({role.value})", username, demo.DEMO_PASSWORD)
        for role, username, _name in ADMIN_LOGINS
        if username in present
    ]


def describe_accounts(created: list[str]) -> str:
    if not created:
        return _("演示账号已齐全，未做改动。")
    return _("已新增演示账号：%(names)s。") % {"names": "、".join(created)}
