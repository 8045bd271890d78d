"""The public-holiday calendar every layer counts on: 公示 periods (recognition) and the fixed
study day (study).

A day is a working day when it is an adjusted workday (调休上班, usually a Saturday or Sunday), or
when it is Monday–Friday and not a public holiday. The holidays and adjusted workdays are the
``WorkdayCalendar`` rows, which staff keep up to date each year from the State Council General
Office's notice (国务院办公厅关于部分节假日安排的通知). Before a year's notice is entered, the
statutory holidays with a fixed Gregorian date still count: 元旦 1 January, 劳动节 1–2 May and
国庆节 1–3 October (全国年节及纪念日放假办法, 国务院令第795号, 2024年11月修订, in force from
2025-01-01). The lunar holidays (春节, 清明节, 端午节, 中秋节) and the bridging days come only
from the notice.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

# (month, day) of the statutory holidays with a fixed Gregorian date.
STATUTORY_FIXED_DAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


def is_workday(
    day: datetime.date, holidays: Collection[datetime.date], adjusted_workdays: Collection[datetime.date]
) -> bool:
    if day in adjusted_workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def statutory_days(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The fixed-date statutory holidays between ``start`` and ``end`` (inclusive)."""
    out = set()
    for year in range(start.year, end.year + 1):
        for month, day in STATUTORY_FIXED_DAYS:
            d = datetime.date(year, month, day)
            if start <= d <= end:
                out.add(d)
    return out


def calendar_sets(start: datetime.date, end: datetime.date) -> tuple[set[datetime.date], set[datetime.date]]:
    """(holidays, adjusted workdays) between ``start`` and ``end`` (one query): the calendar's rows
    and the statutory fixed-date holidays."""
    from common.models import WorkdayCalendar

    holidays, adjusted = set(), set()
    for day, workday in WorkdayCalendar.objects.filter(date__gte=start, date__lte=end).values_list(
        "date", "is_workday"
    ):
        (adjusted if workday else holidays).add(day)
    return holidays | statutory_days(start, end), adjusted
