"""Read-side helpers for pages: member counts per unit in a fixed number of queries.

``annotate_member_counts`` is registered with ``organizations.registry.unit_annotations``: the
organisation tree and the branch page show each unit's count without knowing about members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from members.models import BranchMembership, GroupMembership
from organizations.models import UnitKind


@dataclass
class MemberCount:
    full: int = 0
    probationary: int = 0

    @property
    def total(self) -> int:
        return self.full + self.probationary

    def add(self, category: str, n: int) -> None:
        if category == "probationary":
            self.probationary += n
        else:
            self.full += n


def member_counts(units) -> dict[int, MemberCount]:
    """Current members (open memberships, member not archived) of every unit in ``units``.

    A branch counts its branch memberships, a party group its group memberships, and a
    committee or general branch the sum of the branches below it (among ``units``).
    Two queries, whatever the number of units.
    """
    units = list(units)
    by_path = {u.path: u for u in units}
    counts: dict[int, MemberCount] = defaultdict(MemberCount)
    branch_ids = [u.pk for u in units if u.kind == UnitKind.BRANCH]
    group_ids = [u.pk for u in units if u.kind == UnitKind.PARTY_GROUP]

    def open_rows(model, ids, key):
        # Open memberships of members in the lists, counted by unit (``key``) and category.
        return (
            model.objects.filter(unit_id__in=ids, end_on__isnull=True, member__archived_at__isnull=True)
            .values_list(key, "member__category")
            .annotate(n=Count("id"))
            .order_by()
        )

    if branch_ids:
        for path, category, n in open_rows(BranchMembership, branch_ids, "unit__path"):
            # Roll the branch's count up to every ancestor shown alongside it.
            for p in by_path[path].ancestor_paths():
                if p in by_path:
                    counts[by_path[p].pk].add(category, n)
    if group_ids:
        for unit_id, category, n in open_rows(GroupMembership, group_ids, "unit_id"):
            counts[unit_id].add(category, n)
    return counts


def annotate_member_counts(units) -> None:
    """Set ``member_count`` (a ``MemberCount``, or None when the unit has nobody) on each unit."""
    units = list(units)
    counts = member_counts(units)
    for unit in units:
        unit.member_count = counts.get(unit.pk)
