"""What inspections adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="inspections.inspection_list",
            label=pgettext_lazy("nav", "督查"),
            url_name="inspections:inspection.list",
            group="work",
            order=50,
            visible=lambda nav: nav["is_officer"],
        )
    )
