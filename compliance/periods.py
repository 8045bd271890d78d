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
    """The day ``year`` is judged as of when none is asked: today, whatever the year. A year
    that is over has its months, quarters and calendar year closed (met or missed); its 年度
    rules (the 组织生活会, judged at the committee's deadline early in the next year) count
    the meetings held for it by today, and are due until the deadline. (Before the 年度 rule
    this was the next 1 January, which would hide a 组织生活会 held in January for the year.)"""
    return today


def default_annual_deadline(year: int) -> datetime.date:
    """The default day the 年度 ``year``'s 组织生活会 is judged at: the end of February of the
    next year (docs/rules.md gives the sources; the committee sets it per year)."""
    return last_day_of_month(year + 1, 2)


def judged_month(year: int, as_of: datetime.date) -> int:
    """Which month of ``year`` ``as_of`` falls in: 1–12; 13 once the year is over; 0 before it
    begins. (The kept standings also record the day they were judged as of: meetings held
    after ``as_of`` do not count yet, so two days of one month may differ.)"""
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
