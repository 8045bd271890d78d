"""Who may see and change committee terms and duty lists (the brief's role table, exactly).

Out of scope: the view answers 404 (the object is not in ``visible``). In scope but the role may not
do the action: ``can`` says False and the view answers 403.
"""

from accounts.models import Role
from accounts.scope import get_scope
from committees import rules
from common import visibility

# See committee terms: in scope for staff and inspectors, own branch for the branch roles.
# Group leaders are left out: their grant sits on the party group, below the branch.
VIEW_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.MEMBER)
EDIT_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
APPROVE_ROLES = (Role.COMMITTEE_STAFF,)

ACTIONS = ("view", "create", "edit", "submit", "approve", "return", "archive", "restore")


def visible(user, queryset):
    """Terms of units the user's grants cover with a role that may see terms."""
    return queryset.filter(get_scope(user).unit_q("unit__", roles=VIEW_ROLES))


def get_visible_or_404(user, queryset, **lookup):
    """A term ``user`` may see; 404 otherwise."""
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def visible_branches(user, queryset):
    """Units (a Unit queryset) whose terms the user may see."""
    return queryset.filter(get_scope(user).unit_q("", roles=VIEW_ROLES))


def can(user, action: str, term) -> bool:
    """``term`` is a CommitteeTerm; for ``"create"`` it is the branch (a Unit) the term is for."""
    if action not in ACTIONS:
        raise ValueError(action)
    scope = get_scope(user)
    unit = term if action == "create" else term.unit
    if action == "view":
        return scope.has_role_on(unit, *VIEW_ROLES)
    if action in ("create", "edit", "submit"):
        return scope.has_role_on(unit, *EDIT_ROLES)
    if action in ("approve", "return"):
        return scope.has_role_on(unit, *APPROVE_ROLES)
    # archive / restore: committee staff; a secretary only for a result never approved (a discarded draft).
    if scope.has_role_on(unit, Role.COMMITTEE_STAFF):
        return True
    return scope.has_role_on(unit, Role.SECRETARY) and term.status in rules.EDITABLE_STATUSES


def can_edit_duties(user) -> bool:
    """Duty lists (工作职责) are the committee's: only committee staff edit them."""
    return get_scope(user).has_any(Role.COMMITTEE_STAFF)
