"""The committee overview (totals, per-rule rates, the worst branches, the heatmap rows), read
from per-branch summaries kept in the database (``Standing``).

Judging a whole year for a committee of 20,000 branches takes seconds; the dashboard and the
home page must answer in well under one, also right after a secretary records a meeting. So
each branch's cells are summarised once into a ``Standing`` row per (branch, year, as-of month),
and a request only judges again the branches whose row is missing or out of date:

* **What makes a row out of date.** Every change that can move one of its cells raises the
  row's ``stamp``: a meeting recorded, edited, archived or restored (``meetings.counts``
  reports the units whose counts it recounted, inside the same transaction), a unit founded,
  renamed, dissolved or archived, a committee term or seat changed (the secretary of a 党课),
  a rule added, tightened or retired (every row). A row is current while ``fresh_stamp``
  equals ``stamp`` and it is younger than ``ZHIBU["COMPLIANCE_OVERVIEW_SECONDS"]`` (24 hours
  by default), which bounds how long a change made outside the application (hand-written SQL)
  can go unseen.
* **Judging again.** ``refresh`` locks the out-of-date rows (in id order, so two requests take
  turns), judges their branches and party groups with the engine, writes the figures and sets
  ``fresh_stamp`` to the stamp it locked. A change committed meanwhile waits for the lock and
  raises the stamp afterwards, so its row is judged again on the next request: no change is
  ever hidden by a refresh that started before it.
* **As-of month and day.** The rows are kept per month (``periods.judged_month``: 13 for a
  year that is over) and record the day they were judged as of (``Standing.as_of``): a
  meeting held after that day does not count yet, and a 年度's 组织生活会 is due until the
  committee's deadline and judged at it, so a row judged as of another day is judged again.
  The dashboard asks for today; rows are younger than a day anyway, and ``manage.py
  run_periodic`` (run daily) judges the committee before the day's first request.
* **The 年度 deadline.** Setting it (``compliance.models.AnnualDeadline``) or changing the
  年度 a 组织生活会 is held for raises the stamps of that year's rows (``compliance.receivers``;
  ``meetings.counts.refresh`` is given the 年度 as well as the date's year).

A scope that holds a party group without its branch (a group leader's; the caller tells, from
the user's grants) is judged directly: it is small, and its groups have no branch row to fold
into.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from compliance import dashboards, engine, periods, services
from compliance.models import Standing, StandingRule
from organizations.models import Unit, UnitKind

DEFAULT_SECONDS = 24 * 3600
# Above this many branches, queries select them by the scope's subquery instead of a list of ids.
ID_LIST_LIMIT = 500
# The columns the refresh writes, in the order of the rows given to _write_figures.
FIGURES = ("name", "missed", "due", "met", "not_applicable", "months", "fresh_stamp", "computed_at", "as_of")
WRITE_BATCH = 500  # rows per UPDATE (11 parameters a row: under SQLite's 32,766)


def keep_seconds() -> int:
    return int(getattr(settings, "ZHIBU", {}).get("COMPLIANCE_OVERVIEW_SECONDS", DEFAULT_SECONDS))


# ---------------------------------------------------------------------------------------------
# Marking rows out of date (called from the receivers in compliance.apps).


def branches_of(unit_ids: Iterable[int]) -> set[int]:
    """The branches whose rows hold ``unit_ids``: a branch itself, a party group's parent."""
    out = set()
    for pk, kind, parent_id in Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "kind", "parent_id"):
        if kind == UnitKind.BRANCH:
            out.add(pk)
        elif kind == UnitKind.PARTY_GROUP and parent_id is not None:
            out.add(parent_id)
    return out


