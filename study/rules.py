"""Pure study rules (no ORM): hours of a meeting, the yearly ledger, the fixed study day's dates,
and the clean-governance counts. Plain values in, plain values out."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common import calendar_words
from common.holidays import is_workday

HALF = Decimal("0.5")
ZERO = Decimal("0")

NTH_WEEKDAY = "nth_weekday"
LAST_WEEKDAY = "last_weekday"
DAY_OF_MONTH = "day_of_month"

WARNING_EDUCATION = "warning_education"
INTEGRITY_STUDY = "integrity_study"
INTEGRITY_THEME = "integrity"
STUDY_DAY = "study_day"

# ---------------------------------------------------------------------------------------------
# Hours


def meeting_hours(start: datetime.time | None, end: datetime.time | None, default: Decimal) -> Decimal:
    """A meeting's study hours: its duration rounded to the nearest half hour (a quarter hour
    rounds up). Without both times, or with an end not after the start, ``default``."""
    if start is None or end is None or end <= start:
        return Decimal(default)
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    halves = (Decimal(minutes) / 30).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return halves * HALF


def target_for(is_leader: bool, member_target: Decimal, leader_target: Decimal) -> Decimal:
    """The yearly target: 56 for those who held a committee seat during the year, else 32."""
    return Decimal(leader_target) if is_leader else Decimal(member_target)


@dataclass(frozen=True)
class YearSettings:
    year: int
    member_target: Decimal
    leader_target: Decimal
    default_meeting_hours: Decimal
    counted_kinds: frozenset[str]


@dataclass(frozen=True)
class MeetingFact:
    """A meeting a member was present at (one per sitting, whatever its kinds)."""

    id: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    topic: str
    unit_name: str
    kind_codes: frozenset[str]
    kind_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordFact:
    id: int
    date: datetime.date
    title: str
    hours: Decimal


@dataclass(frozen=True)
class MeetingCredit:
    meeting: MeetingFact
    hours: Decimal
    timed: bool  # False: the default hours were used


@dataclass
class LedgerRow:
    member_id: int
    name: str
    is_leader: bool
    target: Decimal
    meetings: list[MeetingCredit] = field(default_factory=list)
    records: list[RecordFact] = field(default_factory=list)

    @property
    def meeting_hours(self) -> Decimal:
        return sum((c.hours for c in self.meetings), ZERO)

    @property
    def record_hours(self) -> Decimal:
        return sum((r.hours for r in self.records), ZERO)

    @property
    def total(self) -> Decimal:
        return self.meeting_hours + self.record_hours

    @property
    def met(self) -> bool:
        return self.total >= self.target

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.total, ZERO)

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, int(self.total * 100 / self.target))


def credit_meetings(meetings: Iterable[MeetingFact], settings: YearSettings) -> list[MeetingCredit]:
    """The meetings that count as study in the year (a combined sitting once), with their hours."""
    seen: set[int] = set()
    out = []
    for m in sorted(meetings, key=lambda m: (m.date, m.id)):
        if m.id in seen or m.date.year != settings.year or not (m.kind_codes & settings.counted_kinds):
            continue
        seen.add(m.id)
        timed = m.start_time is not None and m.end_time is not None and m.end_time > m.start_time
        out.append(MeetingCredit(m, meeting_hours(m.start_time, m.end_time, settings.default_meeting_hours), timed))
    return out


def build_ledger(
    members: Iterable[tuple[int, str]],
    attended: dict[int, list[MeetingFact]],
    records: dict[int, list[RecordFact]],
    leaders: set[int],
    settings: YearSettings,
) -> list[LedgerRow]:
    """One row per member: hours from the meetings they were present at plus their confirmed
    records, against their target. ``records`` must hold confirmed records only."""
    rows = []
    for member_id, name in members:
        is_leader = member_id in leaders
        rows.append(
            LedgerRow(
                member_id=member_id,
                name=name,
                is_leader=is_leader,
                target=target_for(is_leader, settings.member_target, settings.leader_target),
                meetings=credit_meetings(attended.get(member_id, ()), settings),
                records=sorted(
                    (r for r in records.get(member_id, ()) if r.date.year == settings.year),
                    key=lambda r: (r.date, r.id),
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class Summary:
    total: int
    met: int
    average: Decimal
    hours: Decimal

    @property
    def rate(self) -> int:
        return int(self.met * 100 / self.total) if self.total else 0


def summarize(rows: Iterable[LedgerRow]) -> Summary:
    rows = list(rows)
    hours = sum((r.total for r in rows), ZERO)
    average = (hours / len(rows)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if rows else ZERO
    return Summary(total=len(rows), met=sum(1 for r in rows if r.met), average=average, hours=hours)


# ---------------------------------------------------------------------------------------------
# Individual records


def record_errors(data: dict, *, today: datetime.date) -> dict[str, str]:
    """What is wrong with a study record's input ({field: Chinese message})."""
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("学习内容：请填写学习的材料、书目或课程。")
    elif len(data["title"].strip()) > 200:
        errors["title"] = _("学习内容：不能超过 200 字。")
    day = data.get("date")
    if not isinstance(day, datetime.date):
        errors["date"] = _("学习日期：请填写学习的日期。")
    elif day > today:
        errors["date"] = _("学习日期：不能晚于今天（%(today)s）。") % {"today": today}
    hours = data.get("hours")
    if not isinstance(hours, Decimal | int):
        errors["hours"] = _("学时：请填写学时。")
    elif hours <= 0 or hours > 24:
        errors["hours"] = _("学时：须大于 0 且不超过 24。")
    elif (Decimal(hours) / HALF) % 1 != 0:
        errors["hours"] = _("学时：以 0.5 学时为单位填写。")
    return errors


