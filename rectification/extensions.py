"""What rectification adds to the shared pages (registered from ``AppConfig.ready()``): the link of a branch page to its rectification ledger, the link of a meeting page to the 民主评议 held at it, and the navigation entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.scope import get_scope
from common.registry import NavEntry, navigation
from meetings.registry import register_detail_link
from organizations.registry import BranchLink, branch_links, link
from rectification import permissions, rules
from rectification.models import AppraisalRound


def item_links(user, unit, today):
    if not get_scope(user).has_role_on(unit, *permissions.READ_ROLES):
        return []
    return [link(_("整改台账"), reverse("rectification:item.branch", kwargs={"unit_id": unit.pk}))]


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
    branch_links.register(BranchLink("rectification.items", item_links, order=40, branch_only=True))
    navigation.register(
        NavEntry(
            key="rectification.item_list",
            label=pgettext_lazy("nav", "整改"),
            url_name="rectification:item.list",
            group="work",
            order=40,
        )
    )
