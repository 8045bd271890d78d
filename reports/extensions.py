"""What reports adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its minutes book."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.scope import get_scope
from meetings import permissions as meeting_permissions
from organizations.registry import BranchLink, branch_links, link


def minutes_book_links(user, unit, today):
    """The minutes book of the year: for whoever may read the unit's meetings."""
    if not get_scope(user).has_role_on(unit, *meeting_permissions.READ_ROLES):
        return []
    return [
        link(
            _("会议记录本"),
            f"{reverse('reports:minutes_book')}?{urlencode({'unit': unit.pk, 'year': today.year})}",
            _("%(year)s年，Word 文档") % {"year": today.year},
        )
    ]


def register() -> None:
    branch_links.register(BranchLink("reports.minutes_book", minutes_book_links, order=15))
