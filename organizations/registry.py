"""Extension points of the organisation pages and services, filled by the apps above.

organizations sits at the bottom of the tree of apps: it never imports members, committees or
the records. What those apps add to a unit's page, or forbid about a unit, they register here
from their ``AppConfig.ready()``:

- ``branch_links``: the buttons of a branch (or party group) page that lead to the unit's
  records kept by other apps; each app decides with its own permission policy;
- ``branch_panels``: sections of the unit page (the committee, the roster, …);
- ``unit_annotations``: facts set on the units of the tree and of the unit page (member counts);
- ``unit_guards``: checks that refuse to dissolve or archive a unit (members still enrolled).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from common.registry import Panel, Registry
from organizations.models import Unit, UnitKind


@dataclass(frozen=True)
class BranchLink:
    """``links(user, unit, today)`` returns ``[{"label", "url", "hint"}]`` (empty: none for this
    reader). ``branch_only``: not offered on a party group's page."""

    key: str
    links: Callable[[object, Unit, datetime.date], list[dict]]
    order: int = 100
    branch_only: bool = False


@dataclass(frozen=True)
class UnitAnnotation:
    """``annotate(units)`` sets attributes on each unit of a list (one or two queries in all)."""

    key: str
    annotate: Callable[[list[Unit]], None]
    order: int = 100


@dataclass(frozen=True)
class UnitGuard:
    """``check(unit, action)`` returns why ``action`` ("dissolve" or "archive") may not be done
    to ``unit`` (a Chinese message), or None. Services raise it as a ``UnitError``."""

    key: str
    check: Callable[[Unit, str], str | None]
    order: int = 100


branch_links: Registry[BranchLink] = Registry("branch_links")
branch_panels: Registry[Panel] = Registry("branch_panels")
unit_annotations: Registry[UnitAnnotation] = Registry("unit_annotations")
unit_guards: Registry[UnitGuard] = Registry("unit_guards")


def link(label, url: str, hint="") -> dict:
    return {"label": label, "url": url, "hint": hint}


def add_unit_link(
    key: str,
    label,
    url_name: str,
    *,
    allowed: Callable[[object, Unit], bool],
    order: int,
    branch_only: bool = False,
    kwarg: str = "pk",
) -> BranchLink:
    """Register, in one call, the typical branch link: one button to the page ``url_name`` of the
    unit (``{kwarg: unit.pk}``), shown when ``allowed(user, unit)`` (the app's own policy)."""

    def links(user, unit: Unit, today: datetime.date) -> list[dict]:
        if not allowed(user, unit):
            return []
        return [link(str(label), reverse(url_name, kwargs={kwarg: unit.pk}))]

    return branch_links.register(BranchLink(key, links, order=order, branch_only=branch_only))


def links_for(user, unit: Unit, today: datetime.date) -> list[dict]:
    """The registered links of a branch (or party group) page, in reading order."""
    if unit.is_archived or unit.kind not in (UnitKind.BRANCH, UnitKind.PARTY_GROUP):
        return []
    is_branch = unit.kind == UnitKind.BRANCH
    out: list[dict] = []
    for entry in branch_links:
        if entry.branch_only and not is_branch:
            continue
        out.extend(entry.links(user, unit, today))
    return out


def annotate(units) -> list[Unit]:
    units = list(units)
    for entry in unit_annotations:
        entry.annotate(units)
    return units


def refusal(unit: Unit, action: str) -> str | None:
    """The first registered guard's reason to refuse ``action`` on ``unit``, or None."""
    for guard in unit_guards:
        reason = guard.check(unit, action)
        if reason:
            return reason
    return None
