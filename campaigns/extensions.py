"""What campaigns adds to the shared pages (registered from ``AppConfig.ready()``): the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import NavEntry, navigation


def register() -> None:
    navigation.register(
        NavEntry(
            key="campaigns.campaign_list",
            label=pgettext_lazy("nav", "主题活动"),
            url_name="campaigns:campaign.list",
            group="study",
            order=10,
        )
    )
