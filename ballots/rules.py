"""What a round may publish: pure rules, no ORM.

A closed round publishes its turnout always, and a breakdown (the count of each option per item)
only when at least ``min_voters`` people voted; an item with fewer marks than ``min_voters``
(many abstained, or the item's own person is one of few voters) shows its number of marks but no
breakdown — with two marks, either voter could read the other's choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    marks: int
    # {option: count} in the round's option order, or None when withheld.
    counts: dict[str, int] | None


@dataclass(frozen=True)
class Results:
    electors: int
    voters: int
    closed: bool
    published: bool  # the breakdown is shown (closed and enough voters)
    items: list[ItemResult] = field(default_factory=list)

    def item(self, key: str) -> ItemResult | None:
        return next((i for i in self.items if i.key == key), None)


def publishable(*, closed: bool, voters: int, min_voters: int) -> bool:
    return closed and voters >= max(min_voters, 1)


def results(
    *,
    closed: bool,
    electors: int,
    voters: int,
    min_voters: int,
    options: Sequence[str],
    items: Sequence[tuple[str, str]],
    marks: Mapping[tuple[str, str], int],
) -> Results:
    """``items``: (key, label) in order; ``marks``: {(item key, option): count}."""
    published = publishable(closed=closed, voters=voters, min_voters=min_voters)
    if not published:
        return Results(electors=electors, voters=voters, closed=closed, published=False)
    rows = []
    for key, label in items:
        counts = {o: marks.get((key, o), 0) for o in options}
        total = sum(counts.values())
        rows.append(ItemResult(key, label, total, counts if total >= max(min_voters, 1) else None))
    return Results(electors=electors, voters=voters, closed=closed, published=True, items=rows)


def choice_errors(choices: Mapping[str, str], *, options: Sequence[str], items: Mapping[str, str]) -> dict[str, str]:
    """Why the marks ``choices`` {item key: option} may not go in the box; blanks abstain.
    ``items``: {key: label} of the items the voter may vote on."""
    errors: dict[str, str] = {}
    for key, option in choices.items():
        if not option:
            continue
        if key not in items:
            errors["__all__"] = _("投票：所列事项不在本次投票范围内。")
        elif option not in options:
            errors[key] = _("%(name)s：请选择有效的选项。") % {"name": items[key]}
    if not errors and not any(choices.values()):
        errors["__all__"] = _("投票：请至少选择一项。")
    return errors
