"""Integrity signals of meeting records and the risk score of a branch (pure: no ORM).

Each signal says, in plain Chinese, why a record deserves a second look. None of them proves
anything by itself; the inspector reads the record. ``integrity.services`` loads the facts with a
fixed number of queries and calls these functions; the tests call them with plain values.

| signal               | fires when                                                                  |
|----------------------|-----------------------------------------------------------------------------|
| backfilled           | the record was marked 补录 at entry (entered > LATE_ENTRY_DAYS after it)    |
| edited_after_lock    | an audit entry meetings.meeting.changed is dated after the record locked   |
| near_duplicate       | the minutes score >= threshold against an earlier record of the same branch |
|                      | (the later record is flagged) or any record of another branch (both are)    |
| impossible_attendance| one member is present at two meetings whose times overlap on the same date  |
| over_attendance      | more members present than the unit had members on that date                 |
| unit_not_existing    | the meeting is dated before the unit was founded or on/after its dissolution|

Risk score of a branch over a period: every flagged record adds the weight of its signal type
(``WEIGHTS``) to the branch's points (a record flagged twice for the same type counts once), and
the score is ``100 × (1 − e^(−points / 100))``: 0 points → 0, 25 → 22, 50 → 39, 100 → 63,
200 → 86, approaching 100 without reaching it, so branches with many signals still rank apart
(a plain cap at 100 would tie them, and a weighted draw would not tell them apart).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BACKFILLED = "backfilled"
EDITED_AFTER_LOCK = "edited_after_lock"
NEAR_DUPLICATE = "near_duplicate"
IMPOSSIBLE_ATTENDANCE = "impossible_attendance"
OVER_ATTENDANCE = "over_attendance"
UNIT_NOT_EXISTING = "unit_not_existing"

KINDS = (
    NEAR_DUPLICATE,
    IMPOSSIBLE_ATTENDANCE,
    OVER_ATTENDANCE,
    UNIT_NOT_EXISTING,
    EDITED_AFTER_LOCK,
    BACKFILLED,
)
LABELS = {
    BACKFILLED: gettext_lazy("补录"),
    EDITED_AFTER_LOCK: gettext_lazy("锁定后修改"),
    NEAR_DUPLICATE: gettext_lazy("纪要雷同"),
    IMPOSSIBLE_ATTENDANCE: gettext_lazy("出席时间冲突"),
    OVER_ATTENDANCE: gettext_lazy("出席人数超过党员人数"),
    UNIT_NOT_EXISTING: gettext_lazy("会议日期组织不存在"),
}
# Points a flagged record adds to its branch's risk score, and why that much.
WEIGHTS = {
    # Facts that cannot be true as recorded: the record is wrong somewhere.
    IMPOSSIBLE_ATTENDANCE: 25,
    OVER_ATTENDANCE: 25,
    UNIT_NOT_EXISTING: 25,
    # Copied minutes: the text does not describe its own meeting.
    NEAR_DUPLICATE: 15,
    # Changed after the record locked: legitimate corrections happen, each carries a reason.
    EDITED_AFTER_LOCK: 10,
    # Entered late: common and often innocent (a busy month), but a pattern matters.
    BACKFILLED: 5,
}
WEIGHT_REASONS = {
    IMPOSSIBLE_ATTENDANCE: gettext_lazy("记录所述情况不可能同时成立"),
    OVER_ATTENDANCE: gettext_lazy("记录所述情况不可能成立"),
    UNIT_NOT_EXISTING: gettext_lazy("记录所述情况不可能成立"),
    NEAR_DUPLICATE: gettext_lazy("纪要可能并非本次会议的真实记录"),
    EDITED_AFTER_LOCK: gettext_lazy("更正常有正当理由，每次均留有理由"),
    BACKFILLED: gettext_lazy("补录多属工作繁忙，成规律时才值得关注"),
}
MAX_SCORE = 100.0
POINTS_SCALE = 100.0


def score_of(points: float) -> float:
    """Points (sum of weights) to a 0..100 score that keeps rising with the points."""
    return round(MAX_SCORE * (1 - math.exp(-points / POINTS_SCALE)), 1)


@dataclass(frozen=True)
class MeetingFact:
    """What the signals look at for one record."""

    id: int
    unit_id: int
    unit_name: str
    branch_id: int  # the branch itself, or the branch of a party group
    branch_name: str
    date: datetime.date
    topic: str = ""
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    entered_on: datetime.date | None = None
    late_entry: bool = False
    present_ids: frozenset[int] = frozenset()
    unit_founded_on: datetime.date | None = None
    unit_dissolved_on: datetime.date | None = None


@dataclass(frozen=True)
class Edit:
    meeting_id: int
    edited_on: datetime.date
    reason: str = ""


@dataclass(frozen=True)
class Signal:
    kind: str
    meeting_id: int
    branch_id: int
    explanation: str
    # The other record (near-duplicates, attendance conflicts) and, for near-duplicates, the score.
    related_id: int | None = None
    score: float | None = None
    # The explanation without the other record's details (for readers who may not see it).
    explanation_limited: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def text_for_limited(self) -> str:
        return self.explanation_limited or self.explanation


def _day(value: datetime.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def _time_span(m: MeetingFact) -> str:
    if m.start_time is None:
        return ""
    if m.end_time is None:
        return m.start_time.strftime("%H:%M")
    return f"{m.start_time:%H:%M}–{m.end_time:%H:%M}"


def _record(m: MeetingFact) -> str:
    return _("%(unit)s%(date)s的“%(topic)s”") % {"unit": m.unit_name, "date": _day(m.date), "topic": m.topic}


# ---------------------------------------------------------------------------------------------
# One signal type each


def backfilled(m: MeetingFact) -> Signal | None:
    if not m.late_entry or m.entered_on is None:
        return None
    days = (m.entered_on - m.date).days
    text = _("会议于%(date)s召开，%(entered)s才录入，晚%(days)s天（补录）。") % {
        "date": _day(m.date),
        "entered": _day(m.entered_on),
        "days": days,
    }
    return Signal(BACKFILLED, m.id, m.branch_id, text)


def edited_after_lock(m: MeetingFact, edits: Iterable[Edit], *, late_days: int) -> Signal | None:
    """One signal listing each change made after the record locked (late_days after entry)."""
    if m.entered_on is None:
        return None
    locked_on = m.entered_on + datetime.timedelta(days=late_days)
    late = sorted((e for e in edits if e.meeting_id == m.id and e.edited_on > locked_on), key=lambda e: e.edited_on)
    if not late:
        return None
    parts = [
        _("%(date)s（理由：%(reason)s）") % {"date": _day(e.edited_on), "reason": e.reason or _("未填写")} for e in late
    ]
    text = _("记录于%(entered)s录入，%(days)s天后锁定；锁定后又修改%(count)s次：%(edits)s。") % {
        "entered": _day(m.entered_on),
        "days": late_days,
        "count": len(late),
        "edits": "；".join(parts),
    }
    return Signal(EDITED_AFTER_LOCK, m.id, m.branch_id, text)


def _overlap(a: MeetingFact, b: MeetingFact) -> bool:
    """Times overlap on the same date. A meeting without a start time is never judged; one
    without an end time lasts an instant."""
    if a.date != b.date or a.start_time is None or b.start_time is None:
        return False
    if a.start_time == b.start_time:
        return True
    a_end = a.end_time or a.start_time
    b_end = b.end_time or b.start_time
    return a.start_time < b_end and b.start_time < a_end


def impossible_attendance(meetings: Iterable[MeetingFact], names: Mapping[int, str]) -> list[Signal]:
    """A member present at two meetings whose times overlap: both records are flagged."""
    by_day: dict[datetime.date, list[MeetingFact]] = defaultdict(list)
    for m in meetings:
        if m.present_ids and m.start_time is not None:
            by_day[m.date].append(m)
    found = []
    for day_meetings in by_day.values():
        day_meetings.sort(key=lambda m: (m.start_time, m.id))
        for a, b in combinations(day_meetings, 2):
            both = a.present_ids & b.present_ids
            if not both or not _overlap(a, b):
                continue
            people = "、".join(sorted(names.get(i, str(i)) for i in both))
            for this, other in ((a, b), (b, a)):
                values = {
                    "people": people,
                    "count": len(both),
                    "this": _time_span(this),
                    "other": _record(other),
                    "other_time": _time_span(other),
                }
                text = (
                    _(
                        "%(people)s（%(count)s人）记为出席本次会议（%(this)s），"
                        "同时又记为出席%(other)s（%(other_time)s），两会时间重叠。"
                    )
                    % values
                )
                limited = (
                    _(
                        "%(people)s（%(count)s人）记为出席本次会议（%(this)s），"
                        "同时又记为出席同日另一场时间重叠的会议（%(other_time)s）。"
                    )
                    % values
                )
                found.append(Signal(IMPOSSIBLE_ATTENDANCE, this.id, this.branch_id, text, other.id, None, limited))
    return found


def members_on(memberships: Iterable[tuple[datetime.date, datetime.date | None]], day: datetime.date) -> int:
    """How many membership rows (start_on, end_on) cover day (end_on exclusive)."""
    return sum(1 for start, end in memberships if start <= day and (end is None or end > day))


def over_attendance(m: MeetingFact, membership_count: int) -> Signal | None:
    present = len(m.present_ids)
    if present <= membership_count:
        return None
    text = _("记为出席%(present)s人，而%(unit)s在%(date)s只有党员%(count)s人。") % {
        "present": present,
        "unit": m.unit_name,
        "date": _day(m.date),
        "count": membership_count,
    }
    return Signal(OVER_ATTENDANCE, m.id, m.branch_id, text)


def unit_not_existing(m: MeetingFact) -> Signal | None:
    if m.unit_founded_on is not None and m.date < m.unit_founded_on:
        text = _("会议日期%(date)s早于%(unit)s的成立日期%(founded)s。") % {
            "date": _day(m.date),
            "unit": m.unit_name,
            "founded": _day(m.unit_founded_on),
        }
        return Signal(UNIT_NOT_EXISTING, m.id, m.branch_id, text)
    if m.unit_dissolved_on is not None and m.date >= m.unit_dissolved_on:
        text = _("会议日期%(date)s时%(unit)s已于%(dissolved)s撤销。") % {
            "date": _day(m.date),
            "unit": m.unit_name,
            "dissolved": _day(m.unit_dissolved_on),
        }
        return Signal(UNIT_NOT_EXISTING, m.id, m.branch_id, text)
    return None


def near_duplicates(pairs: Iterable[tuple[int, int, float]], meetings: Mapping[int, MeetingFact]) -> list[Signal]:
    """Signals from scored pairs of records. Within one branch only the later record is flagged
    (the earlier one is the original); across branches both are."""
    found = []
    for a_id, b_id, score in pairs:
        a, b = meetings.get(a_id), meetings.get(b_id)
        if a is None or b is None:
            continue
        earlier, later = sorted((a, b), key=lambda m: (m.date, m.entered_on or m.date, m.id))
        targets = [(later, earlier)] if a.branch_id == b.branch_id else [(later, earlier), (earlier, later)]
        for this, other in targets:
            values = {"percent": round(score * 100), "other": _record(other)}
            if this.branch_id == other.branch_id:
                text = _("会议纪要与本支部此前%(other)s的纪要相似度%(percent)s%%。") % values
                limited = text
            else:
                text = _("会议纪要与%(other)s的纪要相似度%(percent)s%%。") % values
                limited = _("会议纪要与其他支部一条记录的纪要相似度%(percent)s%%。") % values
            found.append(Signal(NEAR_DUPLICATE, this.id, this.branch_id, text, other.id, score, limited))
    return found


# ---------------------------------------------------------------------------------------------
# All signals and the risk score


@dataclass
class SignalInputs:
    meetings: Sequence[MeetingFact]
    names: Mapping[int, str] = field(default_factory=dict)
    edits: Sequence[Edit] = ()
    # unit id -> [(start_on, end_on)] of its membership rows (branch or party group)
    memberships: Mapping[int, Sequence[tuple[datetime.date, datetime.date | None]]] = field(default_factory=dict)
    pairs: Sequence[tuple[int, int, float]] = ()
    late_days: int = 7
    # Context records that may be named by pairs or conflicts but are not themselves judged.
    context: Mapping[int, MeetingFact] = field(default_factory=dict)


def collect(inputs: SignalInputs) -> list[Signal]:
    """Every signal of inputs.meetings, in a stable order (record date, then signal type)."""
    judged = {m.id: m for m in inputs.meetings}
    edits_by_meeting: dict[int, list[Edit]] = defaultdict(list)
    for e in inputs.edits:
        edits_by_meeting[e.meeting_id].append(e)
    found: list[Signal] = []
    for m in inputs.meetings:
        for signal in (
            backfilled(m),
            edited_after_lock(m, edits_by_meeting.get(m.id, ()), late_days=inputs.late_days),
            unit_not_existing(m),
            over_attendance(m, members_on(inputs.memberships.get(m.unit_id, ()), m.date))
            if m.unit_id in inputs.memberships
            else None,
        ):
            if signal is not None:
                found.append(signal)
    every = {**inputs.context, **judged}
    found += [s for s in impossible_attendance(every.values(), inputs.names) if s.meeting_id in judged]
    found += [s for s in near_duplicates(inputs.pairs, every) if s.meeting_id in judged]
    order = {kind: i for i, kind in enumerate(KINDS)}
    dates = {m.id: m.date for m in inputs.meetings}
    found.sort(key=lambda s: (dates[s.meeting_id], s.meeting_id, order[s.kind], s.related_id or 0))
    return found


@dataclass
class BranchRisk:
    score: float
    reasons: list[str]
    counts: dict[str, int]
    points: int = 0


def risk(signals: Iterable[Signal]) -> BranchRisk:
    """Score of one branch's signals: WEIGHTS per flagged record and type, through score_of."""
    flagged: dict[str, set[int]] = defaultdict(set)
    for s in signals:
        flagged[s.kind].add(s.meeting_id)
    counts = {kind: len(flagged.get(kind, ())) for kind in KINDS}
    points = sum(WEIGHTS[kind] * n for kind, n in counts.items())
    reasons = [
        _("%(label)s %(count)s条（每条%(weight)s分，%(why)s）")
        % {"label": LABELS[kind], "count": n, "weight": WEIGHTS[kind], "why": WEIGHT_REASONS[kind]}
        for kind, n in counts.items()
        if n
    ]
    return BranchRisk(score_of(points), reasons, counts, points)


def branch_risks(signals: Iterable[Signal], branch_ids: Iterable[int]) -> dict[int, BranchRisk]:
    by_branch: dict[int, list[Signal]] = defaultdict(list)
    for s in signals:
        by_branch[s.branch_id].append(s)
    return {b: risk(by_branch.get(b, ())) for b in branch_ids}
