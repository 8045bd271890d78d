"""What ledger adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="ledger.import",
            label=pgettext_lazy("nav", "台账导入"),
            url_name="ledger:import",
            group="admin",
            order=10,
            visible=lambda nav: nav["is_committee_staff"],
        )
    )
