"""Who may see and do what with inspections: the one policy of the inspections app.

| action                                   | committee_staff | inspector | secretary / committee_member | others |
|------------------------------------------|-----------------|-----------|------------------------------|--------|
| view (inspection, its draws, findings)   | scope           | scope     | inspections concerning their branch, read-only; only their branch's findings and sample rows | – |
| create, edit, advance, draw, repeat, finding.add, finding.edit, item.raise, report.export | scope | scope | – | – |

"Scope" is the inspection's committee (the unit whose branches it looks at) lying under the
user's grant. An inspection concerns a branch when it names the branch, or when it covers the
whole committee the branch belongs to. Members and group leaders see no inspection (404).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from inspections.models import Finding, Inspection
from organizations.models import PATH_STEP, Unit, UnitKind

MANAGE_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
READ_ROLES = (Role.SECRETARY, Role.COMMITTEE_MEMBER)

ACTIONS = {
    "view",
    "create",
    "edit",
    "advance",
    "draw",
    "repeat",
    "finding.add",
    "finding.edit",
    "item.raise",
    "report.export",
}


def _prefixes(path: str) -> list[str]:
    return [path[: i + PATH_STEP] for i in range(0, len(path), PATH_STEP)]


def visible(user, queryset=None):
    """The inspections of ``queryset`` (default: all) that ``user`` may see."""
    if queryset is None:
        queryset = Inspection.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    scope = get_scope(user)
    q = scope.unit_q("committee__", roles=MANAGE_ROLES)
    read_paths = scope.paths(*READ_ROLES)
    if read_paths:
        named = Q()
        for p in read_paths:
            named |= Q(unit__path__startswith=p)
        q |= Q(pk__in=Inspection.branches.through.objects.filter(named).values("inspection_id"))
        ancestors = sorted({prefix for p in read_paths for prefix in _prefixes(p)})
        q |= Q(whole_committee=True, committee__path__in=ancestors)
    return queryset.filter(q)


def get_visible_or_404(user, queryset=None, **lookup) -> Inspection:
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def reads_any(user) -> bool:
    """Whether ``user`` holds any role that reads inspections (else the list answers 404)."""
    return get_scope(user).has_any(*MANAGE_ROLES, *READ_ROLES)


def manages(user, inspection: Inspection) -> bool:
    return get_scope(user).has_role_on(inspection.committee, *MANAGE_ROLES)


def committees_to_plan(user):
    """Committees (and general branches) whose branches ``user`` may plan inspections for."""
    scope = get_scope(user)
    return (
        Unit.objects.active()
        .filter(kind__in=(UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH))
        .filter(scope.unit_q("", roles=MANAGE_ROLES))
        .order_by("path")
    )


def sees_unit(user, inspection: Inspection, unit) -> bool:
    """Whether ``user`` sees the findings and sample rows of ``unit`` in ``inspection``."""
    scope = get_scope(user)
    return scope.has_role_on(inspection.committee, *MANAGE_ROLES) or scope.has_role_on(unit, *READ_ROLES)


def visible_findings(user, inspection: Inspection, queryset=None):
    """The findings of ``inspection`` ``user`` sees: all for the managers, their branch's for the others."""
    if queryset is None:
        queryset = Finding.objects.all()
    queryset = queryset.filter(inspection=inspection)
    if manages(user, inspection):
        return queryset
    return queryset.filter(get_scope(user).unit_q("unit__", roles=READ_ROLES))


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action``.

    ``obj`` is an ``Inspection`` for every action but ``create`` (a committee ``Unit``, or
    ``None``: any committee) and the finding actions (a ``Finding``, or its inspection for add).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if action == "create":
        if obj is None:
            return scope.has_any(*MANAGE_ROLES)
        return scope.has_role_on(obj, *MANAGE_ROLES)
    if isinstance(obj, Finding):
        if action == "view":
            return sees_unit(user, obj.inspection, obj.unit)
        return manages(user, obj.inspection)
    inspection: Inspection = obj
    if action == "view":
        return visible(user, Inspection.objects.filter(pk=inspection.pk)).exists()
    return manages(user, inspection)
