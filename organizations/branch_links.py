"""The branch page's links to the branch's records kept by other apps.

Each link shows only when the reader may open it, decided by that app's own permission policy
(all of them read the user's scope, which is loaded once per request: no extra queries)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.scope import get_scope
from compliance import permissions as compliance_permissions
from integrity import permissions as integrity_permissions
from lifemeetings import permissions as lifemeeting_permissions
from meetings import permissions as meeting_permissions
from meetings import planning
from organizations.models import Unit, UnitKind
from rectification import permissions as rectification_permissions
from study import permissions as study_permissions


def branch_links(user, unit: Unit, today: datetime.date) -> list[dict]:
    """``[{"label", "url", "hint"}]`` for a branch (or party group) page, in reading order."""
    if unit.is_archived or unit.kind not in (UnitKind.BRANCH, UnitKind.PARTY_GROUP):
        return []
    scope = get_scope(user)
    is_branch = unit.kind == UnitKind.BRANCH
    links = []

    def add(label, url, hint=""):
        links.append({"label": label, "url": url, "hint": hint})

    if scope.has_role_on(unit, *meeting_permissions.READ_ROLES):
        add(_("会议记录"), f"{reverse('meetings:meeting.list')}?{urlencode({'unit': unit.pk})}")
        add(
            _("会议记录本"),
            f"{reverse('reports:minutes_book')}?{urlencode({'unit': unit.pk, 'year': today.year})}",
            _("%(year)s年，Word 文档") % {"year": today.year},
        )
    if planning.can_see(user, unit):
        add(_("会议计划"), reverse("meetings:plan.list", kwargs={"pk": unit.pk}))
        add(_("组织生活日历"), reverse("meetings:plan.calendar", kwargs={"pk": unit.pk}))
    if compliance_permissions.can(user, "table.view", unit):
        add(_("制度落实情况"), reverse("compliance:unit.status", kwargs={"pk": unit.pk}))
    if not is_branch:
        return links
    if scope.has_role_on(unit, *rectification_permissions.READ_ROLES):
        add(_("整改台账"), reverse("rectification:item.branch", kwargs={"unit_id": unit.pk}))
    if lifemeeting_permissions.can(user, "package.view", unit):
        add(
            _("组织生活会"),
            reverse("lifemeetings:package.overview", kwargs={"unit_id": unit.pk, "year": today.year}),
            _("%(year)s年度") % {"year": today.year},
        )
    if study_permissions.can(user, "ledger.view", unit):
        add(_("学时台账"), reverse("study:ledger.branch", kwargs={"pk": unit.pk}))
    if integrity_permissions.can(user, "unit.view", unit):
        add(_("记录可信度"), reverse("integrity:unit", kwargs={"pk": unit.pk}))
    return links
