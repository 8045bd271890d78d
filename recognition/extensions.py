"""What recognition adds to the shared pages (registered from ``AppConfig.ready()``): the badges panel of a unit page, the 五带头 panel of a member page and the navigation entry."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from common.registry import Panel, add_nav
from members.registry import member_panels
from organizations.registry import branch_panels


def _from_template(*args) -> dict:
    """The templates read what they need through ``recognition_tags``."""
    return {}


def register() -> None:
    branch_panels.register(Panel("recognition.badges", "recognition/_branch_badges.html", _from_template, order=20))
    member_panels.register(
        Panel("recognition.fiveleads", "recognition/_member_fiveleads.html", _from_template, order=20)
    )
    add_nav(pgettext_lazy("nav", "创建表彰"), "recognition:fourstrong.list", "judgement", 20)
