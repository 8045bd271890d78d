"""Who may see and change units of the organisation tree.

Every role sees the units its grants cover (a grant covers the unit and what lies below it):
committee staff and inspectors their committee, secretaries, committee members and members
their branch, group leaders their party group. Only committee staff change the tree.
"""

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from organizations.models import Unit

VIEW_ACTIONS = {"view", "history"}
MANAGE_ACTIONS = {"create", "edit", "dissolve", "archive", "restore"}


def visible(user, queryset):
    """The units of ``queryset`` inside the user's scope (archived ones included)."""
    return queryset.filter(get_scope(user).unit_q())


def can(user, action: str, unit: Unit) -> bool:
    """``create`` means founding a unit below ``unit``."""
    scope = get_scope(user)
    if action in VIEW_ACTIONS:
        return bool(scope.roles_on(unit))
    if action in MANAGE_ACTIONS:
        return scope.has_role_on(unit, Role.COMMITTEE_STAFF)
    raise ValueError(f"unknown action {action!r}")


def can_manage_any(user) -> bool:
    """Whether the user may found units anywhere (shows the 新建组织 button)."""
    return get_scope(user).has_any(Role.COMMITTEE_STAFF)


def get_visible_or_404(user, queryset=None, **lookup) -> Unit:
    return visibility.get_visible_or_404(user, Unit if queryset is None else queryset, visible=visible, **lookup)
