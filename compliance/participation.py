"""Members' participation in organisational life: attendance rates, the lapse flag, and the
leading cadres' dual organisational life (双重组织生活).

The calculations are pure functions over plain facts (no ORM); ``load_*`` gathers the facts for
many members at once with a fixed number of queries, whatever the number of members.

What a member was *expected at*: the meetings of the units (branch or party group) they belonged
to on the meeting's date, where the record lists them as present or absent (an Attendance row).

Valid absence reasons for the lapse flag (a decision, documented here and on the page): 公差
(``official``) and 病假 (``sick``) excuse a month; 事假 (``personal``) and 其他 (``other``) do not.
A personal leave is the member's own choice, and "other" carries no reason the branch can weigh,
so neither keeps a member in organisational life for the 6-month test.

The lapse test looks at whole calendar months before the as-of date. A month counts toward a
lapse when the member attended no organisational life in it and had no valid absence; a month in
which no meeting listed them counts too (the explanation says so, since the branch may simply
not have recorded it). The months looked at start no earlier than the member's first branch
membership, the first meeting recorded for their branch, and 12 months (or LAPSE_MONTHS, if longer)
before the as-of date — so a branch that has just begun keeping records does not flag everybody.
A branch with no meeting on record at all flags nobody.
Whether to start the 自行脱党 procedure is the branch's decision; the system only flags and says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min, Prefetch, Q
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scope import get_scope
from meetings.models import AbsenceReason, Attendance, Meeting
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import PATH_STEP, Unit

VALID_ABSENCE_REASONS = frozenset({"official", "sick"})  # 公差、病假

# States of a member's calendar month.
ATTENDED = "attended"  # present at least once
EXCUSED = "excused"  # absent, with a valid reason at least once, never present
ABSENT = "absent"  # absent without a valid reason every time
NONE = "none"  # no meeting listed them that month

LAPSING_STATES = (ABSENT, NONE)

Month = tuple[int, int]


def lapse_months() -> int:
    return int(settings.ZHIBU["LAPSE_MONTHS"])


# ---------------------------------------------------------------------------------------------
# Pure calculation


@dataclass(frozen=True)
class AttendanceFact:
    """One Attendance row of a member, at a meeting they were expected at."""

    meeting_id: int
    date: datetime.date
    status: str  # "present" / "absent"
    reason: str = ""  # absence reason code, "" when present
    unit_id: int | None = None


@dataclass(frozen=True)
class Rate:
    present: int
    absent: int
    excused: int  # absences with a valid reason (included in ``absent``)

    @property
    def expected(self) -> int:
        return self.present + self.absent

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.0f}%"


def attendance_rate(facts: Iterable[AttendanceFact]) -> Rate:
    """present / (present + absent) over the meetings the member was expected at."""
    present = absent = excused = 0
    for f in facts:
        if f.status == "present":
            present += 1
        else:
            absent += 1
            if f.reason in VALID_ABSENCE_REASONS:
                excused += 1
    return Rate(present, absent, excused)


def month_of(day: datetime.date) -> Month:
    return (day.year, day.month)


def next_month(m: Month) -> Month:
    return (m[0] + 1, 1) if m[1] == 12 else (m[0], m[1] + 1)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    out, m = [], first
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out


def month_states(facts: Iterable[AttendanceFact], months: Iterable[Month]) -> dict[Month, str]:
    """The state of each month: attended, excused (valid absence only), absent or none."""
    states = dict.fromkeys(months, NONE)
    rank = {NONE: 0, ABSENT: 1, EXCUSED: 2, ATTENDED: 3}
    for f in facts:
        m = month_of(f.date)
        if m not in states:
            continue
        if f.status == "present":
            state = ATTENDED
        elif f.reason in VALID_ABSENCE_REASONS:
            state = EXCUSED
        else:
            state = ABSENT
        if rank[state] > rank[states[m]]:
            states[m] = state
    return states


def months_attended(facts: Iterable[AttendanceFact]) -> int:
    """Number of calendar months in which the member was present at least once."""
    return len({month_of(f.date) for f in facts if f.status == "present"})


def month_text(m: Month) -> str:
    return _("%(year)s年%(month)s月") % {"year": m[0], "month": m[1]}


@dataclass(frozen=True)
class Lapse:
    """A run of consecutive months without organisational life and without a valid reason."""

    months: tuple[Month, ...]
    states: tuple[str, ...]
    reasons: tuple[str, ...]  # the invalid absence reasons seen in each month, "、"-joined labels
    ongoing: bool  # the run reaches the last complete month

    @property
    def length(self) -> int:
        return len(self.months)

    @property
    def start_label(self) -> str:
        return f"{self.months[0][0]:04d}-{self.months[0][1]:02d}"

    @property
    def explanation(self) -> str:
        parts = []
        for m, state, reasons in zip(self.months, self.states, self.reasons, strict=True):
            if state == ABSENT:
                parts.append(_("%(month)s缺席（%(reasons)s）") % {"month": month_text(m), "reasons": reasons})
            else:
                parts.append(_("%(month)s无其参加组织生活的记录") % {"month": month_text(m)})
        text = _("%(first)s至%(last)s连续%(n)s个月未参加组织生活，且没有公差、病假等正当理由：%(months)s。") % {
            "first": month_text(self.months[0]),
            "last": month_text(self.months[-1]),
            "n": self.length,
            "months": "；".join(parts),
        }
        if not self.ongoing:
            text += _("此后已恢复参加组织生活。")
        return text + _("是否按自行脱党程序处理，由支部研究决定。")


def _reason_label(code: str) -> str:
    try:
        return str(AbsenceReason(code).label)
    except ValueError:
        return _("未说明原因")


def find_lapse(
    facts: Iterable[AttendanceFact],
    *,
    first_month: Month,
    as_of: datetime.date,
    months: int,
) -> Lapse | None:
    """The latest run of at least ``months`` lapsing months among the complete months from
    ``first_month`` up to the month before ``as_of`` (None if there is none)."""
    last = month_of(as_of.replace(day=1) - datetime.timedelta(days=1))
    span = months_between(first_month, last)
    if len(span) < months:
        return None
    facts = list(facts)
    states = month_states(facts, span)
    invalid: dict[Month, list[str]] = {}
    for f in facts:
        if f.status != "present" and f.reason not in VALID_ABSENCE_REASONS:
            label = _reason_label(f.reason) if f.reason else _("未说明原因")
            bucket = invalid.setdefault(month_of(f.date), [])
            if label not in bucket:
                bucket.append(label)
    best: list[Month] | None = None
    run: list[Month] = []
    for m in span:
        if states[m] in LAPSING_STATES:
            run.append(m)
        else:
            if len(run) >= months:
                best = run
            run = []
    if len(run) >= months:
        best = run
    if best is None:
        return None
    return Lapse(
        months=tuple(best),
        states=tuple(states[m] for m in best),
        reasons=tuple("、".join(invalid.get(m, [])) for m in best),
        ongoing=best[-1] == last,
    )


def window_start(
    *, as_of: datetime.date, joined: datetime.date | None, records_from: datetime.date | None, months: int
) -> Month:
    """First month the lapse test looks at (see the module docstring)."""
    lookback = max(12, months)
    m = month_of(as_of)
    for _i in range(lookback):
        m = (m[0] - 1, 12) if m[1] == 1 else (m[0], m[1] - 1)
    candidates = [m]
    if joined is not None:
        candidates.append(month_of(joined))
    if records_from is not None:
        candidates.append(month_of(records_from))
    return max(candidates)


# ---------------------------------------------------------------------------------------------
# Loading the facts (set-based: a fixed number of queries)


@dataclass
class Membership:
    unit_id: int
    start_on: datetime.date
    end_on: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on > day)


@dataclass
class MemberFacts:
    member_id: int
    branch_rows: list[Membership] = field(default_factory=list)
    group_rows: list[Membership] = field(default_factory=list)
    facts: list[AttendanceFact] = field(default_factory=list)

    @property
    def joined(self) -> datetime.date | None:
        return min((r.start_on for r in self.branch_rows), default=None)

    def in_year(self, year: int, as_of: datetime.date) -> list[AttendanceFact]:
        return [f for f in self.facts if f.date.year == year and f.date <= as_of]


def load_facts(member_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, MemberFacts]:
    """Attendance facts of the members between ``start`` and ``end`` (both included), keeping only
    meetings of units the member belonged to on the meeting date. Three queries."""
    ids = list(dict.fromkeys(member_ids))
    out = {pk: MemberFacts(pk) for pk in ids}
    if not ids:
        return out
    for model, attr in ((BranchMembership, "branch_rows"), (GroupMembership, "group_rows")):
        for mid, unit_id, s, e in model.objects.filter(member_id__in=ids).values_list(
            "member_id", "unit_id", "start_on", "end_on"
        ):
            getattr(out[mid], attr).append(Membership(unit_id, s, e))
    rows = (
        Attendance.objects.filter(
            member_id__in=ids,
            meeting__archived_at__isnull=True,
            meeting__date__gte=start,
            meeting__date__lte=end,
        )
        .values_list("member_id", "meeting_id", "meeting__date", "meeting__unit_id", "status", "absence_reason")
        .order_by("meeting__date", "meeting_id")
    )
    for mid, meeting_id, day, unit_id, status, reason in rows:
        mf = out[mid]
        if any(r.unit_id == unit_id and r.covers(day) for r in (*mf.branch_rows, *mf.group_rows)):
            mf.facts.append(AttendanceFact(meeting_id, day, status, reason or "", unit_id))
    return out


def first_meeting_dates(branches) -> dict[int, datetime.date]:
    """``{branch id: date of the first meeting recorded for it or one of its groups}``. One query."""
    by_path = {b.path: b.pk for b in branches}
    if not by_path:
        return {}
    q = Q()
    for p in by_path:
        q |= Q(unit__path__startswith=p)
    out: dict[int, datetime.date] = {}
    rows = (
        Meeting.objects.filter(archived_at__isnull=True)
        .filter(q)
        .values("unit__path")
        .annotate(first=Min("date"))
        .values_list("unit__path", "first")
    )
    for unit_path, first in rows:
        # The unit is the branch itself or one of its groups (the branch's path plus one step).
        branch_id = by_path.get(unit_path) or by_path.get(unit_path[:-PATH_STEP])
        if branch_id is not None and (branch_id not in out or first < out[branch_id]):
            out[branch_id] = first
    return out


# ---------------------------------------------------------------------------------------------
# What the pages and the periodic job ask for


def lapse_as_of(year: int, today: datetime.date) -> datetime.date:
    """The day a year's lapse test is judged on: today for the current year, else 1 January after it."""
    return min(today, datetime.date(year + 1, 1, 1))


