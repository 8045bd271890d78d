"""What organizations adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="organizations.unit_tree",
            label=pgettext_lazy("nav", "组织"),
            url_name="organizations:unit.tree",
            group="organization",
            order=20,
        )
    )
