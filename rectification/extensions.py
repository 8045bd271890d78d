"""What rectification adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its rectification ledger and the navigation entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scope import get_scope
from common.registry import add_nav
from organizations.registry import add_unit_link
from rectification import permissions


def register() -> None:
    add_unit_link(
        "rectification.items",
        _("整改台账"),
        "rectification:item.branch",
        allowed=lambda user, unit: get_scope(user).has_role_on(unit, *permissions.READ_ROLES),
        order=40,
        branch_only=True,
        kwarg="unit_id",
    )
    add_nav(pgettext_lazy("nav", "整改"), "rectification:item.list", "work", 40)
