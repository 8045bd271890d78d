"""Who may see and do what with meeting records: the one policy of the meetings app (records).

| action                      | committee_staff | inspector | secretary        | committee_member | group_leader | member            |
|-----------------------------|-----------------|-----------|------------------|------------------|--------------|-------------------|
| view, attachment.download   | scope           | scope     | branch + groups  | branch + groups  | own group    | meetings attended |
| record, edit, attachment.*  | scope           | –         | branch + groups  | branch + groups  | own group    | –                 |
| archive, restore            | scope           | –         | branch + groups  | –                | –            | –                 |
| kind.manage                 | yes             | –         | –                | –                | –            | –                 |

A grant on a unit covers everything below it, so a secretary's grant on the branch covers its
party groups, and a group leader's grant on the group covers that group only. A member sees a
meeting in which they have an attendance row (present or absent).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.scope import get_scope
from common import visibility
from meetings.models import Attendance, Meeting
from organizations.models import Unit, UnitKind

READ_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER)
RECORD_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER)
ARCHIVE_ROLES = (Role.COMMITTEE_STAFF, Role.SECRETARY)
KIND_ROLES = (Role.COMMITTEE_STAFF,)
MEETING_UNIT_KINDS = (UnitKind.BRANCH, UnitKind.PARTY_GROUP)

ACTIONS = {
    "view",
    "record",
    "edit",
    "archive",
    "restore",
    "attachment.download",
    "attachment.upload",
    "attachment.archive",
    "kind.manage",
}


def _attended(user):
    return Attendance.objects.filter(member__user_id=user.pk).values("meeting_id")


def visible(user, queryset=None):
    """The meetings of ``queryset`` (default: all, archived included) ``user`` may see."""
    if queryset is None:
        queryset = Meeting.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    scope = get_scope(user)
    q = Q(pk__in=_attended(user))
    if scope.has_any(*READ_ROLES):
        q |= scope.unit_q("unit__", roles=READ_ROLES)
    return queryset.filter(q)


def get_visible_or_404(user, queryset=None, **lookup) -> Meeting:
    return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)


def visible_units(user):
    """Branches and party groups whose meetings ``user`` reads by role (the list's unit filter)."""
    scope = get_scope(user)
    return Unit.objects.filter(kind__in=MEETING_UNIT_KINDS).filter(scope.unit_q("", roles=READ_ROLES))


def units_for_record(user):
    """Branches and party groups ``user`` may record meetings for (not archived)."""
    scope = get_scope(user)
    return (
        Unit.objects.active()
        .filter(kind__in=MEETING_UNIT_KINDS)
        .filter(scope.unit_q("", roles=RECORD_ROLES))
        .order_by("path")
    )


def unit_in_scope(user, unit) -> bool:
    """Whether any grant of ``user`` covers ``unit`` (an out-of-scope unit answers 404)."""
    return bool(get_scope(user).roles_on(unit))


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``.

    ``obj`` is a ``Meeting`` for view/edit/archive/restore/attachment.*, a ``Unit`` (or ``None``:
    any unit) for record, and ignored for kind.manage.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if action == "kind.manage":
        return scope.has_any(*KIND_ROLES)
    if action == "record":
        if obj is None:
            return scope.has_any(*RECORD_ROLES)
        return obj.kind in MEETING_UNIT_KINDS and scope.has_role_on(obj, *RECORD_ROLES)

    meeting: Meeting = obj
    unit = meeting.unit
    if action in ("view", "attachment.download"):
        return (
            scope.has_role_on(unit, *READ_ROLES)
            or Attendance.objects.filter(meeting=meeting, member__user_id=user.pk).exists()
        )
    if action in ("archive", "restore"):
        return scope.has_role_on(unit, *ARCHIVE_ROLES)
    # edit, attachment.upload, attachment.archive
    return scope.has_role_on(unit, *RECORD_ROLES)
