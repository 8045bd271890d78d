"""What study adds to the shared pages (registered from ``AppConfig.ready()``): the home panel, the link of a branch page to its study ledger and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, Panel, home_panels, navigation
from organizations.registry import BranchLink, branch_links, link
from study import permissions
from study.home import home_context


def ledger_links(user, unit, today):
    if not permissions.can(user, "ledger.view", unit):
        return []
    return [link(_("学时台账"), reverse("study:ledger.branch", kwargs={"pk": unit.pk}))]


def register() -> None:
    home_panels.register(Panel("study.home", "study/_home.html", home_context, order=20))
    branch_links.register(BranchLink("study.ledger", ledger_links, order=60, branch_only=True))
    navigation.register(
        NavEntry(
            key="study.my",
            label=pgettext_lazy("nav", "学习学时"),
            url_name="study:my",
            group="study",
            order=20,
        )
    )
