"""What ledger adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import add_nav


def register() -> None:
    add_nav(pgettext_lazy("nav", "台账导入"), "ledger:import", "admin", 10, flags=("is_committee_staff",))