def mark(unit_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> int:
    """Raise the stamp of the rows of ``unit_ids`` (default: every row) for ``years`` (default:
    all). Returns the number of rows marked."""
    rows = Standing.objects.all()
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        # Beyond a few hundred units (a rebuild of every count) every row is marked: cheaper
        # than resolving their branches, and never wrong (a row judged again gives the same).
        if len(unit_ids) <= ID_LIST_LIMIT:
            rows = rows.filter(branch_id__in=branches_of(unit_ids))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    return rows.update(stamp=F("stamp") + 1)


# ---------------------------------------------------------------------------------------------
# Judging again.


def _stale(now: datetime.datetime, as_of: datetime.date) -> Q:
    cutoff = now - datetime.timedelta(seconds=keep_seconds())
    return (
        Q(fresh_stamp__lt=F("stamp"))
        | Q(computed_at__isnull=True)
        | Q(computed_at__lt=cutoff)
        | Q(as_of__isnull=True)
        | ~Q(as_of=as_of)
    )


def _write_figures(rows: list[tuple]) -> None:
    """Write (pk, *FIGURES) into the locked rows: one ``UPDATE … FROM (VALUES …)`` per batch
    (PostgreSQL, and SQLite ≥ 3.33), in place — a row is never deleted and inserted again, so a
    change waiting for its lock still finds it and raises its stamp."""
    fields = [Standing._meta.get_field(name) for name in FIGURES]
    table = connection.ops.quote_name(Standing._meta.db_table)
    assignments = ", ".join(
        f"{connection.ops.quote_name(f.column)} = v.column{i}" for i, f in enumerate(fields, start=2)
    )
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            params = []
            for pk, *values in batch:
                params.append(pk)
                params.extend(f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v "
                f"WHERE {table}.id = v.column1",
                params,
            )


def _insert_rule_rows(rows: list[tuple]) -> None:
    """Insert (standing id, code, name, met, missed, due, not applicable) rows: plain multi-row
    INSERTs (a full refresh writes ~140,000 of them; model instances would cost seconds)."""
    table = connection.ops.quote_name(StandingRule._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c) for c in ("standing_id", "code", "name", "met", "missed", "due", "not_applicable")
    )
    per_batch = 4000  # 7 parameters a row: under SQLite's 32,766
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: a tenth of the time of INSERTs here
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join(['(%s, %s, %s, %s, %s, %s, %s)'] * len(batch))}",
                [value for row in batch for value in row],
            )


