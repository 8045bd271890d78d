"""Working days under the Chinese public-holiday calendar (pure: no ORM).

A day is a working day when it is an adjusted workday (调休上班, usually a Saturday or Sunday), or
when it is Monday–Friday and not a public holiday. The holiday and adjusted-workday sets come
from ``common.holidays.calendar_sets`` (the ``WorkdayCalendar`` rows, which staff keep up to date
each year from the State Council General Office's notice, and the statutory fixed-date holidays).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from common.holidays import is_workday

ONE_DAY = datetime.timedelta(days=1)
# A notice longer than this is a data error, not a plan: stop instead of looping for ever.
MAX_DAYS = 366


def add_workdays(
    start: datetime.date,
    n: int,
    holidays: Collection[datetime.date] = (),
    adjusted_workdays: Collection[datetime.date] = (),
) -> datetime.date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted; ``n=0``
    returns ``start``). Weekends are off unless adjusted workdays; holidays are off."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n > MAX_DAYS:
        raise ValueError("n is too large")
    day = start
    left = n
    while left:
        day += ONE_DAY
        if is_workday(day, holidays, adjusted_workdays):
            left -= 1
    return day


def notice_end(
    start: datetime.date,
    n: int,
    holidays: Collection[datetime.date] = (),
    adjusted_workdays: Collection[datetime.date] = (),
) -> datetime.date:
    """Last day of a notice lasting ``n`` working days from ``start`` (counted if a working day)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return add_workdays(start - ONE_DAY, n, holidays, adjusted_workdays)
