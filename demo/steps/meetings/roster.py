"""The demo organisation as the meetings planner sees it: people, membership rows, committee
terms, as plain values built either from ``demo.steps.organisation.build_plan`` (no database) or from the
database; and the party group the demo sets up about five months before today.

``demo.steps.meetings`` plans the meetings over a ``Roster``; keeping the roster apart lets the
plan be tested without a database and written against whatever the database holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model

from committees.models import CommitteeTerm, TermStatus
from demo.steps import organisation
from members.models import BranchMembership, GroupMembership, Member, MemberCategory
from organizations.models import Unit, UnitKind

MONTHS = 12  # "recent": the twelve months up to today (the meetings go back to January of last year)
NEW_GROUP_BRANCH = 3  # 机关第四党支部 sets up a party group about five months ago
TRANSFER_FROM = 2  # ... with a member transferred in from 机关第三党支部
NEW_GROUP_NAME = "国资监管办公室党小组"
NEW_GROUP_DEPARTMENT = "国资监管办公室"


# --- the organisation as the planner sees it ----------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    full_member_on: datetime.date | None  # None: probationary
    is_leading_cadre: bool = False
    has_login: bool = False

    def is_full_on(self, day: datetime.date) -> bool:
        return self.full_member_on is not None and self.full_member_on <= day


@dataclass(frozen=True)
class Stint:
    """A membership row: ``member`` belonged to ``unit`` (a name) from ``start_on`` to ``end_on``."""

    member: int
    unit: str
    start_on: datetime.date
    end_on: datetime.date | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on > day)


@dataclass(frozen=True)
class Term:
    branch: str
    elected_on: datetime.date
    ended_on: datetime.date | None
    seats: tuple[tuple[int, str], ...]  # (member id, role), in seat order

    def covers(self, day: datetime.date) -> bool:
        return self.elected_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass
class Roster:
    branches: list[str]  # in the order of BRANCH_SPECS
    groups: dict[str, list[tuple[str, datetime.date]]]  # branch -> [(group name, founded on)]
    people: dict[int, Person]
    stints: list[Stint]
    terms: list[Term]
    staff_name: str = ""

    def members_on(self, unit: str, day: datetime.date) -> list[int]:
        return sorted(s.member for s in self.stints if s.unit == unit and s.covers(day))

    def seats_on(self, branch: str, day: datetime.date) -> tuple[tuple[int, str], ...]:
        for term in self.terms:
            if term.branch == branch and term.covers(day):
                return term.seats
        return ()

    def seated_between(self, branch: str, start: datetime.date, end: datetime.date) -> set[int]:
        return {
            member
            for t in self.terms
            if t.branch == branch and t.elected_on <= end and (t.ended_on is None or t.ended_on > start)
            for member, _role in t.seats
        }


def roster_from_plan(plan) -> Roster:
    """The roster of a ``demo.steps.organisation.Plan`` (member keys as ids): the planner without a database."""
    branches = [spec.name for spec in organisation.BRANCH_SPECS]
    groups = {
        spec.name: [(name, organisation.BRANCHES_FOUNDED) for name, _dept in spec.groups]
        for spec in organisation.BRANCH_SPECS
    }
    linked = set(plan.linked.values())
    people = {m.key: Person(m.key, m.name, m.full_member_on, m.is_leading_cadre, m.key in linked) for m in plan.members}
    stints = []
    for m in plan.members:
        spec = organisation.BRANCH_SPECS[m.branch]
        stints.append(Stint(m.key, spec.name, m.start_on))
        stints.append(Stint(m.key, spec.groups[m.group][0], m.start_on))
    terms = [
        Term(organisation.BRANCH_SPECS[t.branch].name, t.elected_on, t.ended_on, tuple(t.seats))
        for t in sorted(plan.terms, key=lambda t: (t.branch, t.number))
    ]
    return Roster(branches, groups, people, stints, terms, plan.staff_names[0])


def roster_from_db(committee: Unit) -> Roster:
    """The demo organisation as it is in the database (a few queries)."""
    units = list(
        Unit.objects.subtree(committee)
        .filter(kind__in=(UnitKind.BRANCH, UnitKind.PARTY_GROUP), archived_at__isnull=True)
        .order_by("sort_order", "id")
    )
    branch_units = [u for u in units if u.kind == UnitKind.BRANCH]
    names = {u.pk: u.name for u in units}
    groups = {b.name: [(g.name, g.founded_on) for g in units if g.parent_id == b.pk] for b in branch_units}
    stints = [
        Stint(member, names[unit], start, end)
        for model in (BranchMembership, GroupMembership)
        for member, unit, start, end in model.objects.filter(unit__in=units).values_list(
            "member_id", "unit_id", "start_on", "end_on"
        )
    ]
    people = {}
    for pk, name, category, full_on, leading, user_id in Member.objects.filter(
        pk__in={s.member for s in stints}
    ).values_list("pk", "name", "category", "full_member_on", "is_leading_cadre", "user_id"):
        full = (full_on or datetime.date.min) if category == MemberCategory.FULL else None
        people[pk] = Person(pk, name, full, leading, user_id is not None)
    terms = []
    for term in (
        CommitteeTerm.objects.filter(unit__in=branch_units, status__in=(TermStatus.CURRENT, TermStatus.ENDED))
        .prefetch_related("seats")
        .order_by("unit_id", "number")
    ):
        seats = tuple((s.member_id, s.role) for s in sorted(term.seats.all(), key=lambda s: (s.sort_order, s.pk)))
        terms.append(Term(names[term.unit_id], term.elected_on, term.ended_on, seats))
    staff = get_user_model().objects.filter(username="staff").values_list("first_name", flat=True).first()
    return Roster([b.name for b in branch_units], groups, people, stints, terms, staff or "")


# --- the new party group ----------------------------------------------------------------------


@dataclass(frozen=True)
class NewGroup:
    branch: str
    founded_on: datetime.date
    moved: tuple[int, ...]  # members of the branch's other groups who move into it
    transferred: int | None  # a member transferred in from another branch


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def new_group_founded_on(today: datetime.date) -> datetime.date:
    """About five months ago, but (from February on) inside the current year with at least one
    month of the year before it, so that month is ``not_applicable`` to the new group."""
    if today.month == 1:
        first = add_months(today.replace(day=1), -5)
    else:
        first = datetime.date(today.year, max(2, today.month - 5), 1)
    return min(weekday_on_or_after(first.replace(day=6)), today)


def plain_members(roster: Roster, unit: str, start: datetime.date, end: datetime.date, branch: str) -> list[int]:
    """Full members without a login or a committee seat, in ``unit`` from before ``start`` until
    after ``end`` with no move in between."""
    seated = roster.seated_between(branch, start, end)
    found = []
    for s in roster.stints:
        p = roster.people[s.member]
        if (
            s.unit == unit
            and s.start_on <= start
            and s.end_on is None
            and p.is_full_on(start)
            and not p.has_login
            and s.member not in seated
        ):
            found.append(s.member)
    return sorted(found)


def plan_new_group(roster: Roster, today: datetime.date) -> NewGroup:
    branch = roster.branches[NEW_GROUP_BRANCH]
    founded = new_group_founded_on(today)
    window_start = add_months(today.replace(day=1), -(MONTHS - 1))
    moved = []
    for group, _founded in roster.groups[branch][:2]:
        candidates = plain_members(roster, group, window_start, today, branch)
        moved.extend(candidates[-1:])
    source = roster.branches[TRANSFER_FROM]
    candidates = plain_members(roster, source, window_start, today, source)
    return NewGroup(branch, founded, tuple(moved), candidates[0] if candidates else None)


def with_new_group(roster: Roster, plan: NewGroup) -> Roster:
    """The roster after the new group was set up (what ``ensure_new_group`` writes)."""
    day = plan.founded_on
    movers = {*plan.moved, *([plan.transferred] if plan.transferred is not None else [])}
    stints = []
    for s in roster.stints:
        closing = s.member in movers and s.end_on is None
        closing = closing and (s.unit in dict(roster.groups[plan.branch]) or s.member == plan.transferred)
        stints.append(replace(s, end_on=day) if closing else s)
    if plan.transferred is not None:
        stints.append(Stint(plan.transferred, plan.branch, day))
    stints.extend(Stint(member, NEW_GROUP_NAME, day) for member in sorted(movers))
    groups = {b: list(g) for b, g in roster.groups.items()}
    groups[plan.branch].append((NEW_GROUP_NAME, day))
    return replace(roster, stints=stints, groups=groups)
