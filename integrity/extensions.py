"""What integrity adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its record integrity and the navigation entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.registry import add_nav
from integrity import permissions
from organizations.registry import add_unit_link


def register() -> None:
    add_unit_link(
        "integrity.unit",
        _("记录可信度"),
        "integrity:unit",
        allowed=lambda user, unit: permissions.can(user, "unit.view", unit),
        order=70,
        branch_only=True,
    )
    add_nav(
        pgettext_lazy("nav", "风险提示"),
        "integrity:dashboard",
        "work",
        60,
        flags=("is_committee_staff", "is_inspector"),
    )
