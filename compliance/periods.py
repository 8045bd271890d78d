"""Period arithmetic for the rules: months, quarters and years, and their labels.

Pure (no ORM). Labels are ``"2025-03"`` (a month), ``"2025-Q1"`` (a quarter) and ``"2025"``
(a year); each period runs from its first to its last day, both included.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import NamedTuple

from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
KINDS = (MONTH, QUARTER, YEAR)

_LABEL = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


class Span(NamedTuple):
    kind: str
    label: str
    start: datetime.date
    end: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def text(self) -> str:
        """The period in Chinese: 2025年3月, 2025年第1季度, 2025年."""
        if self.kind == MONTH:
            return _("%(year)s年%(month)s月") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("%(year)s年第%(quarter)s季度") % {"year": self.start.year, "quarter": quarter_of(self.start)}
        return _("%(year)s年") % {"year": self.start.year}

    @property
    def this_text(self) -> str:
        """How the current period is called: 本月, 本季度, 本年度."""
        return {MONTH: _("本月"), QUARTER: _("本季度"), YEAR: _("本年度")}[self.kind]


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def last_day_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_span(year: int, month: int) -> Span:
    return Span(MONTH, f"{year:04d}-{month:02d}", datetime.date(year, month, 1), last_day_of_month(year, month))


def quarter_span(year: int, quarter: int) -> Span:
    first_month = 3 * (quarter - 1) + 1
    return Span(
        QUARTER,
        f"{year:04d}-Q{quarter}",
        datetime.date(year, first_month, 1),
        last_day_of_month(year, first_month + 2),
    )


def year_span(year: int) -> Span:
    return Span(YEAR, f"{year:04d}", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def span_containing(kind: str, day: datetime.date) -> Span:
    if kind == MONTH:
        return month_span(day.year, day.month)
    if kind == QUARTER:
        return quarter_span(day.year, quarter_of(day))
    if kind == YEAR:
        return year_span(day.year)
    raise ValueError(f"unknown period kind {kind!r}")


def spans_of_year(kind: str, year: int) -> list[Span]:
    """Every period of ``kind`` in ``year``, in order."""
    if kind == MONTH:
        return [month_span(year, m) for m in range(1, 13)]
    if kind == QUARTER:
        return [quarter_span(year, q) for q in range(1, 5)]
    if kind == YEAR:
        return [year_span(year)]
    raise ValueError(f"unknown period kind {kind!r}")


def spans_until(kind: str, year: int, as_of: datetime.date) -> list[Span]:
    """The periods of ``year`` that have begun by ``as_of`` (up to the one containing it)."""
    return [s for s in spans_of_year(kind, year) if s.start <= as_of]


def default_as_of(year: int, today: datetime.date) -> datetime.date:
    """The day ``year`` is judged as of when none is asked: today for this year (its current
    periods are still due) and for a future one (no cells yet); for a year that is over, the
    first day of the next year, so that December, the fourth quarter and the year itself are
    judged closed (met or missed) rather than due."""
    return datetime.date(year + 1, 1, 1) if year < today.year else today


def judged_month(year: int, as_of: datetime.date) -> int:
    """Which month of ``year`` ``as_of`` falls in: 1–12; 13 once the year is over; 0 before it
    begins. Periods begin and end with months, so every day with the same value gives the same
    cells."""
    if as_of.year > year:
        return 13
    if as_of.year < year:
        return 0
    return as_of.month


def parse_label(label: str) -> Span:
    """``"2025-03"`` / ``"2025-Q1"`` / ``"2025"`` → its Span; ValueError with a Chinese message."""
    m = _LABEL.match(label or "")
    if not m or (m["month"] and not 1 <= int(m["month"]) <= 12):
        raise ValueError(_("周期“%(label)s”无法识别，应写作 2025-03、2025-Q1 或 2025。") % {"label": label})
    year = int(m["year"])
    if m["month"]:
        return month_span(year, int(m["month"]))
    if m["quarter"]:
        return quarter_span(year, int(m["quarter"]))
    return year_span(year)
