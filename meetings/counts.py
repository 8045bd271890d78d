"""Meetings counted per unit, kind and month (``MeetingCount``), kept in step with the records.

The counts are derived data. They are never incremented or decremented: ``refresh`` recounts
the whole year of the units concerned from the meeting records, inside the caller's
transaction, so an edit that moves a meeting to another month or changes its kinds, an archived
or restored record, and two secretaries recording at the same time all end in the counts the
records give. The units' rows are locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
writes one at a time anyway), so two transactions recounting the same unit take turns and the
second sees the first's meeting.

``counts_changed`` is sent inside the same transaction after every refresh; it is an extension
point for what is derived from the counts in turn (the compliance standings listen to it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q
from django.dispatch import Signal

from meetings import planning
from meetings.models import MONTH_FIELDS, Meeting, MeetingCount
from organizations.models import Unit

# Sent with ``unit_ids`` and ``years`` (frozensets) after their counts were recounted.
counts_changed = Signal()


def grouped(year: int, unit_ids: Iterable[int] | None = None):
    """(unit_id, kind_id, m01, …, m12) of ``year``'s meetings that are not archived: one row
    per unit and kind, one count per month, by the meeting's date (never its entry date)."""
    rows = Meeting.kinds.through.objects.filter(
        meeting__date__gte=datetime.date(year, 1, 1),
        meeting__date__lte=datetime.date(year, 12, 31),
        meeting__archived_at__isnull=True,
    ).order_by()
    if unit_ids is not None:
        rows = rows.filter(meeting__unit_id__in=list(unit_ids))
    by_month = {
        field: Count("pk", filter=Q(meeting__date__range=planning.month_bounds(year, month)))
        for month, field in enumerate(MONTH_FIELDS, start=1)
    }
    return rows.values_list("meeting__unit_id", "meetingkind_id").annotate(**by_month)


def refresh(unit_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recount ``years`` of ``unit_ids`` from the records (call it inside the transaction that
    changed them)."""
    unit_ids, years = sorted(set(unit_ids)), sorted(set(years))
    if not unit_ids or not years:
        return
    with transaction.atomic():
        # Lock the units: concurrent recounts of one unit take turns (see the module doc).
        list(Unit.objects.select_for_update().filter(pk__in=unit_ids).order_by("pk").values_list("pk", flat=True))
        MeetingCount.objects.filter(unit_id__in=unit_ids, year__in=years).delete()
        rows = [
            MeetingCount(unit_id=unit_id, kind_id=kind_id, year=year, **dict(zip(MONTH_FIELDS, months, strict=True)))
            for year in years
            for unit_id, kind_id, *months in grouped(year, unit_ids)
        ]
        MeetingCount.objects.bulk_create(rows)
        counts_changed.send(sender=MeetingCount, unit_ids=frozenset(unit_ids), years=frozenset(years))


def meeting_years() -> list[int]:
    """The years in which any meeting record is dated."""
    dates = Meeting.objects.order_by().values_list("date", flat=True)
    first, last = dates.order_by("date").first(), dates.order_by("-date").first()
    return list(range(first.year, last.year + 1)) if first else []


def rebuild(years: Iterable[int] | None = None) -> int:
    """Recount every unit's ``years`` (default: every year with meetings) in the database, one
    ``INSERT … SELECT`` per year. Returns the number of rows written."""
    years = sorted(set(meeting_years() if years is None else years))
    table = MeetingCount._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in ("unit_id", "kind_id", *MONTH_FIELDS, "year"))
    written = 0
    with transaction.atomic():
        MeetingCount.objects.filter(year__in=years).delete()
        with connection.cursor() as cursor:
            for year in years:
                sql, params = grouped(year).query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) SELECT counted.*, %s FROM ({sql}) counted",
                    (year, *params),
                )
                written += max(cursor.rowcount, 0)
        units = MeetingCount.objects.filter(year__in=years).values_list("unit_id", flat=True).distinct()
        counts_changed.send(sender=MeetingCount, unit_ids=frozenset(units), years=frozenset(years))
    return written


def differences(years: Iterable[int] | None = None) -> list[tuple[int, int, int, tuple, tuple]]:
    """(unit_id, kind_id, year, kept, recounted) wherever the kept counts differ from the records."""
    years = sorted(set(meeting_years() if years is None else years))
    kept = {
        (row[0], row[1], row[2]): tuple(row[3:])
        for row in MeetingCount.objects.filter(year__in=years).values_list("unit_id", "kind_id", "year", *MONTH_FIELDS)
    }
    actual = {}
    for year in years:
        for unit_id, kind_id, *months in grouped(year):
            actual[(unit_id, kind_id, year)] = tuple(months)
    zero = (0,) * 12
    out = []
    for key in sorted(set(kept) | set(actual)):
        a, b = kept.get(key, zero), actual.get(key, zero)
        if a != b:
            out.append((*key, a, b))
    return out
