"""The committee overview (heatmap rows, per-rule rates, totals) computed once and kept.

Computing a whole year for a large committee takes seconds; the dashboard and the home page
must answer in well under one. The overview of a scope × year × as-of day is therefore kept in
Django's cache framework (``CACHES["default"]``) under a key that includes a *fingerprint* of
the data it was computed from, and recomputed on the first request after that data changed.

The fingerprint is one query of a dozen ``ORDER BY id DESC LIMIT 1`` look-ups (each a walk
down a primary-key index, whatever the size of the tables): the newest meeting, meeting kind
row, problem, unit, committee term and seat, rule (id and time), and the newest audit entry of
an action that can change a cell (``meetings.*``, ``organizations.*``, ``committees.*``,
``compliance.rule.*``). So a recorded, edited, archived or restored meeting, a changed unit,
term or rule — anything done through the services, which all write the audit log — and any new
row at all change the key, and the next request recomputes. A kept overview is also dropped
after ``ZHIBU["COMPLIANCE_OVERVIEW_SECONDS"]`` (default 24 hours), which bounds how long an edit
made outside the application (a hand-written UPDATE) can go unseen.

The rows (one per branch, worst first) are kept in chunks of ``CHUNK`` so that a page of the
heatmap reads one chunk, not the whole committee.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from committees.models import CommitteeTerm, TermMember
from common.models import AuditEntry
from compliance import dashboards, engine, periods, services
from compliance.models import Rule
from meetings.models import Meeting, MeetingProblem
from organizations.models import Unit, UnitKind

CHUNK = 1000
DEFAULT_SECONDS = 24 * 3600
# Audit actions after which a kept overview may be out of date.
RELEVANT_ACTIONS = ("meetings.", "organizations.", "committees.", "compliance.rule.")


def keep_seconds() -> int:
    return int(getattr(settings, "ZHIBU", {}).get("COMPLIANCE_OVERVIEW_SECONDS", DEFAULT_SECONDS))


def fingerprint() -> tuple:
    """What the overview depends on, in one query (see the module doc)."""
    relevant = Q()
    for prefix in RELEVANT_ACTIONS:
        relevant |= Q(action__startswith=prefix)
    newest = [
        (Meeting.objects.all(), ("pk", "updated_at")),
        (Meeting.kinds.through.objects.all(), ("pk",)),
        (MeetingProblem.objects.all(), ("pk",)),
        (CommitteeTerm.objects.all(), ("pk", "updated_at")),
        (TermMember.objects.all(), ("pk",)),
        (Rule.objects.all(), ("pk", "created_at")),
        (AuditEntry.objects.filter(relevant), ("pk", "created_at")),
    ]
    newest.append((Unit.objects.all(), ("pk", "updated_at")))
    parts, params = [], []
    for qs, fields in newest:
        for f in fields:
            sql, p = qs.order_by("-pk").values(f)[:1].query.sql_with_params()
            parts.append(f"({sql})")
            params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return tuple(str(v) for v in cursor.fetchone())


def scope_key(units_qs) -> str:
    """The scope, as the SQL selecting its units (the grants' paths are in it)."""
    sql, params = units_qs.order_by("pk").values("pk").query.sql_with_params()
    return sql + repr(params)


@dataclass
class Overview:
    """What the committee dashboard and the home page show for a scope, year and as-of day."""

    year: int
    as_of: datetime.date
    computed_at: datetime.datetime
    totals: dict[str, int]
    rates: list[dashboards.RuleRate]
    worst: list[dashboards.BranchRow]
    branch_count: int
    key: str = ""
    rows: BranchRows | None = field(default=None, repr=False)


def _pack(row: dashboards.BranchRow) -> tuple:
    return (
        row.unit_id,
        row.name,
        row.missed,
        row.due,
        row.met,
        tuple((m.status, tuple(sorted(m.counts.items()))) for m in row.months),
    )


def _unpack(packed: tuple, year: int) -> dashboards.BranchRow:
    unit_id, name, missed, due, met, months = packed
    return dashboards.BranchRow(
        unit_id,
        name,
        [
            dashboards.MonthSummary(periods.month_span(year, i).label, status, dict(counts))
            for i, (status, counts) in enumerate(months, start=1)
        ],
        missed=missed,
        due=due,
        met=met,
    )


class BranchRows:
    """The overview's branch rows (worst first) as a sliceable sequence for the Paginator;
    reads only the chunks a slice needs."""

    def __init__(self, overview: Overview, loaded: list[dashboards.BranchRow] | None, recompute):
        self._overview = overview
        self._loaded = loaded
        self._recompute = recompute

    def __len__(self) -> int:
        return self._overview.branch_count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        if self._loaded is not None:
            return self._loaded[start:stop]
        if stop <= start:
            return []
        keys = [f"{self._overview.key}:rows:{i}" for i in range(start // CHUNK, (stop - 1) // CHUNK + 1)]
        found = cache.get_many(keys)
        if len(found) < len(keys):  # evicted: compute again (and keep again)
            self._loaded = self._recompute()
            return self._loaded[start:stop]
        packed = [row for k in keys for row in found[k]]
        offset = (start // CHUNK) * CHUNK
        return [_unpack(p, self._overview.year) for p in packed[start - offset : stop - offset]]


def _compute(units_qs, year: int, as_of: datetime.date, key: str) -> tuple[Overview, list[dashboards.BranchRow]]:
    unit_list = services.unit_facts(units_qs)
    rules = services.rule_facts()
    counted = services.meeting_tally(year, rules, units_qs)
    secretaries = services.secretary_seats(units_qs)
    cells = engine.evaluate_counts(unit_list, rules, counted, secretaries, year=year, as_of=as_of)
    branches = [(u.id, u.name) for u in unit_list if u.kind == UnitKind.BRANCH]
    rows = dashboards.heatmap_rows(cells, branches, {u.id: u.parent_id for u in unit_list}, year)
    rows.sort(key=lambda r: (-r.missed, -r.due, r.name))  # the worst gaps first
    totals = dict.fromkeys(engine.STATUSES, 0)
    for c in cells:
        totals[c.status] += 1
    overview = Overview(
        year=year,
        as_of=as_of,
        computed_at=timezone.now(),
        totals=totals,
        rates=dashboards.rule_rates(cells),
        worst=dashboards.worst_branches(rows[:CHUNK], limit=10),
        branch_count=len(rows),
        key=key,
    )
    del cells
    stored = {key: {k: v for k, v in overview.__dict__.items() if k != "rows"}}
    for i in range(0, len(rows), CHUNK):
        stored[f"{key}:rows:{i // CHUNK}"] = [_pack(r) for r in rows[i : i + CHUNK]]
    seconds = keep_seconds()
    # The chunks first and the summary last: a reader that finds the summary finds its rows.
    cache.set_many({k: v for k, v in stored.items() if k != key}, seconds)
    cache.set(key, stored[key], seconds)
    return overview, rows


def overview(units_qs, year: int, as_of: datetime.date) -> Overview:
    """The overview of the units of ``units_qs`` for ``year`` as of ``as_of``: from the cache
    when nothing it depends on changed, otherwise computed (and kept)."""
    digest = hashlib.sha256(repr((scope_key(units_qs), year, as_of.isoformat(), fingerprint())).encode()).hexdigest()
    key = f"compliance:overview:{digest}"

    def recompute():
        return _compute(units_qs, year, as_of, key)[1]

    kept = cache.get(key)
    if kept is not None:
        result = Overview(**kept)
        result.rows = BranchRows(result, None, recompute)
        return result
    result, rows = _compute(units_qs, year, as_of, key)
    result.rows = BranchRows(result, rows, recompute)
    return result
