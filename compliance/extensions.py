"""What compliance adds to the shared pages (registered from ``AppConfig.ready()``): the home panel, the link of a branch page to its compliance status, the reminder jobs and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, Panel, home_panels, navigation
from compliance import permissions, reminders
from compliance.home import home_context
from notifications.services import register_periodic
from organizations.registry import BranchLink, branch_links, link


def status_links(user, unit, today):
    if not permissions.can(user, "table.view", unit):
        return []
    return [link(_("制度落实情况"), reverse("compliance:unit.status", kwargs={"pk": unit.pk}))]


def register() -> None:
    home_panels.register(Panel("compliance.home", "compliance/_home.html", home_context, order=10))
    branch_links.register(BranchLink("compliance.status", status_links, order=30))
    register_periodic(reminders.table_reminders, order=10, topics=reminders.TABLE_TOPICS)
    register_periodic(reminders.lapse_reminders, order=30, topics=reminders.LAPSE_TOPICS)
    navigation.register(
        NavEntry(
            key="compliance.dashboard",
            label=pgettext_lazy("nav", "制度落实"),
            url_name="compliance:compliance.dashboard",
            group="work",
            order=30,
            visible=lambda nav: nav["is_officer"],
        )
    )
