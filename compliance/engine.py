"""The compliance engine: for each unit × rule × period, met / missed / due / not applicable.

Pure: plain dataclasses in, plain dataclasses out, no ORM (``compliance.services`` fetches the
facts with set-based queries and calls :func:`evaluate`).

How a cell is judged (``evaluate``):

* Units and rules meet by level: a rule whose ``unit_level`` is ``branch`` applies to branches,
  ``party_group`` to party groups. Other units (the committee, 党总支) get no cells.
* Periods: every period of the year that has begun by ``as_of`` (months up to as_of's month,
  quarters up to as_of's quarter, the year). A year entirely after ``as_of`` has no cells.
* Versions: rows sharing a rule code are its versions. A period is judged by the version in
  force on the period's *first* day: ``effective_from <= first day`` and (``retired_on`` empty
  or after the first day); of several, the latest ``effective_from``. A rule tightened from
  quarterly to monthly on 07-01 is thus judged by quarters Q1–Q2 and by months July–December.
  A period in which no version is in force is ``not_applicable``; it is shown in the period
  kind of the version that comes into force next (or, after retirement, of the last one).
* Units: a unit founded on or before a period's *last* day is judged for that period (a branch
  founded on 03-15 owes March's meetings: it had two weeks, and a partial period is still its
  period to organise). A unit dissolved on or before a period's first day is not applicable
  from that period on; one dissolved during a period is still judged for it.
* Counting: ``held`` = the unit's meetings whose *meeting date* (never the entry date) lies in
  the period and which carry the rule's kind. A combined sitting carrying several kinds counts
  toward each of them. Conditions filter the meetings that count:
  ``secretary_lectures`` — the lecturer was the unit's secretary on the meeting's date (a
  secretary's seat counts from its start to its end day, both included);
  ``problems_recorded`` — the meeting recorded at least ``params["min"]`` problems; ``max`` is
  what the seed asks a meeting to focus on ("突出解决1-2个实际问题"), a warning when the record
  is saved, never a reason not to count a meeting that was held (docs/rules.md).
* As of a date: the table shows what the records say about ``as_of``. A meeting dated after it
  does not count yet, even inside a period that has begun (a 党课 of 12-31 does not count for
  Q4 as of 11-15).
* 年度 (``RuleFact.annual``, the yearly 组织生活会 rule): a meeting counts toward the 年度 it
  is held for (``MeetingFact.held_for``, stored on the record), not the year of its date, and
  the 年度 Y is judged at the committee's deadline for Y (``Circumstances.deadline``, by default
  the end of February of Y+1): meetings held by then count; until then the cell is ``due``.
* Applicability beyond the unit's dates (``Circumstances``, docs/rules.md): a 支委会 rule does
  not apply to a branch whose term in office on the period's first day has fewer than three
  seats (fewer than 7 正式党员: a secretary and perhaps a deputy, no 支部委员会 — 支部工作条例
  第八条); a 读书心得交流 rule applies only in periods in which a 主题实践活动 covering the unit
  runs (seed IV.1).
* Status: ``met`` when held ≥ required; otherwise ``due`` if the period contains ``as_of`` (it
  is not over yet), else ``missed``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from compliance import periods
from compliance.periods import Span
from meetings.rules import default_held_for_year

MET = "met"
MISSED = "missed"
DUE = "due"
NOT_APPLICABLE = "not_applicable"
STATUSES = (MET, MISSED, DUE, NOT_APPLICABLE)
# Worst first: how the dashboards order and colour aggregated cells.
SEVERITY = {MISSED: 3, DUE: 2, MET: 1, NOT_APPLICABLE: 0}

SECRETARY_LECTURES = "secretary_lectures"
PROBLEMS_RECORDED = "problems_recorded"

BRANCH = "branch"
PARTY_GROUP = "party_group"

# Why a cell is not applicable.
NOT_FOUNDED = "not_founded"
DISSOLVED = "dissolved"
NOT_YET_IN_FORCE = "not_yet_in_force"
RETIRED = "retired"
NO_COMMITTEE = "no_committee"
NO_CAMPAIGN = "no_campaign"

# Kinds whose rules need a 支部委员会, and kinds required only while a 主题实践活动 runs.
COMMITTEE_KINDS = frozenset({"committee_meeting"})
CAMPAIGN_KINDS = frozenset({"reading_exchange"})
# A 支部委员会 has three or more members; fewer seats are a secretary and perhaps a deputy.
COMMITTEE_MIN_SEATS = 3


@dataclass(frozen=True, slots=True)
class UnitFact:
    id: int
    name: str
    kind: str  # organizations.UnitKind value
    founded_on: datetime.date
    dissolved_on: datetime.date | None = None
    parent_id: int | None = None
    path: str = ""  # organizations.Unit.path: where a campaign reaches it


@dataclass(frozen=True, slots=True)
class RuleFact:
    """One version of a rule (a Rule row)."""

    code: str
    name: str
    kind_code: str
    kind_name: str
    unit_level: str
    period: str  # month / quarter / year
    min_count: int
    effective_from: datetime.date
    retired_on: datetime.date | None = None
    condition: str = ""
    params: Mapping = field(default_factory=dict)
    id: int | None = None
    # Counted by the 年度 each meeting is held for, judged at the year's deadline (组织生活会).
    annual: bool = False

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.retired_on is None or self.retired_on > day)


@dataclass(frozen=True, slots=True)
class MeetingFact:
    id: int
    unit_id: int
    date: datetime.date
    kind_codes: frozenset[str]
    lecturer_id: int | None = None
    problem_count: int = 0
    # The 年度 a 组织生活会 is held for (None: the default for its date).
    held_for: int | None = None

    @property
    def year_held_for(self) -> int:
        return self.held_for if self.held_for is not None else default_held_for_year(self.date)


@dataclass(frozen=True, slots=True)
class Circumstances:
    """What else decides a cell, besides units, rules, meetings and secretaries.

    ``terms``: unit_id → [(first day, last day or None, seats)] of the committee terms in office
    (current and ended). ``campaigns``: [(unit path, first day, last day)] of the 主题实践活动
    (a campaign covers its unit's subtree; a unit is placed by ``UnitFact.path``). ``deadline``: the day the year's 年度 rules are judged at (None: the default)."""

    terms: Mapping[int, Sequence[tuple[datetime.date, datetime.date | None, int]]] = field(default_factory=dict)
    campaigns: Sequence[tuple[str, datetime.date, datetime.date]] = ()
    deadline: datetime.date | None = None


NO_CIRCUMSTANCES = Circumstances()


# unit_id → [(member_id, first day, last day or None)] of the unit's secretaries.
Secretaries = Mapping[int, Sequence[tuple[int, datetime.date, datetime.date | None]]]


@dataclass(slots=True)
class Cell:
    unit_id: int
    unit_name: str
    rule_code: str
    rule_name: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    required: int
    held: int
    status: str
    # What the explanation is built from (kept so the text is only formatted when read).
    unit_kind: str = BRANCH
    version: RuleFact | None = None
    reason: str = ""
    reason_date: datetime.date | None = None
    period_kind: str = periods.MONTH
    # A 年度 cell: the day it is judged at (the committee's deadline).
    deadline: datetime.date | None = None

    @property
    def span(self) -> Span:
        return Span(self.period_kind, self.period, self.period_start, self.period_end)

    @property
    def explanation(self) -> str:
        return explain(self)


def _unit_word(kind: str) -> str:
    return _("该党小组") if kind == PARTY_GROUP else _("该支部")


def obligation_text(rule: RuleFact, span: Span) -> str:
    """“2025年3月应召开支委会1次” and its variants for the conditions."""
    values = {"period": span.text, "kind": rule.kind_name, "count": rule.min_count}
    if rule.condition == SECRETARY_LECTURES:
        return _("%(period)s应由支部书记讲%(kind)s%(count)s次") % values
    if rule.condition == PROBLEMS_RECORDED:
        return _("%(period)s应召开%(kind)s%(count)s次（%(problems)s）") % {
            **values,
            "problems": problems_text(rule.params),
        }
    return _("%(period)s应召开%(kind)s%(count)s次") % values


def problems_text(params: Mapping) -> str:
    """What the problems condition asks. Only the lower bound decides whether a meeting counts;
    the upper one is the focus the seed asks for (a warning at saving, never a refusal)."""
    low, high = params.get("min"), params.get("max")
    if low is not None and high is not None:
        return _("每次至少记录解决%(min)s个实际问题，突出解决%(min)s至%(max)s个") % {"min": low, "max": high}
    if low is not None:
        return _("每次至少记录解决%(min)s个实际问题") % {"min": low}
    if high is not None:
        return _("突出解决至多%(max)s个实际问题") % {"max": high}
    return _("记录解决的实际问题")


def explain(cell: Cell) -> str:
    """The human explanation of a cell, in Chinese."""
    span = cell.span
    if cell.status == NOT_APPLICABLE:
        day = f"{cell.reason_date:%Y-%m-%d}" if cell.reason_date else ""
        if cell.reason == NOT_FOUNDED:
            return _("%(unit)s于%(date)s成立，此前不适用") % {"unit": _unit_word(cell.unit_kind), "date": day}
        if cell.reason == DISSOLVED:
            return _("%(unit)s已于%(date)s撤销，此后不适用") % {"unit": _unit_word(cell.unit_kind), "date": day}
        if cell.reason == NO_COMMITTEE:
            return _("该支部正式党员不足7名，不设支部委员会（只设书记、副书记），%(period)s不召开支委会") % {
                "period": span.text
            }
        if cell.reason == NO_CAMPAIGN:
            return _("%(period)s未开展主题实践活动，不要求开展读书心得交流") % {"period": span.text}
        if cell.reason == NOT_YET_IN_FORCE:
            return _("该规则自%(date)s起施行，%(period)s不适用") % {"date": day, "period": span.text}
        return _("该规则已于%(date)s停止执行，%(period)s不适用") % {"date": day, "period": span.text}
    rule = cell.version
    held_word = _("符合条件的") if rule.condition else _("实际")
    head = obligation_text(rule, span)
    if cell.status == MET:
        return _("%(head)s，%(held_word)s%(held)s次，已达标") % {
            "head": head,
            "held_word": held_word,
            "held": cell.held,
        }
    if cell.status == DUE and cell.deadline is not None:
        return _("%(head)s；%(year)s年度的组织生活会截至%(deadline)s前召开即可，目前%(held_word)s%(held)s次") % {
            "head": head,
            "year": span.start.year,
            "deadline": f"{cell.deadline:%Y-%m-%d}",
            "held_word": held_word,
            "held": cell.held,
        }
    if cell.status == MISSED and cell.deadline is not None:
        return _("%(head)s，截至%(deadline)s%(held_word)s%(held)s次，未达标") % {
            "head": head,
            "deadline": f"{cell.deadline:%Y-%m-%d}",
            "held_word": held_word,
            "held": cell.held,
        }
    if cell.status == DUE:
        if cell.held == 0:
            when = _("%(this)s尚未召开") % {"this": span.this_text}
        else:
            when = _("%(this)s已召开%(held)s次，还差%(gap)s次") % {
                "this": span.this_text,
                "held": cell.held,
                "gap": cell.required - cell.held,
            }
        return _("%(head)s；%(when)s，截至%(month)s月%(day)s日前完成即可") % {
            "head": head,
            "when": when,
            "month": span.end.month,
            "day": span.end.day,
        }
    return _("%(head)s，%(held_word)s%(held)s次，未达标") % {"head": head, "held_word": held_word, "held": cell.held}


def applicability_note(cell: Cell) -> str:
    """Why a rule does not apply to the unit at all in a period, in a few words ("" otherwise):
    what the table shows once per row beside its 不适用 cells."""
    if cell.status != NOT_APPLICABLE:
        return ""
    if cell.reason == NO_COMMITTEE:
        return _("正式党员不足7名，不设支部委员会")
    if cell.reason == NO_CAMPAIGN:
        return _("未开展主题实践活动的期间不要求")
    return ""


def counts(rule: RuleFact, meeting: MeetingFact, secretaries: Secretaries) -> bool:
    """Whether ``meeting`` counts toward ``rule`` (kind and condition; the period is checked apart)."""
    if rule.kind_code not in meeting.kind_codes:
        return False
    return condition_holds(rule, meeting.unit_id, meeting.date, meeting.lecturer_id, meeting.problem_count, secretaries)


def version_in_force(versions: Sequence[RuleFact], day: datetime.date) -> RuleFact | None:
    """The version judging a period starting on ``day`` (versions sorted by effective_from)."""
    found = None
    for v in versions:
        if v.in_force_on(day):
            found = v
    return found


def _shown_kind_when_not_in_force(versions: Sequence[RuleFact], day: datetime.date) -> tuple[str, str, datetime.date]:
    """For a day with no version in force: (period kind to show it in, reason, the date to cite)."""
    upcoming = [v for v in versions if v.effective_from > day]
    if upcoming:
        nxt = upcoming[0]
        return nxt.period, NOT_YET_IN_FORCE, nxt.effective_from
    last = versions[-1]
    return last.period, RETIRED, last.retired_on


def rule_schedule(versions: Sequence[RuleFact], year: int, as_of: datetime.date) -> list[tuple[Span, RuleFact | None]]:
    """The periods a rule code is judged in for ``year`` up to ``as_of``, each with its version.

    ``versions`` are one code's rows sorted by ``effective_from``. A period whose version in
    force has another period kind belongs to that other kind's schedule and is left out.
    """
    out = []
    for kind in periods.KINDS:
        if not any(v.period == kind for v in versions):
            continue
        for span in periods.spans_until(kind, year, as_of):
            version = version_in_force(versions, span.start)
            if version is not None:
                if version.period == kind:
                    out.append((span, version))
            elif _shown_kind_when_not_in_force(versions, span.start)[0] == kind:
                out.append((span, None))
    out.sort(key=lambda item: (item[0].start, item[0].end))
    return out


def group_versions(rules: Iterable[RuleFact]) -> dict[str, list[RuleFact]]:
    """Rule versions by code, each list sorted by effective_from."""
    by_code: dict[str, list[RuleFact]] = defaultdict(list)
    for r in rules:
        by_code[r.code].append(r)
    for versions in by_code.values():
        versions.sort(key=lambda v: v.effective_from)
    return dict(sorted(by_code.items()))


def evaluate(
    units: Iterable[UnitFact],
    rules: Iterable[RuleFact],
    meetings: Iterable[MeetingFact],
    secretaries: Secretaries,
    circumstances: Circumstances | None = None,
    *,
    year: int,
    as_of: datetime.date,
) -> list[Cell]:
    """Every cell unit × rule × period of ``year`` up to ``as_of``'s period (see the module doc).

    Cells come out in the order of ``units``, then rule code, then period start. This is the
    reference implementation, meeting by meeting; :func:`evaluate_counts` gives the same cells
    from counts the database has already aggregated.
    """
    circumstances = circumstances or NO_CIRCUMSTANCES
    versions_by_code = group_versions(rules)
    kinds_wanted = {v.kind_code for vs in versions_by_code.values() for v in vs}
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    deadline = annual_deadline(year, circumstances)

    # The year's meetings by unit and kind: a combined sitting lands in each of its kinds. What
    # was held after ``as_of`` does not count yet.
    by_unit_kind: dict[tuple[int, str], list[MeetingFact]] = defaultdict(list)
    for m in meetings:
        if m.date <= as_of and (first_day <= m.date <= last_day or m.year_held_for == year):
            for code in m.kind_codes & kinds_wanted:
                by_unit_kind[(m.unit_id, code)].append(m)

    def per_month(unit_id: int, version: RuleFact) -> list[int]:
        out = [0] * 13
        for m in by_unit_kind.get((unit_id, version.kind_code), ()):
            if first_day <= m.date <= last_day and counts(version, m, secretaries):
                out[m.date.month] += 1
        return out

    def per_year(unit_id: int, version: RuleFact) -> int:
        return sum(
            1
            for m in by_unit_kind.get((unit_id, version.kind_code), ())
            if m.year_held_for == year and m.date <= deadline and counts(version, m, secretaries)
        )

    return _judge(units, versions_by_code, per_month, per_year, circumstances, year=year, as_of=as_of)


def annual_deadline(year: int, circumstances: Circumstances) -> datetime.date:
    return circumstances.deadline or periods.default_annual_deadline(year)


@dataclass(frozen=True, slots=True)
class Tally:
    """Meetings of one year already counted by the database, for :func:`evaluate_counts`.

    ``monthly``: (unit_id, kind code) → 13 counts, index = month (index 0 unused): meetings of
    that kind in that month held by ``as_of``, conditions ignored. ``details``: (unit_id, kind
    code) → one (date, lecturer_id, problem_count, 年度, n) per group of meetings of a kind some
    *conditional* or *annual* rule counts (those dated in the year and those held for it) —
    what the conditions and the 年度 need to be checked meeting by meeting.
    """

    monthly: Mapping[tuple[int, str], Sequence[int]]
    details: Mapping[tuple[int, str], Sequence[tuple[datetime.date, int | None, int, int, int]]] = field(
        default_factory=dict
    )


def tally(
    meetings: Iterable[MeetingFact], rules: Iterable[RuleFact], *, year: int, as_of: datetime.date | None = None
) -> Tally:
    """The :class:`Tally` of ``meetings`` (what the database computes; used to test that path)."""
    rules = list(rules)
    wanted = {r.kind_code for r in rules}
    detailed = {r.kind_code for r in rules if r.condition or r.annual}
    monthly: dict[tuple[int, str], list[int]] = {}
    details: dict[tuple[int, str], dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for m in meetings:
        if as_of is not None and m.date > as_of:
            continue
        in_year = m.date.year == year
        if not in_year and m.year_held_for != year:
            continue
        for code in m.kind_codes & wanted:
            if in_year:
                monthly.setdefault((m.unit_id, code), [0] * 13)[m.date.month] += 1
            if code in detailed:
                details[(m.unit_id, code)][(m.date, m.lecturer_id, m.problem_count, m.year_held_for)] += 1
    return Tally(monthly, {key: [(*k, n) for k, n in groups.items()] for key, groups in details.items()})


def condition_holds(
    rule: RuleFact,
    unit_id: int,
    day: datetime.date,
    lecturer_id: int | None,
    problem_count: int,
    secretaries: Secretaries,
) -> bool:
    """Whether a meeting of ``rule``'s kind held by ``unit_id`` on ``day`` meets its condition."""
    if rule.condition == SECRETARY_LECTURES:
        if lecturer_id is None:
            return False
        return any(
            member_id == lecturer_id and start <= day and (end is None or day <= end)
            for member_id, start, end in secretaries.get(unit_id, ())
        )
    if rule.condition == PROBLEMS_RECORDED:
        # More problems than the seed's "1-2" never make a meeting that was held not count.
        low = rule.params.get("min")
        if low is not None and problem_count < int(low):
            return False
    return True


_NO_MEETINGS = (0,) * 13


def evaluate_counts(
    units: Iterable[UnitFact],
    rules: Iterable[RuleFact],
    counted: Tally,
    secretaries: Secretaries,
    circumstances: Circumstances | None = None,
    *,
    year: int,
    as_of: datetime.date,
) -> list[Cell]:
    """The same cells as :func:`evaluate`, from a :class:`Tally` (meetings counted in SQL, held
    by ``as_of``)."""
    circumstances = circumstances or NO_CIRCUMSTANCES
    versions_by_code = group_versions(rules)
    monthly, details = counted.monthly, counted.details
    deadline = annual_deadline(year, circumstances)

    def per_month(unit_id: int, version: RuleFact) -> Sequence[int]:
        if not version.condition:
            return monthly.get((unit_id, version.kind_code), _NO_MEETINGS)
        out = [0] * 13
        for day, lecturer_id, problem_count, _held_for, n in details.get((unit_id, version.kind_code), ()):
            if (
                day.year == year
                and day <= as_of
                and condition_holds(version, unit_id, day, lecturer_id, problem_count, secretaries)
            ):
                out[day.month] += n
        return out

    def per_year(unit_id: int, version: RuleFact) -> int:
        return sum(
            n
            for day, lecturer_id, problem_count, held_for, n in details.get((unit_id, version.kind_code), ())
            if held_for == year
            and day <= as_of
            and day <= deadline
            and condition_holds(version, unit_id, day, lecturer_id, problem_count, secretaries)
        )

    return _judge(units, versions_by_code, per_month, per_year, circumstances, year=year, as_of=as_of)


def _in_office(terms, day: datetime.date):
    """The seats of the term in office on ``day`` (None when no term is)."""
    found = None
    for start, end, seats in terms:
        if start <= day and (end is None or day <= end):
            found = seats
    return found


def not_applicable_because(version: RuleFact, unit: UnitFact, span: Span, circumstances: Circumstances) -> str:
    """Why ``version`` does not apply to ``unit`` in ``span`` beyond its dates ("" if it does)."""
    if version.kind_code in COMMITTEE_KINDS and unit.kind == BRANCH:
        seats = _in_office(circumstances.terms.get(unit.id, ()), max(span.start, unit.founded_on))
        if seats is not None and seats < COMMITTEE_MIN_SEATS:
            return NO_COMMITTEE
    if version.kind_code in CAMPAIGN_KINDS:
        path = unit.path
        if not path or not any(
            path.startswith(c_path) and c_start <= span.end and span.start <= c_end
            for c_path, c_start, c_end in circumstances.campaigns
        ):
            return NO_CAMPAIGN
    return ""


def _judge(
    units, versions_by_code, per_month, per_year, circumstances: Circumstances, *, year: int, as_of: datetime.date
) -> list[Cell]:
    """The cells, given ``per_month(unit_id, version)`` → meetings counting toward the version
    in each month of ``year`` (index = month), and ``per_year(unit_id, version)`` → meetings
    counting toward an annual version's 年度 by its deadline."""
    deadline = annual_deadline(year, circumstances)
    # Months after as_of's month hold nothing yet (the period containing as_of counts its
    # months up to as_of only).
    last_month = as_of.month if as_of.year == year else 12
    # The schedule depends only on the rule and the year, not on the unit: computed once, with
    # what every cell of a period shares.
    plans = []
    for code, versions in versions_by_code.items():
        schedule = rule_schedule(versions, year, as_of)
        if not schedule:
            continue
        steps = []
        for span, version in schedule:
            if version is None:
                _kind, reason, reason_date = _shown_kind_when_not_in_force(versions, span.start)
            else:
                reason, reason_date = "", None
            steps.append(
                (
                    span,
                    version,
                    (version or versions[-1]).name,
                    version.min_count if version else 0,
                    span.contains(as_of),
                    span.start.month,
                    min(span.end.month, last_month) + 1,
                    reason,
                    reason_date,
                )
            )
        plans.append((code, versions[-1].unit_level, steps))

    cells: list[Cell] = []
    append = cells.append
    for unit in units:
        uid, uname, ukind = unit.id, unit.name, unit.kind
        founded, dissolved = unit.founded_on, unit.dissolved_on
        for code, level, steps in plans:
            if level != ukind:
                continue
            # Per version: how many counting meetings fell in each month of the year.
            monthly: dict[int, Sequence[int]] = {}
            for span, version, rule_name, required, current, first, after, reason, reason_date in steps:
                start, end = span.start, span.end
                held, status = 0, NOT_APPLICABLE
                if founded > end:
                    reason, reason_date = NOT_FOUNDED, founded
                elif dissolved is not None and dissolved <= start:
                    reason, reason_date = DISSOLVED, dissolved
                elif version is not None and (why := not_applicable_because(version, unit, span, circumstances)):
                    reason, reason_date = why, None
                elif version is not None and version.annual and span.kind == periods.YEAR:
                    held = per_year(uid, version)
                    if held >= required:
                        status = MET
                    elif as_of <= deadline:
                        status = DUE
                    else:
                        status = MISSED
                elif version is not None:
                    months = monthly.get(id(version))
                    if months is None:
                        months = monthly[id(version)] = per_month(uid, version)
                    held = sum(months[first:after]) if after - first > 1 else months[first]
                    if held >= required:
                        status = MET
                    elif current:
                        status = DUE
                    else:
                        status = MISSED
                append(
                    Cell(
                        uid,
                        uname,
                        code,
                        rule_name,
                        span.label,
                        start,
                        end,
                        required,
                        held,
                        status,
                        ukind,
                        version,
                        reason,
                        reason_date,
                        span.kind,
                        deadline if version is not None and version.annual and span.kind == periods.YEAR else None,
                    )
                )
    return cells


def counted_meetings(cell: Cell, meetings: Iterable[MeetingFact], secretaries: Secretaries) -> list[MeetingFact]:
    """The meetings that counted toward ``cell`` (for the drill-down page), by date. Give it the
    meetings held by the cell's as-of day (``services.load_facts``)."""
    if cell.version is None or cell.status == NOT_APPLICABLE:
        return []
    if cell.deadline is not None:
        year = cell.period_start.year
        found = [
            m
            for m in meetings
            if m.unit_id == cell.unit_id
            and m.year_held_for == year
            and m.date <= cell.deadline
            and counts(cell.version, m, secretaries)
        ]
    else:
        found = [
            m
            for m in meetings
            if m.unit_id == cell.unit_id
            and cell.period_start <= m.date <= cell.period_end
            and counts(cell.version, m, secretaries)
        ]
    return sorted(found, key=lambda m: (m.date, m.id))


def sort_key(cell: Cell) -> tuple:
    """Unit name, rule code, then the period in time order (how the exports are sorted)."""
    return (cell.unit_name, cell.rule_code, cell.period_start, cell.period_end)