# ---------------------------------------------------------------------------------------------
# The fixed study day


def month_day(year: int, month: int, mode: str, *, nth: int = 1, weekday: int = 4, day: int = 1) -> datetime.date:
    """The study day of one month."""
    last = calendar.monthrange(year, month)[1]
    if mode == DAY_OF_MONTH:
        return datetime.date(year, month, min(max(day, 1), last))
    if mode == LAST_WEEKDAY:
        d = datetime.date(year, month, last)
        return d - datetime.timedelta(days=(d.weekday() - weekday) % 7)
    if mode == NTH_WEEKDAY:
        first = datetime.date(year, month, 1)
        d = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
        return d + datetime.timedelta(weeks=min(max(nth, 1), 4) - 1)
    raise ValueError(f"unknown study day mode {mode!r}")


def off_day_moved(
    d: datetime.date, holidays: Collection[datetime.date], adjusted: Collection[datetime.date]
) -> datetime.date:
    """A study day that falls on a public holiday moves to the next working day of the same
    month; with none left in the month, to the working day before it (a month without any
    working day keeps the day). A day the rule itself puts on a weekend stays: the branch chose it."""
    if d not in holidays or d in adjusted:
        return d
    one = datetime.timedelta(days=1)
    later = d + one
    while later.month == d.month:
        if is_workday(later, holidays, adjusted):
            return later
        later += one
    earlier = d - one
    while earlier.month == d.month:
        if is_workday(earlier, holidays, adjusted):
            return earlier
        earlier -= one
    return d


def study_days(
    mode: str,
    start: datetime.date,
    end: datetime.date,
    *,
    nth: int = 1,
    weekday: int = 4,
    day: int = 1,
    holidays: Collection[datetime.date] | None = None,
    adjusted: Collection[datetime.date] = (),
) -> list[datetime.date]:
    """Every study day in [start, end] (a month's study day outside the range is left out).

    With ``holidays`` (the public-holiday calendar, ``common.holidays.calendar_sets``), a study
    day that falls on a day off is moved (``off_day_moved``); without, the rule's days as such."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        d = month_day(y, m, mode, nth=nth, weekday=weekday, day=day)
        if holidays is not None:
            d = off_day_moved(d, holidays, adjusted)
        if start <= d <= end:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


NTH_NAMES = ("", _lazy("第一个"), _lazy("第二个"), _lazy("第三个"), _lazy("第四个"))


def describe(mode: str, *, nth: int = 1, weekday: int = 4, day: int = 1) -> str:
    if mode == DAY_OF_MONTH:
        return _("每月%(day)s日") % {"day": day}
    name = calendar_words.WEEKDAYS[weekday % 7]
    if mode == LAST_WEEKDAY:
        return _("每月最后一个%(weekday)s") % {"weekday": name}
    return _("每月%(nth)s%(weekday)s") % {"nth": NTH_NAMES[min(max(nth, 1), 4)], "weekday": name}


@dataclass(frozen=True)
class MonthStatus:
    year: int
    month: int
    planned: datetime.date | None
    held: tuple[datetime.date, ...]

    @property
    def met(self) -> bool:
        return bool(self.held)


def study_day_months(year: int, planned: Iterable[datetime.date], held: Iterable[datetime.date]) -> list[MonthStatus]:
    """For each month of ``year``: its study day and the dates of the study_day meetings held."""
    planned_by = {(d.year, d.month): d for d in planned}
    held_by: dict[tuple[int, int], list[datetime.date]] = {}
    for d in sorted(held):
        held_by.setdefault((d.year, d.month), []).append(d)
    return [MonthStatus(year, m, planned_by.get((year, m)), tuple(held_by.get((year, m), ()))) for m in range(1, 13)]


# ---------------------------------------------------------------------------------------------
# Clean-governance education (廉政教育)


@dataclass
class IntegrityCount:
    warning: int = 0  # 警示教育基地参观
    study: int = 0  # 廉政学习
    themed: int = 0  # other meetings whose theme category is 廉政
    total: int = 0  # distinct meetings counted in any column

    def add(self, kind_codes: frozenset[str], theme: str) -> None:
        counted = False
        if WARNING_EDUCATION in kind_codes:
            self.warning += 1
            counted = True
        if INTEGRITY_STUDY in kind_codes:
            self.study += 1
            counted = True
        if not counted and theme == INTEGRITY_THEME:
            self.themed += 1
            counted = True
        if counted:
            self.total += 1


def integrity_counts(facts: Iterable[tuple[int, int, frozenset[str], str]]) -> dict[int, IntegrityCount]:
    """``facts``: (meeting id, branch id, kind codes, theme category). A meeting counts once per
    column it belongs to and once in ``total``, whatever the number of its rows."""
    out: dict[int, IntegrityCount] = {}
    seen: set[int] = set()
    for meeting_id, branch_id, codes, theme in facts:
        if meeting_id in seen:
            continue
        seen.add(meeting_id)
        out.setdefault(branch_id, IntegrityCount()).add(codes, theme)
    return out
