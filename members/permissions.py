"""Who may see and do what with party members: the one policy of the members app.

Built on ``accounts.scope``: a grant on a unit covers the unit and everything below it. A member
belongs where their *open* branch membership (and open party-group membership) is.

| action       | committee_staff | inspector | secretary  | committee_member | group_leader | member   |
|--------------|-----------------|-----------|------------|------------------|--------------|----------|
| view         | scope           | scope     | own branch | own branch       | own group    | self     |
| add/edit/transfer/archive/restore | scope | –  | own branch | –             | –            | –        |
| reveal       | scope           | –         | own branch | –                | –            | self     |
| export       | scope (masked)  | masked    | own branch | masked           | –            | –        |
| export_full  | scope           | –         | own branch | –                | –            | –        |
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import Unit, UnitKind

# Roles that read the members of the branches below their grant.
BRANCH_READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
# Roles that read the members of the party groups below their grant.
GROUP_READ_ROLES = (Role.GROUP_LEADER,)
MANAGE_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
REVEAL_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
EXPORT_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
EXPORT_FULL_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)

MANAGE_ACTIONS = {"edit", "transfer", "archive", "restore"}
ACTIONS = {"view", "add", "reveal", "export", "export_full"} | MANAGE_ACTIONS


def visible(user, queryset=None):
    """The members of ``queryset`` (default: all members, archived included) ``user`` may see."""
    if queryset is None:
        queryset = Member.objects.all()
    scope = get_scope(user)
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    q = Q(user_id=user.pk)
    if scope.has_any(*BRANCH_READ_ROLES):
        in_branches = BranchMembership.objects.filter(end_on__isnull=True).filter(
            scope.unit_q("unit__", roles=BRANCH_READ_ROLES)
        )
        q |= Q(pk__in=in_branches.values("member_id"))
    if scope.has_any(*GROUP_READ_ROLES):
        in_groups = GroupMembership.objects.filter(end_on__isnull=True).filter(
            scope.unit_q("unit__", roles=GROUP_READ_ROLES)
        )
        q |= Q(pk__in=in_groups.values("member_id"))
    return queryset.filter(q)


def get_visible_or_404(user, queryset=None, **lookup) -> Member:
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def visible_branches(user):
    """Branches whose member lists ``user`` reads (the 党支部 filter of the member list)."""
    scope = get_scope(user)
    return Unit.objects.branches().filter(scope.unit_q("", roles=BRANCH_READ_ROLES))


def branches_for_add(user):
    """Branches ``user`` may add members to (and transfer members into): active, not dissolved."""
    scope = get_scope(user)
    return (
        Unit.objects.branches()
        .active()
        .filter(dissolved_on__isnull=True)
        .filter(scope.unit_q("", roles=MANAGE_ROLES))
        .order_by("path")
    )


def unit_in_scope(user, unit) -> bool:
    """Whether any grant of ``user`` covers ``unit`` (an out-of-scope unit answers 404)."""
    return bool(get_scope(user).roles_on(unit))


def _current_units(member: Member):
    branch = member.current_branch_membership()
    group = member.current_group_membership()
    return (branch.unit if branch else None), (group.unit if group else None)


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj`` is a ``Member`` for view/edit/transfer/archive/restore/reveal, a branch ``Unit`` (or
    ``None``: any branch) for add, and a ``Unit`` or ``None`` (the user's whole scope) for export.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)

    if action in ("add", "export", "export_full"):
        roles = {"add": MANAGE_ROLES, "export": EXPORT_ROLES, "export_full": EXPORT_FULL_ROLES}[action]
        if obj is None:
            return scope.has_any(*roles)
        if action == "add" and obj.kind != UnitKind.BRANCH:
            return False
        return scope.has_role_on(obj, *roles)

    member: Member = obj
    is_self = member.user_id is not None and member.user_id == user.pk
    branch, group = _current_units(member)
    if action == "view":
        return (
            is_self
            or (branch is not None and scope.has_role_on(branch, *BRANCH_READ_ROLES))
            or (group is not None and scope.has_role_on(group, *GROUP_READ_ROLES))
        )
    if action == "reveal":
        return is_self or (branch is not None and scope.has_role_on(branch, *REVEAL_ROLES))
    # edit / transfer / archive / restore: whether the record's state allows it is the
    # service's question (it answers with a message, not a refusal of access).
    return branch is not None and scope.has_role_on(branch, *MANAGE_ROLES)


def can_transfer_to(user, member: Member, to_branch: Unit) -> bool:
    """A transfer needs the right on the member and on the target branch."""
    return can(user, "transfer", member) and branches_for_add(user).filter(pk=to_branch.pk).exists()


def can_reveal_in_export(user, branch: Unit | None) -> bool:
    """In a full export, the rows of ``branch`` are unmasked only where the user may export_full."""
    return branch is not None and get_scope(user).has_role_on(branch, *EXPORT_FULL_ROLES)