def _window(as_of: datetime.date) -> datetime.date:
    m = window_start(as_of=as_of, joined=None, records_from=None, months=lapse_months())
    return datetime.date(m[0], m[1], 1)


def _lapse_for(mf: MemberFacts, *, as_of: datetime.date, records_from) -> Lapse | None:
    if records_from is None:
        # The branch has no meeting on record at all: nothing to judge the member by.
        return None
    first = window_start(as_of=as_of, joined=mf.joined, records_from=records_from, months=lapse_months())
    return find_lapse(mf.facts, first_month=first, as_of=as_of, months=lapse_months())


@dataclass
class MemberRow:
    member: object
    rate: Rate
    lapse: Lapse | None
    current: bool = True
    months_attended: int = 0


def branch_participation(branch, year: int, *, today: datetime.date) -> list[MemberRow]:
    """Every member who belonged to ``branch`` during ``year``, with their rate and lapse flag.

    Six queries whatever the number of members.
    """
    as_of = lapse_as_of(year, today)
    year_start, year_end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    rows = BranchMembership.objects.filter(unit=branch, start_on__lte=year_end).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=year_start)
    )
    current = set(rows.filter(end_on__isnull=True).values_list("member_id", flat=True))
    members = list(Member.objects.filter(pk__in=rows.values("member_id")).order_by("name", "id"))
    start = min(year_start, _window(as_of))
    facts = load_facts([m.pk for m in members], start, max(year_end, as_of))
    records_from = first_meeting_dates([branch]).get(branch.pk)
    out = []
    for m in members:
        mf = facts[m.pk]
        in_year = mf.in_year(year, today)
        out.append(
            MemberRow(
                member=m,
                rate=attendance_rate(in_year),
                lapse=_lapse_for(mf, as_of=as_of, records_from=records_from),
                current=m.pk in current and m.archived_at is None,
                months_attended=months_attended(in_year),
            )
        )
    out.sort(key=lambda r: (not r.current, r.lapse is None, r.member.name, r.member.pk))
    return out


