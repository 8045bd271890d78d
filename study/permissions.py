"""Who may see and do what in the study app: its one policy.

| action                     | committee_staff | inspector | secretary  | committee_member | group_leader | member        |
|----------------------------|-----------------|-----------|------------|------------------|--------------|---------------|
| record.view                | scope           | scope     | own branch | own branch       | –            | own records   |
| record.create              | own (if a party member)                                      ||||| own           |
| record.edit / archive      | the member who entered it, while not confirmed                    |||||               |
| record.confirm / return    | –               | –         | own branch | own branch       | –            | –  (never own)|
| ledger.view (a branch)     | scope           | scope     | own branch | own branch       | –            | –             |
| ledger.member              | scope           | scope     | own branch | own branch       | –            | self          |
| ledger.export              | scope           | scope     | own branch | own branch       | –            | –             |
| year.manage                | yes             | –         | –          | –                | –            | –             |
| studyday.view (calendar)   | whoever's grants cover the branch (members see their own branch's)         ||||||
| studyday.edit              | scope           | –         | own branch | –                | –            | –             |

Out of scope answers 404; in scope but not allowed answers 403 (the views raise PermissionDenied).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from members.models import Member
from organizations.models import Unit, UnitKind
from study.models import RecordStatus, StudyRecord

READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
CONFIRM_ROLES = (Role.SECRETARY, Role.COMMITTEE_MEMBER)
YEAR_ROLES = (Role.COMMITTEE_STAFF,)
STUDYDAY_EDIT_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)

ACTIONS = {
    "record.view",
    "record.create",
    "record.edit",
    "record.archive",
    "record.confirm",
    "record.return",
    "ledger.view",
    "ledger.member",
    "ledger.export",
    "year.manage",
    "studyday.view",
    "studyday.edit",
    "dashboard.view",
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def own_member(user) -> Member | None:
    """The party member record of ``user`` (not archived), or None."""
    if not _authenticated(user):
        return None
    cached = getattr(user, "_study_member", False)
    if cached is not False:
        return cached
    member = Member.objects.active().filter(user_id=user.pk).first()
    user._study_member = member
    return member


def visible(user, queryset=None):
    """The study records of ``queryset`` (default: all, archived included) ``user`` may see."""
    if queryset is None:
        queryset = StudyRecord.objects.all()
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    q = Q(member__user_id=user.pk)
    if scope.has_any(*READ_ROLES):
        q |= scope.unit_q("unit__", roles=READ_ROLES)
    return queryset.filter(q)


def get_visible_or_404(user, queryset=None, **lookup) -> StudyRecord:
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def ledger_branches(user):
    """Branches whose ledger ``user`` reads."""
    return Unit.objects.branches().filter(get_scope(user).unit_q("", roles=READ_ROLES))


def get_branch_or_404(user, pk, *, roles=None) -> Unit:
    """A branch any of whose covering grants is one of ``roles`` (default: any grant)."""
    unit = Unit.objects.filter(kind=UnitKind.BRANCH, pk=pk).first()
    if unit is None:
        raise Http404
    scope = get_scope(user)
    if not (scope.has_role_on(unit, *roles) if roles else scope.roles_on(unit)):
        raise Http404
    return unit


def _is_self(user, member: Member) -> bool:
    return member.user_id is not None and member.user_id == user.pk


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``: a StudyRecord for record.*, a branch Unit for
    ledger.view/export and studyday.*, a Member (with its current branch as ``obj.ledger_unit``,
    or any branch in scope) for ledger.member; nothing for year.manage."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _authenticated(user):
        return False
    scope = get_scope(user)
    if action == "year.manage":
        return scope.has_any(*YEAR_ROLES)
    if action == "dashboard.view":
        return scope.has_any(*READ_ROLES)
    if action == "record.create":
        return own_member(user) is not None
    if action in ("ledger.view", "ledger.export"):
        return obj is not None and scope.has_role_on(obj, *READ_ROLES)
    if action == "studyday.view":
        return obj is not None and bool(scope.roles_on(obj))
    if action == "studyday.edit":
        return obj is not None and scope.has_role_on(obj, *STUDYDAY_EDIT_ROLES)
    if action == "ledger.member":
        member, branch = obj
        return _is_self(user, member) or (branch is not None and scope.has_role_on(branch, *READ_ROLES))

    record: StudyRecord = obj
    mine = _is_self(user, record.member)
    if action == "record.view":
        return mine or scope.has_role_on(record.unit, *READ_ROLES)
    if action in ("record.edit", "record.archive"):
        return mine and record.status != RecordStatus.CONFIRMED and not record.is_archived
    # confirm / return: the branch committee, never the member themselves.
    return not mine and scope.has_role_on(record.unit, *CONFIRM_ROLES)
