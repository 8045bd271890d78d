"""What study adds to the shared pages (registered from ``AppConfig.ready()``): the home panel, the link of a branch page to its study ledger and the navigation entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.registry import Panel, add_nav, home_panels
from organizations.registry import add_unit_link
from study import permissions
from study.home import home_context


def register() -> None:
    home_panels.register(Panel("study.home", "study/_home.html", home_context, order=20))
    add_unit_link(
        "study.ledger",
        _("学时台账"),
        "study:ledger.branch",
        allowed=lambda user, unit: permissions.can(user, "ledger.view", unit),
        order=60,
        branch_only=True,
    )
    add_nav(pgettext_lazy("nav", "学习学时"), "study:my", "study", 20)