@dataclass(frozen=True)
class LapseFlag:
    branch_id: int
    member_id: int
    member_name: str
    lapse: Lapse


def lapse_flags(branches, *, as_of: datetime.date) -> list[LapseFlag]:
    """Current members of ``branches`` (a Unit queryset) flagged for a lapse on ``as_of``.

    Six queries whatever the number of branches and members.
    """
    branches = list(branches)
    open_rows = list(
        BranchMembership.objects.filter(
            unit__in=[b.pk for b in branches], end_on__isnull=True, member__archived_at__isnull=True
        )
        .values_list("unit_id", "member_id", "member__name")
        .order_by("unit_id", "member__name", "member_id")
    )
    facts = load_facts([mid for _u, mid, _n in open_rows], _window(as_of), as_of)
    records_from = first_meeting_dates(branches)
    out = []
    for unit_id, mid, name in open_rows:
        lapse = _lapse_for(facts[mid], as_of=as_of, records_from=records_from.get(unit_id))
        if lapse is not None and lapse.ongoing:
            out.append(LapseFlag(unit_id, mid, name, lapse))
    return out


@dataclass
class CadreRow:
    member: object
    branch: object
    rate: Rate
    months_attended: int
    months_elapsed: int
    lapse: Lapse | None


def cadre_report(members, year: int, *, today: datetime.date) -> list[CadreRow]:
    """Leading cadres among ``members`` (a Member queryset) with their own-branch attendance in
    ``year``: 双重组织生活 means they take part in their branch's life like everyone else.

    Six queries whatever the number of cadres.
    """
    cadres = list(
        members.filter(is_leading_cadre=True, archived_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "branch_memberships",
                queryset=BranchMembership.objects.filter(end_on__isnull=True).select_related("unit"),
                to_attr="open_branches",
            )
        )
        .order_by("name", "id")
    )
    as_of = lapse_as_of(year, today)
    year_start, year_end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    facts = load_facts([c.pk for c in cadres], min(year_start, _window(as_of)), max(year_end, as_of))
    branches = {r.unit.pk: r.unit for c in cadres for r in c.open_branches}
    records_from = first_meeting_dates(branches.values())
    elapsed = 0 if year_end < year_start else year_end.month
    out = []
    for c in cadres:
        branch = c.open_branches[0].unit if c.open_branches else None
        mf = facts[c.pk]
        in_year = mf.in_year(year, today)
        out.append(
            CadreRow(
                member=c,
                branch=branch,
                rate=attendance_rate(in_year),
                months_attended=months_attended(in_year),
                months_elapsed=elapsed,
                lapse=_lapse_for(mf, as_of=as_of, records_from=records_from.get(branch.pk) if branch else None),
            )
        )
    out.sort(key=lambda r: (r.branch.path if r.branch else "~", r.member.name))
    return out


