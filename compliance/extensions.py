"""What compliance adds to the shared pages (registered from ``AppConfig.ready()``): the home panel, the link of a branch page to its compliance status, the reminder jobs and the navigation entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.registry import Panel, add_nav, home_panels
from compliance import permissions, reminders
from compliance.home import home_context
from notifications.services import register_periodic
from organizations.registry import add_unit_link


def register() -> None:
    home_panels.register(Panel("compliance.home", "compliance/_home.html", home_context, order=10))
    add_unit_link(
        "compliance.status",
        _("制度落实情况"),
        "compliance:unit.status",
        allowed=lambda user, unit: permissions.can(user, "table.view", unit),
        order=30,
    )
    register_periodic(reminders.table_reminders, order=10, topics=reminders.TABLE_TOPICS)
    register_periodic(reminders.lapse_reminders, order=30, topics=reminders.LAPSE_TOPICS)
    add_nav(
        pgettext_lazy("nav", "制度落实"),
        "compliance:compliance.dashboard",
        "work",
        30,
        flags=("is_officer",),
        key="compliance.dashboard",
    )
