"""What the dashboards show, computed from engine cells (pure: no ORM).

* the committee heatmap: one row per branch (its party groups folded in), one column per month;
* per-rule rates for the year, the worst gaps first;
* for a branch: what is due this month / this quarter, and what is overdue (missed).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from compliance import periods
from compliance.engine import DUE, MET, MISSED, SEVERITY, Cell


@dataclass
class MonthSummary:
    month: str  # "2025-03"
    status: str | None  # worst status of the cells ending this month; None: no obligation
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class BranchRow:
    unit_id: int
    name: str
    months: list[MonthSummary]
    missed: int = 0
    due: int = 0
    met: int = 0


def worst(statuses: Iterable[str]) -> str | None:
    found = None
    for s in statuses:
        if found is None or SEVERITY[s] > SEVERITY[found]:
            found = s
    return found


def heatmap_rows(
    cells: Iterable[Cell], branches: Sequence[tuple[int, str]], parent_of: Mapping[int, int | None], year: int
) -> list[BranchRow]:
    """Branch × month. A cell belongs to the month its period *ends* in (a quarter to its last
    month, the year to December) and to its branch (a party group's cells to its branch)."""
    by_branch_month: dict[tuple[int, int], list[str]] = defaultdict(list)
    branch_ids = {b for b, _name in branches}
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cells:
        branch = c.unit_id if c.unit_id in branch_ids else parent_of.get(c.unit_id)
        if branch not in branch_ids or c.period_end.year != year:
            continue
        by_branch_month[(branch, c.period_end.month)].append(c.status)
        totals[branch][c.status] += 1
    rows = []
    for unit_id, name in branches:
        months = []
        for m in range(1, 13):
            statuses = by_branch_month.get((unit_id, m), [])
            counts: dict[str, int] = defaultdict(int)
            for s in statuses:
                counts[s] += 1
            months.append(MonthSummary(periods.month_span(year, m).label, worst(statuses), dict(counts)))
        t = totals[unit_id]
        rows.append(BranchRow(unit_id, name, months, missed=t[MISSED], due=t[DUE], met=t[MET]))
    return rows


@dataclass
class RuleRate:
    code: str
    name: str
    met: int = 0
    missed: int = 0
    due: int = 0
    not_applicable: int = 0

    @property
    def judged(self) -> int:
        """Periods that are over (met or missed); due ones are still open."""
        return self.met + self.missed

    @property
    def rate(self) -> float | None:
        return self.met / self.judged if self.judged else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def rule_rates(cells: Iterable[Cell]) -> list[RuleRate]:
    """Per rule code: met / missed / due / n.a.; worst first (lowest rate, then most missed)."""
    rates: dict[str, RuleRate] = {}
    for c in cells:
        r = rates.get(c.rule_code)
        if r is None:
            r = rates[c.rule_code] = RuleRate(c.rule_code, c.rule_name)
        if c.status == MET:
            r.met += 1
        elif c.status == MISSED:
            r.missed += 1
        elif c.status == DUE:
            r.due += 1
        else:
            r.not_applicable += 1
    return sort_rates(rates.values())


def sort_rates(rates: Iterable[RuleRate]) -> list[RuleRate]:
    """Worst first: the lowest rate, then the most missed, then by code."""
    return sorted(rates, key=lambda r: (1.0 if r.rate is None else r.rate, -r.missed, r.code))


@dataclass
class BranchSummary:
    """A branch's cells (its party groups folded in) counted for the kept standings: by status;
    by the month a period ends in ([worst status or None, {status: cells}] × 12); by rule code
    ([rule name, met, missed, due, not applicable])."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITY, 0))
    months: list = field(default_factory=lambda: [[None, {}] for _ in range(12)])
    rules: dict[str, list] = field(default_factory=dict)


_RULE_COLUMN = {MET: 1, MISSED: 2, DUE: 3}


def branch_summaries(cells: Iterable[Cell], branch_of: Mapping[int, int | None], year: int) -> dict[int, BranchSummary]:
    """branch id → its :class:`BranchSummary`, from the cells of its units (``branch_of`` maps a
    unit to its branch: a branch to itself, a party group to its parent). The same figures as
    :func:`heatmap_rows` and :func:`rule_rates` give for the branch's cells."""
    out: dict[int, BranchSummary] = {}
    for c in cells:
        branch = branch_of.get(c.unit_id)
        if branch is None or c.period_end.year != year:
            continue
        summary = out.get(branch)
        if summary is None:
            summary = out[branch] = BranchSummary()
        status = c.status
        summary.counts[status] += 1
        month = summary.months[c.period_end.month - 1]
        month[1][status] = month[1].get(status, 0) + 1
        if month[0] is None or SEVERITY[status] > SEVERITY[month[0]]:
            month[0] = status
        rule = summary.rules.get(c.rule_code)
        if rule is None:
            rule = summary.rules[c.rule_code] = [c.rule_name, 0, 0, 0, 0]
        rule[_RULE_COLUMN.get(status, 4)] += 1
    return out


def worst_branches(rows: Iterable[BranchRow], limit: int | None = None) -> list[BranchRow]:
    """Branches with missed obligations, most missed first."""
    found = sorted((r for r in rows if r.missed), key=lambda r: (-r.missed, -r.due, r.name))
    return found if limit is None else found[:limit]


@dataclass
class Agenda:
    """A branch's obligations as of a day: due this month, this quarter (or year), and overdue."""

    due_month: list[Cell]
    due_quarter: list[Cell]
    due_year: list[Cell]
    overdue: list[Cell]

    @property
    def empty(self) -> bool:
        return not (self.due_month or self.due_quarter or self.due_year or self.overdue)


def agenda(cells: Iterable[Cell], as_of: datetime.date) -> Agenda:
    due_month, due_quarter, due_year, overdue = [], [], [], []
    for c in cells:
        if c.status == DUE:
            {periods.MONTH: due_month, periods.QUARTER: due_quarter}.get(c.period_kind, due_year).append(c)
        elif c.status == MISSED:
            overdue.append(c)
    key = lambda c: (c.unit_name, c.rule_code, c.period_start)  # noqa: E731
    overdue.sort(key=lambda c: (c.period_start, c.unit_name, c.rule_code), reverse=True)
    return Agenda(sorted(due_month, key=key), sorted(due_quarter, key=key), sorted(due_year, key=key), overdue)


def cells_ending_in(cells: Iterable[Cell], span: periods.Span) -> list[Cell]:
    """The cells whose period ends inside ``span`` (the heatmap's drill-down of one month)."""
    return [c for c in cells if span.start <= c.period_end <= span.end]