@dataclass
class MemberYear:
    rate: Rate
    lapse: Lapse | None
    meetings: list  # Attendance rows (with meeting and its kinds) of the year, newest first
    months: list[tuple[Month, str]]


def member_year(member, year: int, *, today: datetime.date) -> MemberYear:
    """One member's meetings and absences in ``year``, their rate and lapse flag."""
    as_of = lapse_as_of(year, today)
    year_start, year_end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    mf = load_facts([member.pk], min(year_start, _window(as_of)), max(year_end, as_of))[member.pk]
    branch_ids = {r.unit_id for r in mf.branch_rows}
    branches = list(Unit.objects.filter(pk__in=branch_ids))
    firsts = first_meeting_dates(branches).values()
    records_from = min(firsts) if firsts else None
    expected = {f.meeting_id for f in mf.facts}
    rows = list(
        Attendance.objects.filter(member=member, meeting_id__in=expected, meeting__date__year=year)
        .select_related("meeting", "meeting__unit")
        .prefetch_related("meeting__kinds")
        .order_by("-meeting__date", "-meeting_id")
    )
    in_year = mf.in_year(year, today)
    last_month = year_end.month if year_end >= year_start else 0
    span = months_between((year, 1), (year, last_month)) if last_month else []
    states = month_states(in_year, span)
    return MemberYear(
        rate=attendance_rate(in_year),
        lapse=_lapse_for(mf, as_of=as_of, records_from=records_from),
        meetings=rows,
        months=[(m, states[m]) for m in span],
    )


# ---------------------------------------------------------------------------------------------
# Who may see participation (compliance's table policy lives in compliance/permissions.py)

BRANCH_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR, Role.SECRETARY, Role.COMMITTEE_MEMBER)
CADRE_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)


def can_see_branch(user, branch) -> bool:
    """A branch's participation page: staff, inspectors, its secretary and committee members."""
    return get_scope(user).has_role_on(branch, *BRANCH_ROLES)


def visible_branches(user, queryset):
    return queryset.filter(get_scope(user).unit_q("", roles=BRANCH_ROLES))


def can_see_cadres(user) -> bool:
    return get_scope(user).has_any(*CADRE_ROLES)


def cadre_scope_q(user) -> Q:
    """Members whose open branch membership lies in the staff's / inspector's scope."""
    rows = BranchMembership.objects.filter(end_on__isnull=True).filter(
        get_scope(user).unit_q("unit__", roles=CADRE_ROLES)
    )
    return Q(pk__in=rows.values("member_id"))
