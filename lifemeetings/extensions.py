"""What lifemeetings adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its life meeting of the year and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.registry import add_nav
from lifemeetings import permissions
from organizations.registry import BranchLink, branch_links, link


def package_links(user, unit, today):
    if not permissions.can(user, "package.view", unit):
        return []
    return [
        link(
            _("组织生活会"),
            reverse("lifemeetings:package.overview", kwargs={"unit_id": unit.pk, "year": today.year}),
            _("%(year)s年度") % {"year": today.year},
        )
    ]


def register() -> None:
    branch_links.register(BranchLink("lifemeetings.package", package_links, order=50, branch_only=True))
    add_nav(pgettext_lazy("nav", "组织生活会"), "lifemeetings:package.index", "work", 20)
