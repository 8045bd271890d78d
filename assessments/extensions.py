"""What assessments adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="assessments.set_list",
            label=pgettext_lazy("nav", "考核评价"),
            url_name="assessments:set.list",
            group="judgement",
            order=10,
            visible=lambda nav: nav["is_officer"],
        )
    )
