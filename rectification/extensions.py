"""What rectification adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its rectification ledger and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.scope import get_scope
from common.registry import NavEntry, navigation
from organizations.registry import BranchLink, branch_links, link
from rectification import permissions


def item_links(user, unit, today):
    if not get_scope(user).has_role_on(unit, *permissions.READ_ROLES):
        return []
    return [link(_("整改台账"), reverse("rectification:item.branch", kwargs={"unit_id": unit.pk}))]


def register() -> None:
    branch_links.register(BranchLink("rectification.items", item_links, order=40, branch_only=True))
    navigation.register(
        NavEntry(
            key="rectification.item_list",
            label=pgettext_lazy("nav", "整改"),
            url_name="rectification:item.list",
            group="work",
            order=40,
        )
    )
