"""Who may see and do what with a 组织生活会 package: the one policy of the lifemeetings app.

| action                                      | committee_staff | inspector | secretary  | committee_member | member / others        |
|---------------------------------------------|-----------------|-----------|------------|------------------|------------------------|
| package.view (overview, coverage, meeting)  | scope           | scope     | own branch | own branch       | –                      |
| talk.view                                   | scope           | scope     | own branch | own branch       | talks they took part in |
| talk.create / edit / archive / restore      | scope           | –         | own branch | own branch       | –                      |
| material.view, material.download            | scope           | scope     | own branch | own branch       | their own material     |
| material.edit / submit / upload             | scope           | –         | own branch | own branch       | their own material     |
| material.return                             | scope           | –         | own branch | own branch       | –                      |
| life.record (criticism, problems)           | scope           | –         | own branch | own branch       | –                      |
| problem.raise (to a rectification item)     | scope           | –         | own branch | –                | –                      |

A grant on a unit covers everything below it. An object outside every grant answers 404; an
object in scope with an action the role may not do answers 403. Raising a rectification item
follows the rectification roles (staff, inspector, secretary create items; inspectors do not
manage the package, so they raise items from their own findings instead).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from lifemeetings.models import CriticismEntry, HeartTalk, PersonalProblem, ReviewMaterial
from organizations.models import Unit, UnitKind

MANAGE_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY, Role.COMMITTEE_MEMBER)
READ_ROLES = (*MANAGE_ROLES, Role.INSPECTOR)
RAISE_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)

ACTIONS = {
    "package.view",
    "talk.view",
    "talk.create",
    "talk.edit",
    "talk.archive",
    "talk.restore",
    "material.view",
    "material.edit",
    "material.submit",
    "material.upload",
    "material.return",
    "life.record",
    "problem.raise",
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible(user, queryset):
    """The rows of ``queryset`` (talks, materials, criticism entries or problems) ``user`` may see."""
    if not _authenticated(user):
        return queryset.none()
    scope = get_scope(user)
    model = queryset.model
    if model is HeartTalk:
        q = Q(initiator__user_id=user.pk) | Q(counterpart__user_id=user.pk)
        prefix = "unit__"
    elif model is ReviewMaterial:
        q = Q(member__user_id=user.pk)
        prefix = "unit__"
    elif model in (CriticismEntry, PersonalProblem):
        q = Q(pk__in=[])
        prefix = "meeting__unit__"
    else:
        raise ValueError(f"no policy for {model.__name__}")
    if scope.has_any(*READ_ROLES):
        q |= scope.unit_q(prefix, roles=READ_ROLES)
    return queryset.filter(q)


def get_visible_or_404(user, queryset, **lookup):
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def unit_in_scope(user, unit: Unit) -> bool:
    """Whether any grant of ``user`` covers ``unit`` (an out-of-scope unit answers 404)."""
    return bool(get_scope(user).roles_on(unit))


def visible_branches(user):
    """Branches whose packages ``user`` reads by role."""
    scope = get_scope(user)
    return Unit.objects.filter(kind=UnitKind.BRANCH).filter(scope.unit_q("", roles=READ_ROLES))


def _own(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj`` is a ``Unit`` (a branch) for package.view / talk.create, a ``HeartTalk`` for talk.*,
    a ``ReviewMaterial`` (possibly unsaved, for a first draft) for material.*, a
    ``meetings.Meeting`` for life.record (and package.view of its page), a ``PersonalProblem``
    for problem.raise.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _authenticated(user) or obj is None:
        return False
    scope = get_scope(user)
    if isinstance(obj, HeartTalk | ReviewMaterial):
        unit = obj.unit
    elif isinstance(obj, CriticismEntry | PersonalProblem):
        unit = obj.meeting.unit
    elif isinstance(obj, Unit):
        unit = obj
    else:  # a meeting
        unit = obj.unit

    if action == "package.view":
        return scope.has_role_on(unit, *READ_ROLES)
    if action == "talk.view":
        return scope.has_role_on(unit, *READ_ROLES) or _own(user, obj.initiator) or _own(user, obj.counterpart)
    if action in ("talk.create", "talk.edit", "talk.archive", "talk.restore", "life.record", "material.return"):
        return scope.has_role_on(unit, *MANAGE_ROLES)
    if action == "material.view":
        return scope.has_role_on(unit, *READ_ROLES) or _own(user, obj.member)
    if action in ("material.edit", "material.submit", "material.upload"):
        return scope.has_role_on(unit, *MANAGE_ROLES) or _own(user, obj.member)
    # problem.raise
    return scope.has_role_on(unit, *RAISE_ROLES)
