"""Who may export which document: the one policy of the reports app.

| action       | committee_staff | inspector | secretary / committee_member | group_leader | member |
|--------------|-----------------|-----------|------------------------------|--------------|--------|
| minutes_book | scope           | scope     | own branch and its groups    | own group    | –      |
| notice       | whoever may see the meeting (meetings' rule: members only meetings they attended) |

The minutes book holds every meeting of a unit, so it needs the right to see all of the unit's
meetings; a member (who sees only meetings they attended) is answered 404. Out of scope: 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.scope import get_scope
from meetings.models import Meeting
from organizations.models import Unit, UnitKind

# Roles that see every meeting of the units their grants cover (a grant covers the subtree, so a
# secretary's grant on the branch covers its groups and a group leader's covers the group).
MEETING_READ_ROLES = (
    Role.COMMITTEE_STAFF,
    Role.INSPECTOR,
    Role.SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.GROUP_LEADER,
)
MEETING_UNIT_KINDS = (UnitKind.BRANCH, UnitKind.PARTY_GROUP)
ACTIONS = {"minutes_book", "notice"}


def visible(user, queryset=None):
    """The meetings of ``queryset`` (default all) that ``user`` may see."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    scope = get_scope(user)
    q = scope.unit_q("unit__", roles=MEETING_READ_ROLES)
    q |= Q(pk__in=Meeting.objects.filter(attendance__member__user_id=user.pk).values("pk"))
    return queryset.filter(q)


def book_units(user):
    """Units whose minutes book ``user`` may export (branches and party groups in scope)."""
    scope = get_scope(user)
    return Unit.objects.filter(kind__in=MEETING_UNIT_KINDS).filter(scope.unit_q("", roles=MEETING_READ_ROLES))


def can(user, action: str, obj) -> bool:
    """``obj`` is a ``Unit`` for ``minutes_book`` and a ``Meeting`` for ``notice``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    if action == "minutes_book":
        return obj.kind in MEETING_UNIT_KINDS and get_scope(user).has_role_on(obj, *MEETING_READ_ROLES)
    return visible(user, Meeting.objects.filter(pk=obj.pk)).exists()


def get_unit_or_404(user, pk) -> Unit:
    """A unit whose minutes book ``user`` may export; anything else answers 404."""
    try:
        return book_units(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_meeting_or_404(user, pk) -> Meeting:
    try:
        return visible(user, Meeting.objects.active().select_related("unit", "host", "lecturer")).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
