"""What members adds to the pages and rules of the apps below it (registered from ``ready()``):
the member counts of the organisation pages, the roster panel of a unit page, the guard that
keeps a unit with enrolled members from being dissolved or archived, and its navigation entry."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.registry import Panel, add_nav
from members import permissions
from members.models import BranchMembership, GroupMembership, Member
from members.queries import annotate_member_counts
from organizations.models import Unit, UnitKind
from organizations.registry import UnitAnnotation, UnitGuard, branch_panels, unit_annotations, unit_guards


def _roster(request, unit: Unit, today) -> dict | None:
    """The members of a branch (or party group) that the viewer may see; None for other units."""
    if unit.kind == UnitKind.PARTY_GROUP:
        qs = Member.objects.active().filter(group_memberships__unit=unit, group_memberships__end_on__isnull=True)
    elif unit.kind == UnitKind.BRANCH:
        qs = Member.objects.active().filter(branch_memberships__unit=unit, branch_memberships__end_on__isnull=True)
    else:
        return None
    shown = (
        permissions.visible(request.user, qs)
        .prefetch_related(
            Prefetch(
                "group_memberships",
                queryset=GroupMembership.objects.filter(end_on__isnull=True).select_related("unit"),
                to_attr="open_groups",
            )
        )
        .distinct()
        .order_by("name", "id")
    )
    return {
        "roster": list(shown),
        "can_add_member": (
            unit.kind == UnitKind.BRANCH and not unit.is_dissolved and permissions.can(request.user, "add", unit)
        ),
    }


def _open_members(unit: Unit) -> int:
    """Open memberships held in ``unit`` itself (a branch's or a party group's)."""
    model = GroupMembership if unit.kind == UnitKind.PARTY_GROUP else BranchMembership
    return model.objects.filter(unit=unit, end_on__isnull=True).count()


def refuse_while_enrolled(unit: Unit, action: str) -> str | None:
    """A unit whose members are still enrolled is neither dissolved nor archived."""
    members = _open_members(unit)
    if not members:
        return None
    if action == "archive":
        return _("“%(unit)s”还有 %(count)s 名党员在册，不能归档。") % {"unit": unit, "count": members}
    if unit.kind == UnitKind.PARTY_GROUP:
        message = _("“%(unit)s”还有 %(count)s 名党员在册，请先调整他们的党小组，再撤销。")
    else:
        message = _("“%(unit)s”还有 %(count)s 名党员的组织关系在本支部，请先将他们转出，再撤销。")
    return message % {"unit": unit, "count": members}


def register() -> None:
    unit_annotations.register(UnitAnnotation("members.member_count", annotate_member_counts))
    unit_guards.register(UnitGuard("members.enrolled", refuse_while_enrolled))
    branch_panels.register(Panel("members.roster", "members/_branch_roster.html", _roster, order=600))
    add_nav(pgettext_lazy("nav", "党员"), "members:member.list", "organization", 30)
