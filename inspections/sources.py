"""What a spot-check draw can sample per branch: one ``RecordSource`` per ``RecordType``.

A source lists a period's candidate records of the given branches as ``(date iso, id)`` pairs,
set-based (one query whatever the number of branches), fetches the drawn records for display,
and names the page of a record. Rectification items or other record types join by adding a
``RecordType`` value and a source here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.models import RecordType
from meetings.models import Meeting
from organizations.models import PATH_STEP, Unit


def _branch_of(path: str, by_path: dict[str, int]) -> int | None:
    """The branch (of ``by_path``) whose subtree holds the unit at ``path``."""
    for i in range(len(path), 0, -PATH_STEP):
        found = by_path.get(path[:i])
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class RecordSource:
    code: str

    def candidates(self, units: Iterable[Unit], start: datetime.date, end: datetime.date) -> dict[int, list]:
        raise NotImplementedError

    def fetch(self, ids: Iterable[int]) -> dict[int, object]:
        raise NotImplementedError

    def url(self, record) -> str:
        raise NotImplementedError

    def describe(self, record) -> str:
        raise NotImplementedError


class MeetingSource(RecordSource):
    """Meeting records (not archived) of the branch and its party groups, by meeting date."""

    def candidates(self, units, start, end):
        by_path = {u.path: u.pk for u in units}
        out: dict[int, list] = {pk: [] for pk in by_path.values()}
        if not by_path:
            return out
        under = Q()
        for path in by_path:
            under |= Q(unit__path__startswith=path)
        rows = Meeting.objects.active().held_between(start, end).filter(under).values_list("id", "date", "unit__path")
        for pk, day, path in rows:
            branch = _branch_of(path, by_path)
            if branch is not None:
                out[branch].append((day.isoformat(), pk))
        for records in out.values():
            records.sort()
        return out

    def fetch(self, ids):
        qs = Meeting.objects.filter(pk__in=list(ids)).select_related("unit").prefetch_related("kinds")
        return {m.pk: m for m in qs}

    def url(self, record):
        return reverse("meetings:meeting.detail", args=[record.pk])

    def describe(self, record):
        kinds = "、".join(k.name for k in sorted(record.kinds.all(), key=lambda k: (k.sort_order, k.pk)))
        text = f"{record.date:%Y-%m-%d} {record.topic}"
        if kinds:
            text += _("（%(kinds)s）") % {"kinds": kinds}
        if record.late_entry:
            text += _(" [补录]")
        return text


SOURCES: dict[str, RecordSource] = {RecordType.MEETING: MeetingSource(RecordType.MEETING)}


def source_for(code: str) -> RecordSource:
    return SOURCES[code]
