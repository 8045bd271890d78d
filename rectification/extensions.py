"""What rectification adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its rectification ledger, the link of a meeting page to the 民主评议 held at it, and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.scope import get_scope
from common.registry import add_nav
from meetings.registry import register_detail_link
from organizations.registry import add_unit_link
from rectification import permissions, rules
from rectification.models import AppraisalRound


def appraisal_link(user, meeting, kinds):
    """On a 组织生活会's or 党员大会's page: the 民主评议 held at it, for a reader of that round."""
    if not any(k.code in rules.APPRAISAL_MEETING_KINDS for k in kinds):
        return None
    rnd = permissions.visible_rounds(user, AppraisalRound.objects.active().filter(meeting=meeting)).first()
    if rnd is None:
        return None
    return reverse("rectification:round.detail", args=[rnd.pk]), _("民主评议党员（%(year)s年度）") % {"year": rnd.year}


def register() -> None:
    register_detail_link(appraisal_link, order=30)
    add_unit_link(
        "rectification.items",
        gettext_lazy("整改台账"),
        "rectification:item.branch",
        allowed=lambda user, unit: get_scope(user).has_role_on(unit, *permissions.READ_ROLES),
        order=40,
        branch_only=True,
        kwarg="unit_id",
    )
    add_nav(pgettext_lazy("nav", "整改"), "rectification:item.list", "work", 40)
