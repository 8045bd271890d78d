"""Who may see and change rules and the compliance table.

Rules: everyone logged in reads them; only committee staff add versions, create or retire rules.
Compliance table and dashboards: committee staff and inspectors their whole scope; secretaries
and committee members their branch (with its party groups); group leaders their group; members
none (404).
"""

from django.http import Http404

from accounts.models import Role
from accounts.scope import get_scope
from organizations.models import Unit

TABLE_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER)
OVERVIEW_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)


def visible(user, queryset):
    """The units of ``queryset`` whose compliance the user may see."""
    return queryset.filter(get_scope(user).unit_q(roles=TABLE_ROLES))


def can(user, action: str, obj=None) -> bool:
    """``rule.view``; ``rule.manage`` (create, add a version, retire); ``table.view`` of a unit
    (or, without one, of any unit)."""
    scope = get_scope(user)
    if action == "rule.view":
        return bool(getattr(user, "is_authenticated", False))
    if action == "rule.manage":
        return scope.has_any(Role.COMMITTEE_STAFF)
    if action == "table.view":
        if obj is None:
            return scope.has_any(*TABLE_ROLES)
        return scope.has_role_on(obj, *TABLE_ROLES)
    raise ValueError(f"unknown action {action!r}")


def table_units(user):
    """Units in the user's compliance scope; Http404 when there are none (members)."""
    if not can(user, "table.view"):
        raise Http404
    return visible(user, Unit.objects.all())


def get_visible_unit_or_404(user, **lookup) -> Unit:
    try:
        return visible(user, Unit.objects.all()).get(**lookup)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None


def can_see_overview(user) -> bool:
    """Committee staff and inspectors see the committee-wide dashboard sections."""
    return get_scope(user).has_any(*OVERVIEW_ROLES)


def whole_branches(user) -> bool:
    """Whether every party group in the user's compliance scope comes with its branch: false
    when a group leader's grant is not covered by a grant on the branch or above it (the
    dashboards then judge that scope directly instead of reading per-branch standings)."""
    scope = get_scope(user)
    wider = [g.path for g in scope.grants if g.role in TABLE_ROLES and g.role != Role.GROUP_LEADER]
    return all(
        any(g.path.startswith(p) and g.path != p for p in wider) for g in scope.grants if g.role == Role.GROUP_LEADER
    )