def refresh(branches_qs, year: int, as_of: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """Judge again the branches of ``branches_qs`` whose row for ``year`` as of ``as_of``'s month
    is missing or out of date. Returns how many were judged."""
    now = now or timezone.now()
    month = periods.judged_month(year, as_of)
    fresh = Standing.objects.filter(year=year, month=month).exclude(_stale(now, as_of))
    stale = list(branches_qs.exclude(pk__in=fresh.values("branch_id")).order_by("pk").values_list("pk", "name"))
    if not stale:
        return 0
    # A row for every branch first, so that a change committed from now on has a stamp to raise.
    Standing.objects.bulk_create(
        [Standing(branch_id=pk, year=year, month=month, name=name) for pk, name in stale],
        ignore_conflicts=True,
        batch_size=1000,
    )
    many = len(stale) > ID_LIST_LIMIT
    ids = [pk for pk, _name in stale]
    with transaction.atomic():
        locking = Standing.objects.select_for_update().filter(year=year, month=month).filter(_stale(now, as_of))
        locking = locking.filter(branch__in=branches_qs.values("pk")) if many else locking.filter(branch_id__in=ids)
        locked = list(locking.order_by("pk").only("pk", "branch_id", "stamp"))
        if not locked:
            return 0  # another request judged them meanwhile
        if many:
            scope = branches_qs.values("pk")
            units = Unit.objects.filter(Q(pk__in=scope) | Q(parent__in=scope))
        else:
            ids = [s.branch_id for s in locked]
            units = Unit.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        facts = services.count_facts(year, units, as_of=as_of)
        unit_list = facts[0]
        cells = engine.evaluate_counts(*facts, year=year, as_of=as_of)
        names = {u.id: u.name for u in unit_list}
        branch_of = {
            u.id: (u.id if u.kind == UnitKind.BRANCH else u.parent_id)
            for u in unit_list
            if u.kind in (UnitKind.BRANCH, UnitKind.PARTY_GROUP)
        }
        summaries = dashboards.branch_summaries(cells, branch_of, year)
        del cells
        empty = dashboards.BranchSummary()
        figures, rule_rows = [], []
        for row in locked:
            summary = summaries.get(row.branch_id, empty)
            c = summary.counts
            figures.append(
                (
                    row.pk,
                    names.get(row.branch_id, ""),
                    c[engine.MISSED],
                    c[engine.DUE],
                    c[engine.MET],
                    c[engine.NOT_APPLICABLE],
                    summary.months,
                    row.stamp,
                    now,
                    as_of,
                )
            )
            rule_rows.extend((row.pk, code, *counted) for code, counted in summary.rules.items())
        _write_figures(figures)
        locked_ids = [row.pk for row in locked]
        for start in range(0, len(locked_ids), WRITE_BATCH):
            StandingRule.objects.filter(standing_id__in=locked_ids[start : start + WRITE_BATCH]).delete()
        _insert_rule_rows(rule_rows)
    return len(locked)


def forget_past_months(today: datetime.date) -> int:
    """Drop the rows of this year's earlier months (the dashboard reads this month's); a past
    year keeps its closed-year rows (month 13), which is how it is shown."""
    _total, by_model = Standing.objects.filter(year=today.year, month__lt=today.month).delete()
    return by_model.get(Standing._meta.label, 0)


def refresh_committee(today: datetime.date) -> list:
    """For ``run_periodic``: judge every branch for this year and for last year as of today
    (what the dashboard shows for each), so that no request waits. Sends no reminders."""
    branches = Unit.objects.filter(kind=UnitKind.BRANCH, archived_at__isnull=True)
    forget_past_months(today)
    refresh(branches, today.year, today)
    refresh(branches, today.year - 1, periods.default_as_of(today.year - 1, today))
    return []


# ---------------------------------------------------------------------------------------------
# Reading: the overview of a scope.


@dataclass
class Overview:
    """What the committee dashboard and the home page show for a scope, year and as-of day."""

    year: int
    as_of: datetime.date
    computed_at: datetime.datetime | None
    totals: dict[str, int]
    rates: list[dashboards.RuleRate]
    worst: list[dashboards.BranchRow]
    branch_count: int
    rows: object = field(default=None, repr=False)  # a sliceable sequence of BranchRow


def _branch_row(standing: Standing, year: int) -> dashboards.BranchRow:
    months = standing.months or [[None, {}]] * 12
    return dashboards.BranchRow(
        standing.branch_id,
        standing.name,
        [
            dashboards.MonthSummary(periods.month_span(year, i).label, status, dict(counts))
            for i, (status, counts) in enumerate(months, start=1)
        ],
        missed=standing.missed,
        due=standing.due,
        met=standing.met,
    )


class StandingRows:
    """The scope's branch rows, worst first, for the Paginator: a page reads its own rows."""

    def __init__(self, queryset, count: int, year: int):
        self._queryset = queryset.order_by("-missed", "-due", "name", "branch_id")
        self._count = count
        self._year = year

    def __len__(self) -> int:
        return self._count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return [_branch_row(s, self._year) for s in self._queryset[index]]


def _rates(standings_qs) -> list[dashboards.RuleRate]:
    """Per rule code, the sums over the standings of ``standings_qs`` (one GROUP BY)."""
    rows = (
        StandingRule.objects.filter(standing__in=standings_qs.values("pk"))
        .order_by()
        .values_list("code")
        .annotate(Min("name"), Sum("met"), Sum("missed"), Sum("due"), Sum("not_applicable"))
    )
    return dashboards.sort_rates(dashboards.RuleRate(*row) for row in rows)


def _judged_directly(units_qs, year: int, as_of: datetime.date) -> Overview:
    """A scope with party groups but not their branch: judged on the spot (a group or two)."""
    facts = services.count_facts(year, units_qs, as_of=as_of)
    unit_list = facts[0]
    cells = engine.evaluate_counts(*facts, year=year, as_of=as_of)
    branches = [(u.id, u.name) for u in unit_list if u.kind == UnitKind.BRANCH]
    rows = dashboards.heatmap_rows(cells, branches, {u.id: u.parent_id for u in unit_list}, year)
    rows.sort(key=lambda r: (-r.missed, -r.due, r.name))
    totals = dict.fromkeys(engine.STATUSES, 0)
    for c in cells:
        totals[c.status] += 1
    return Overview(
        year=year,
        as_of=as_of,
        computed_at=timezone.now(),
        totals=totals,
        rates=dashboards.rule_rates(cells),
        worst=dashboards.worst_branches(rows, limit=10),
        branch_count=len(rows),
        rows=rows,
    )


def overview(units_qs, year: int, as_of: datetime.date, *, whole_branches: bool = True) -> Overview:
    """The overview of the units of ``units_qs`` for ``year`` as of ``as_of``. Pass
    ``whole_branches=False`` (``compliance.permissions.whole_branches``) for a scope holding
    party groups without their branch: it is judged directly."""
    if not whole_branches:
        return _judged_directly(units_qs, year, as_of)
    branches = units_qs.filter(kind=UnitKind.BRANCH, archived_at__isnull=True)
    refresh(branches, year, as_of)
    month = periods.judged_month(year, as_of)
    rows = Standing.objects.filter(year=year, month=month, branch__in=branches.values("pk"))
    figures = rows.aggregate(
        missed=Sum("missed"),
        due=Sum("due"),
        met=Sum("met"),
        not_applicable=Sum("not_applicable"),
        branches=Count("pk"),
        computed_at=Max("computed_at"),
    )
    totals = {status: figures[status] or 0 for status in engine.STATUSES}
    worst = [_branch_row(s, year) for s in rows.filter(missed__gt=0).order_by("-missed", "-due", "name")[:10]]
    return Overview(
        year=year,
        as_of=as_of,
        computed_at=figures["computed_at"],
        totals=totals,
        rates=_rates(rows),
        worst=worst,
        branch_count=figures["branches"],
        rows=StandingRows(rows, figures["branches"], year),
    )
