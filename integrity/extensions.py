"""What integrity adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its record integrity and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation
from integrity import permissions
from organizations.registry import BranchLink, branch_links, link


def unit_links(user, unit, today):
    if not permissions.can(user, "unit.view", unit):
        return []
    return [link(_("记录可信度"), reverse("integrity:unit", kwargs={"pk": unit.pk}))]


def register() -> None:
    branch_links.register(BranchLink("integrity.unit", unit_links, order=70, branch_only=True))
    navigation.register(
        NavEntry(
            key="integrity.dashboard",
            label=pgettext_lazy("nav", "风险提示"),
            url_name="integrity:dashboard",
            group="work",
            order=60,
            visible=lambda nav: nav["is_committee_staff"] or nav["is_inspector"],
        )
    )
