"""What meetings adds to the shared pages (registered from ``AppConfig.ready()``): the links of a branch page to its meetings, plans and calendar, and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.scope import get_scope
from common.registry import add_nav
from meetings import permissions, planning
from organizations.registry import BranchLink, branch_links, link


def meeting_links(user, unit, today):
    if not get_scope(user).has_role_on(unit, *permissions.READ_ROLES):
        return []
    return [link(_("会议记录"), f"{reverse('meetings:meeting.list')}?{urlencode({'unit': unit.pk})}")]


def plan_links(user, unit, today):
    if not planning.can_see(user, unit):
        return []
    return [
        link(_("会议计划"), reverse("meetings:plan.list", kwargs={"pk": unit.pk})),
        link(_("组织生活日历"), reverse("meetings:plan.calendar", kwargs={"pk": unit.pk})),
    ]


def register() -> None:
    branch_links.register(BranchLink("meetings.meetings", meeting_links, order=10))
    branch_links.register(BranchLink("meetings.plans", plan_links, order=20))
    add_nav(
        pgettext_lazy("nav", "组织生活"),
        "meetings:meeting.list",
        "work",
        10,
        active=lambda app, url: app in ("meetings", "reports"),
    )
