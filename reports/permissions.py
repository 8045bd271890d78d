"""Who may export which document: the one policy of the reports app, built on the meetings policy.

| action       | committee_staff | inspector | secretary / committee_member | group_leader | member |
|--------------|-----------------|-----------|------------------------------|--------------|--------|
| minutes_book | scope           | scope     | own branch and its groups    | own group    | –      |
| notice       | whoever may see the meeting (``meetings.permissions``: members the meetings they attended) |

The minutes book holds every meeting of a unit, so it needs the right to read all of the unit's
meetings by role (``meetings.permissions.visible_units``); a member, who sees only the meetings
they attended, is answered 404. Out of scope: 404. Archived meetings have no notice.
"""

from __future__ import annotations

from django.http import Http404

from meetings import permissions as meeting_permissions
from meetings.models import Meeting
from organizations.models import Unit

ACTIONS = {"minutes_book", "notice"}


def visible(user, queryset=None):
    """The meetings of ``queryset`` (default all) that ``user`` may see."""
    return meeting_permissions.visible(user, queryset)


def book_units(user):
    """Branches and party groups whose minutes book ``user`` may export."""
    return meeting_permissions.visible_units(user)


def can(user, action: str, obj) -> bool:
    """``obj`` is a ``Unit`` for ``minutes_book`` and a ``Meeting`` for ``notice``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    if action == "minutes_book":
        return book_units(user).filter(pk=obj.pk).exists()
    return meeting_permissions.can(user, "view", obj)


def get_unit_or_404(user, pk) -> Unit:
    """A unit whose minutes book ``user`` may export; anything else answers 404."""
    try:
        return book_units(user).get(pk=int(pk))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_meeting_or_404(user, pk) -> Meeting:
    """A meeting ``user`` may see, not archived; anything else answers 404."""
    queryset = Meeting.objects.active().select_related("unit", "host", "lecturer")
    return meeting_permissions.get_visible_or_404(user, queryset, pk=pk)
