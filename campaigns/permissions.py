"""Who may see and do what in the campaigns app: the one policy of the app.

| action                          | committee_staff | inspector | secretary / committee_member | member            |
|---------------------------------|-----------------|-----------|------------------------------|-------------------|
| campaign.view (its stages/tasks)| scope           | scope     | campaigns of a unit above    | same              |
| campaign.manage                 | scope           | –         | –                            | –                 |
| campaign.progress (grid)        | scope           | scope     | –                            | –                 |
| branch.view (branch page)       | scope           | scope     | own branch                   | –                 |
| branch.report (upload evidence) | scope           | –         | own branch                   | –                 |
| reflection.view                 | scope           | scope     | own branch                   | own reflections   |
| reflection.review (comment, select, link to an exchange) | scope | – | own branch            | –                 |
| material.view / download / read | every signed-in user with a role                                  |
| material.manage                 | yes             | –         | –                            | –                 |

A campaign is visible to whoever holds a grant on its unit, above it or below it (a branch
secretary sees the committee's campaign). Reflections are seen by their author, the branch
committee and staff/inspector. Objects outside the user's scope answer 404; an action the role
may not do answers 403.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from campaigns.models import Campaign, Material, ReadingReflection
from common import visibility
from organizations.models import PATH_STEP, Unit, UnitKind

STAFF = (Role.COMMITTEE_STAFF,)
OVERSEE = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
BRANCH_READ = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
BRANCH_REPORT = (Role.COMMITTEE_STAFF, Role.SECRETARY, Role.COMMITTEE_MEMBER)

ACTIONS = {
    "campaign.view",
    "campaign.manage",
    "campaign.progress",
    "branch.view",
    "branch.report",
    "reflection.view",
    "reflection.review",
    "material.view",
    "material.manage",
}


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _prefixes(path: str) -> list[str]:
    return [path[: i + PATH_STEP] for i in range(0, len(path), PATH_STEP)]


def _campaign_q(user) -> Q:
    """Campaigns whose unit lies on a path through one of the user's grants (above or below)."""
    scope = get_scope(user)
    above = sorted({p for g in scope.grants for p in _prefixes(g.path)})
    q = scope.unit_q("unit__")
    if above:
        q |= Q(unit__path__in=above)
    return q


def visible_campaigns(user, queryset):
    if not _signed_in(user):
        return queryset.none()
    return queryset.filter(_campaign_q(user))


def visible_reflections(user, queryset):
    if not _signed_in(user):
        return queryset.none()
    scope = get_scope(user)
    return queryset.filter(Q(member__user_id=user.pk) | scope.unit_q("unit__", roles=BRANCH_READ))


def visible_materials(user, queryset):
    if not _signed_in(user) or not get_scope(user).grants:
        return queryset.none()
    return queryset


def visible(user, queryset):
    """The rows of ``queryset`` (campaigns, reflections or materials) ``user`` may see."""
    model = queryset.model
    if model is Campaign:
        return visible_campaigns(user, queryset)
    if model is ReadingReflection:
        return visible_reflections(user, queryset)
    if model is Material:
        return visible_materials(user, queryset)
    raise ValueError(f"no visibility rule for {model.__name__}")


def get_visible_or_404(user, queryset, **lookup):
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def branch_in_campaign(campaign, unit: Unit) -> bool:
    return unit.kind == UnitKind.BRANCH and unit.path.startswith(campaign.unit.path)


def unit_in_scope(user, unit: Unit) -> bool:
    return bool(get_scope(user).roles_on(unit))


def reportable_branches(user, campaign):
    """Branches of the campaign the user may open the branch page of, by path."""
    scope = get_scope(user)
    return (
        Unit.objects.active()
        .filter(kind=UnitKind.BRANCH, path__startswith=campaign.unit.path)
        .filter(scope.unit_q("", roles=BRANCH_READ))
        .order_by("path")
    )


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj`` is a ``Campaign`` for campaign.*, a ``Unit`` (the branch) for branch.*, a
    ``ReadingReflection`` for reflection.* (or a ``Unit`` for reflection.review on a branch), and
    ignored for material.*.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _signed_in(user):
        return False
    scope = get_scope(user)
    if action == "material.view":
        return bool(scope.grants)
    if action == "material.manage":
        return scope.has_any(*STAFF)
    if action == "campaign.manage":
        return scope.has_any(*STAFF) if obj is None else scope.has_role_on(obj.unit, *STAFF)
    if action == "campaign.progress":
        return scope.has_role_on(obj.unit, *OVERSEE)
    if action == "campaign.view":
        unit = obj.unit
        return any(g.path.startswith(unit.path) or unit.path.startswith(g.path) for g in scope.grants)
    if action == "branch.view":
        return scope.has_role_on(obj, *BRANCH_READ)
    if action == "branch.report":
        return scope.has_role_on(obj, *BRANCH_REPORT)
    unit = obj if isinstance(obj, Unit) else obj.unit
    if action == "reflection.review":
        return scope.has_role_on(unit, *BRANCH_REPORT)
    # reflection.view
    return scope.has_role_on(unit, *BRANCH_READ) or (
        not isinstance(obj, Unit) and obj.member.user_id is not None and obj.member.user_id == user.pk
    )
