"""Who may see integrity signals and risk scores: the one policy of the integrity app.

| action         | committee_staff | inspector | secretary / committee_member | group_leader, member |
|----------------|-----------------|-----------|------------------------------|----------------------|
| dashboard      | scope           | scope     | – (403)                      | – (404)              |
| unit.view      | scope           | scope     | own branch                   | – (404)              |
| meeting.view   | scope           | scope     | own branch's records         | – (404)              |

The app only reads; nothing here changes a record. A secretary sees the signals on their own
branch's records; another branch's record named by a signal is shown only if the reader may see it.
"""

from __future__ import annotations

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from meetings.models import Meeting
from organizations.models import Unit, UnitKind

RISK_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
ACTIONS = {"dashboard", "unit.view", "meeting.view"}


def visible(user, queryset=None):
    """The meetings of ``queryset`` whose signals ``user`` may read."""
    if queryset is None:
        queryset = Meeting.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(get_scope(user).unit_q("unit__", roles=READ_ROLES))


def visible_branches(user, queryset=None):
    """Branches whose signals ``user`` may read."""
    if queryset is None:
        queryset = Unit.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(kind=UnitKind.BRANCH).filter(get_scope(user).unit_q("", roles=READ_ROLES))


def get_visible_or_404(user, queryset=None, **lookup):
    """A meeting whose signals ``user`` may read; 404 otherwise."""
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def get_visible_branch_or_404(user, queryset=None, **lookup):
    """A branch whose signals ``user`` may read; 404 otherwise."""
    return visibility.get_visible_or_404(user, queryset, visible=visible_branches, **lookup)


def can_read_any(user) -> bool:
    return getattr(user, "is_authenticated", False) and get_scope(user).has_any(*READ_ROLES)


def can(user, action: str, obj=None) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if action == "dashboard":
        return scope.has_any(*RISK_ROLES)
    unit = obj.unit if isinstance(obj, Meeting) else obj
    return scope.has_role_on(unit, *READ_ROLES)
