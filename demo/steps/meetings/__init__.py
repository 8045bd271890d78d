"""Organisational life for the demo branches from 1 January of last year up to today.

The meetings step of ``seed_demo``, kept apart from the organisation step so that a database
that already holds the demo organisation gets its meetings on the next run, and a run after that
adds nothing. Like the organisation, the meetings are decided first as plain data
(``plan_meetings(roster, today)``, seeded random generator, no database) and then written through
``meetings.services.record_meeting``, so every record passes the same checks as one typed into
the form and carries its own audit entry. The roster the plan works on (people, membership rows,
terms; the new party group) is ``demo.steps.meetings.roster``.

The window starts on 1 January of the previous calendar year, so last year (the year the demo
assessment scores) is complete: every branch meets its monthly and quarterly obligations there,
apart from the 组织生活会 that 机关第四党支部 never holds and the odd gap below when it falls in
January. The plan makes every status of the compliance table show up (seed III, issue 3 part 11):

* 机关第一、第二、第五党支部 are exemplary: every obligation met, the secretary lectures a 党课
  early in the year, each 组织生活会 (late January, for the year before) records one or two
  problems.
* 机关第三党支部 skips its 支委会 in two complete months (``missed``), its secretary gives no
  党课 this year (``due`` until December; last year the secretary did), and one member has been
  absent for seven months on 事假/其他 or without any record (the six-month lapse flag).
* 机关第四党支部 held no 组织生活会 in the window (``missed`` last year, ``due`` this year), and
  set up a party group about five months ago with two members from its other groups and one
  transferred in from 机关第三党支部 (``not_applicable`` before its founding).
* Meetings of the current month that fall after today are not held yet (``due``); a few
  records were entered 10–40 days late (补录); one party group in each of the third and fourth
  branches skipped a month.

Dates are relative to today. From February on the two skipped 支委会 months and the new group's
founding fall in the current year, so ``missed`` and ``not_applicable`` appear in this year's
table; in January they fall in the previous year's table.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import CommitteeRole
from demo.registry import Loaded
from demo.steps import organisation
from demo.steps.meetings import topics
from demo.steps.meetings.roster import (
    MONTHS,
    NEW_GROUP_DEPARTMENT,
    NEW_GROUP_NAME,
    Roster,
    add_months,
    plain_members,
    plan_new_group,
    roster_from_db,
    weekday_on_or_after,
)
from meetings.models import AbsenceReason, AttendanceStatus, Meeting, MeetingKind
from members.models import Member
from organizations.models import Unit, UnitKind

SEED = "zhibu-demo-meetings"

# Which branch (index into demo.steps.organisation.BRANCH_SPECS) plays which part.
EXEMPLARY = (0, 1, 4)
MISSING_COMMITTEE = 2  # no 支委会 in two complete months
NO_LECTURE = 2  # the secretary gives no 党课 this year
LAPSE = 2  # one member absent for seven months
NO_LIFE_MEETING = 3  # no 组织生活会 at all (missed last year, due this year)
# (branch index, group index, month index within the last twelve months) of party-group
# meetings that did not happen.
GROUP_GAPS = ((2, 1, 4), (3, 0, 7))
LAPSE_MONTHS = 7


# Quarterly combined sitting: 主题党日 with 支部党员大会 and 党课, in the second month of each
# quarter; 读书心得交流 with the 主题党日 in the third.
COMBINED_MONTHS = (2, 5, 8, 11)
READING_MONTHS = (3, 6, 9, 12)
STUDY_DAY_MONTHS = (4, 10)  # 固定学习日 of the exemplary branches

SEC = CommitteeRole.SECRETARY
DEP = CommitteeRole.DEPUTY_SECRETARY
ORG = CommitteeRole.ORGANIZATION

PRESENT = AttendanceStatus.PRESENT
ABSENT = AttendanceStatus.ABSENT
REASONS = (AbsenceReason.OFFICIAL, AbsenceReason.SICK, AbsenceReason.PERSONAL, AbsenceReason.OTHER)
REASON_WEIGHTS = (45, 25, 20, 10)


# --- the meetings -----------------------------------------------------------------------------


@dataclass
class Sitting:
    """One meeting to record: everything ``record_meeting`` needs, as plain values."""

    unit: str
    kinds: tuple[str, ...]
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    place: str
    topic: str
    theme_category: str
    host: int
    recorder: int
    lecturer: int | None = None
    invited: str = ""
    minutes: str = ""
    resolutions: str = ""
    attendance: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    entered_at: datetime.datetime | None = None  # naive, local time
    actor: str = "staff"

    @property
    def late(self) -> bool:
        return (self.entered_at.date() - self.date).days > settings.ZHIBU["LATE_ENTRY_DAYS"]


def window_months(today: datetime.date) -> list[datetime.date]:
    """First days of the months from January of last year up to today's, oldest first (13 to 24
    months)."""
    first = datetime.date(today.year - 1, 1, 1)
    return [add_months(first, i) for i in range(12 + today.month)]


def skipped_committee_months(today: datetime.date) -> list[datetime.date]:
    """The two complete months without a 支委会: the latest and the third latest, in the current
    year when it has them."""
    complete = [m for m in reversed(window_months(today)) if m < today.replace(day=1)]
    this_year = [m for m in complete if m.year == today.year]
    pool = this_year if len(this_year) >= 3 else complete
    return [pool[0], pool[2]] if len(this_year) >= 3 else pool[:2]


def life_meeting_days(today: datetime.date, branch: int) -> list[datetime.date]:
    """The 年度组织生活会 of the window: late January of last year and of this year (or last
    December if this January's is still to come)."""
    days = []
    for year in (today.year - 1, today.year):
        day = weekday_on_or_after(datetime.date(year, 1, 20 + branch))
        if day >= today:
            day = weekday_on_or_after(datetime.date(year - 1, 12, 14 + branch))
        days.append(day)
    return days


class _Planner:
    def __init__(self, roster: Roster, today: datetime.date):
        self.roster, self.today = roster, today
        self.rng = random.Random(f"{SEED}-{today.isoformat()}")
        self.months = window_months(today)
        self.start = self.months[0]
        self.sittings: list[Sitting] = []
        self.lapse_member = self._pick_lapse_member()
        self.lapse_from = add_months(today.replace(day=1), -(LAPSE_MONTHS - 1))

    def _pick_lapse_member(self) -> int | None:
        branch = self.roster.branches[LAPSE]
        start = add_months(self.today.replace(day=1), -(MONTHS - 1))
        moved = {s.member for s in self.roster.stints if s.end_on is not None and s.end_on > start}
        candidates = [
            m
            for m in plain_members(self.roster, branch, start, self.today, branch)
            if m not in moved and not self.roster.people[m].is_leading_cadre
        ]
        return candidates[len(candidates) // 2] if candidates else None

    # who

    def _seat(self, branch: str, day: datetime.date, *roles: str) -> int | None:
        seats = self.roster.seats_on(branch, day)
        for role in roles:
            for member, r in seats:
                if r == role:
                    return member
        return None

    def _host_recorder(self, branch: str, day: datetime.date, present: list[int]) -> tuple[int, int]:
        host = self._seat(branch, day, SEC)
        if host is None:
            host = present[0]
        recorder = self._seat(branch, day, ORG, DEP)
        if recorder is None or recorder == host:
            recorder = next((m for m in present if m != host), host)
        return host, recorder

    def _group_leads(self, group: str, branch: str, day: datetime.date, members: list[int]) -> tuple[int, int]:
        seated = [m for m, _role in self.roster.seats_on(branch, day) if m in members]
        leading = [m for m in members if self.roster.people[m].is_leading_cadre]
        host = (seated or leading or members)[0]
        others = [m for m in members if m not in (host, self.lapse_member)]
        full = [m for m in others if self.roster.people[m].full_member_on]
        recorder = (full or others or [host])[-1]
        return host, recorder

    def _attendance(
        self, members: list[int], day: datetime.date, *, must: tuple[int, ...] = (), rate: float = 0.9
    ) -> list[tuple[int, str, str]]:
        rows = []
        for m in members:
            if m == self.lapse_member and day >= self.lapse_from:
                # 事假 and 其他 are no valid reason; now and then there is no record at all.
                choice = self.rng.choice(("personal", "other", None))
                if choice is not None:
                    rows.append((m, ABSENT, choice))
                continue
            if m in must or self.rng.random() < rate:
                rows.append((m, PRESENT, ""))
            else:
                rows.append((m, ABSENT, self.rng.choices(REASONS, REASON_WEIGHTS)[0]))
        return rows

    @staticmethod
    def _ensure_quorum(rows, voters: set[int], keep_absent: set):
        """Turn absentees into attendees until more than half of ``voters`` are present."""
        rows = list(rows)
        present = sum(1 for m, s, _r in rows if s == PRESENT and m in voters)
        for i, (m, status, _reason) in enumerate(rows):
            if 2 * present > len(voters):
                break
            if status == ABSENT and m in voters and m not in keep_absent:
                rows[i] = (m, PRESENT, "")
                present += 1
        return rows

    def _entered(self, day: datetime.date, *, late: bool = False) -> datetime.datetime:
        delay = self.rng.randint(10, 40) if late else self.rng.choice((0, 0, 0, 1, 1, 2))
        # Meetings end by 17:00; the record is typed in that evening or a day or two later.
        entered = datetime.datetime.combine(
            day + datetime.timedelta(days=delay), datetime.time(self.rng.randint(17, 21), self.rng.randint(0, 59))
        )
        latest = datetime.datetime.combine(self.today, datetime.time(0, 0)) - datetime.timedelta(minutes=1)
        return min(entered, latest)

    @staticmethod
    def _count_line(rows) -> str:
        came = sum(1 for _m, s, _r in rows if s == PRESENT)
        return _("应到%(total)d人，实到%(came)d人。") % {"total": len(rows), "came": came}

    # what

    def plan(self) -> list[Sitting]:
        for b, branch in enumerate(self.roster.branches):
            place = topics.BRANCH_PLACES[b % len(topics.BRANCH_PLACES)]
            for i, month in enumerate(self.months):
                self._committee_meeting(b, branch, i, month, place)
                self._theme_day(b, branch, i, month, place)
                if b in EXEMPLARY[:2] and month.month in STUDY_DAY_MONTHS:
                    self._study_day(b, branch, month, place)
                recent = i - (len(self.months) - MONTHS)
                for g, (group, founded) in enumerate(self.roster.groups[branch]):
                    if (b, g, recent) not in GROUP_GAPS:
                        self._group_meeting(b, g, branch, group, founded, i, month)
            if b != NO_LIFE_MEETING:
                for day in life_meeting_days(self.today, b):
                    self._life_meeting(b, branch, place, day)
        self._mark_late()
        self.sittings.sort(key=lambda s: (s.date, s.start_time, s.unit))
        return self.sittings

    def _held(self, day: datetime.date) -> bool:
        """Held and recorded: strictly before today (today's meetings are still to come)."""
        return self.start <= day < self.today

    def _committee_meeting(self, b, branch, i, month, place):
        if b == MISSING_COMMITTEE and month in skipped_committee_months(self.today):
            return
        day = weekday_on_or_after(month.replace(day=3 + b % 3 + self.rng.randint(0, 2)))
        seats = [m for m, _role in self.roster.seats_on(branch, day)]
        if not self._held(day) or not seats:
            return
        host, recorder = self._host_recorder(branch, day, seats)
        rows = self._attendance(seats, day, must=(host, recorder), rate=0.93)
        rows = self._ensure_quorum(rows, set(seats), set())
        if month.month == 1:
            entry = topics.COMMITTEE_JANUARY
        elif month.month == 12:
            entry = topics.COMMITTEE_DECEMBER
        elif month.month == 7:
            entry = topics.COMMITTEE_JULY
        else:
            entry = topics.COMMITTEE[(i + 2 * b) % len(topics.COMMITTEE)]
        topic, category, done, decided = entry
        self.sittings.append(
            Sitting(
                unit=branch,
                kinds=("committee_meeting",),
                date=day,
                start_time=datetime.time(8, 30),
                end_time=datetime.time(9, 30 + self.rng.choice((0, 15, 20))),
                place=place,
                topic=topic,
                theme_category=category,
                host=host,
                recorder=recorder,
                minutes=_("%(host)s主持会议。%(done)s") % {"host": self.roster.people[host].name, "done": done}
                + self._count_line(rows),
                resolutions=decided,
                attendance=rows,
                entered_at=self._entered(day),
                actor="secretary1" if b == 0 else "staff",
            )
        )

    def _theme_day(self, b, branch, i, month, place):
        day = weekday_on_or_after(month.replace(day=12 + b + self.rng.randint(0, 3)))
        if not self._held(day):
            return
        members = self.roster.members_on(branch, day)
        kinds = ["theme_day"]
        topic, category, done, decided = topics.THEME_DAY[month.month]
        if month.month == 7:
            topic = topic % {"years": month.year - 1921}
        lecturer = None
        lines = [done]
        if month.month in COMBINED_MONTHS:
            kinds += ["general_meeting", "party_lesson"]
            lecturer = self._lecturer(b, branch, day)
            lesson, category = topics.LESSONS[(i + b) % len(topics.LESSONS)]
            topic = _("%(theme)s（党员大会、党课）") % {"theme": topic}
            lines.append(_("召开支部党员大会：%(business)s") % {"business": topics.GENERAL_BUSINESS[month.month // 3]})
            lines.append(
                _("%(name)s讲授党课《%(lesson)s》。") % {"name": self.roster.people[lecturer].name, "lesson": lesson}
            )
        if month.month in READING_MONTHS:
            kinds.append("reading_exchange")
            book = topics.READING_BOOKS[(month.month // 3 + b) % len(topics.READING_BOOKS)]
            lines.append(_("开展“学党章、强基础、作表率”读书心得交流，党员交流阅读%(book)s的体会。") % {"book": book})
        host, recorder = self._host_recorder(branch, day, members)
        must = tuple(m for m in (host, recorder, lecturer) if m is not None)
        rows = self._attendance(members, day, must=must)
        if "general_meeting" in kinds:
            voters = {m for m in members if self.roster.people[m].is_full_on(day)}
            rows = self._ensure_quorum(rows, voters, {self.lapse_member})
        invited = ""
        if self.roster.staff_name and self.rng.random() < 0.2:
            invited = _("机关党委 %(name)s（列席指导）") % {"name": self.roster.staff_name}
        self.sittings.append(
            Sitting(
                unit=branch,
                kinds=tuple(kinds),
                date=day,
                start_time=datetime.time(14, 30),
                end_time=datetime.time(17, 0) if len(kinds) > 1 else datetime.time(16, 30),
                place=place if month.month not in (3, 4, 6) else self._outing(month.month),
                topic=topic,
                theme_category=category,
                host=host,
                recorder=recorder,
                lecturer=lecturer,
                invited=invited,
                minutes=_("%(host)s主持。") % {"host": self.roster.people[host].name}
                + "".join(lines)
                + self._count_line(rows),
                resolutions=decided,
                attendance=rows,
                entered_at=self._entered(day),
                actor="secretary1" if b == 0 else "staff",
            )
        )

    @staticmethod
    def _outing(month: int) -> str:
        return {3: _("结对共建社区党群服务中心"), 4: _("烈士陵园"), 6: _("廉政警示教育基地")}[month]

    def _lecturer(self, b, branch, day) -> int:
        """The secretary at the year's first 党课 (not in the branch whose secretary gives none);
        otherwise another committee member (五带头: committee members lecture too)."""
        secretary = self._seat(branch, day, SEC)
        first_of_year = day.month == COMBINED_MONTHS[0]
        if first_of_year and (b != NO_LECTURE or day.year < self.today.year) and secretary is not None:
            return secretary
        others = [m for m, role in self.roster.seats_on(branch, day) if role != SEC]
        members = self.roster.members_on(branch, day)
        if b == NO_LECTURE and day.year == self.today.year:
            others = others or [m for m in members if m != secretary]
        pool = others or ([secretary] if secretary is not None else members)
        return pool[(day.month // 3) % len(pool)]

    def _study_day(self, b, branch, month, place):
        day = weekday_on_or_after(month.replace(day=24 + b))
        if not self._held(day):
            return
        members = self.roster.members_on(branch, day)
        topic, category, done, decided = topics.STUDY_DAY[month.month // 7]
        host, recorder = self._host_recorder(branch, day, members)
        rows = self._attendance(members, day, must=(host, recorder))
        self.sittings.append(
            Sitting(
                unit=branch,
                kinds=("study_day",),
                date=day,
                start_time=datetime.time(15, 0),
                end_time=datetime.time(17, 0),
                place=place,
                topic=topic,
                theme_category=category,
                host=host,
                recorder=recorder,
                minutes=done + self._count_line(rows),
                resolutions=decided,
                attendance=rows,
                entered_at=self._entered(day),
                actor="secretary1" if b == 0 else "staff",
            )
        )

    def _group_meeting(self, b, g, branch, group, founded, i, month):
        day = weekday_on_or_after(month.replace(day=min(26, 17 + 2 * g + self.rng.randint(0, 3))))
        if not self._held(day) or day < founded:
            return
        members = self.roster.members_on(group, day)
        if not members:
            return
        host, recorder = self._group_leads(group, branch, day, members)
        rows = self._attendance(members, day, must=(host, recorder), rate=0.92)
        topic, category, done = topics.GROUP[(i + 3 * b + g) % len(topics.GROUP)]
        if day.month == founded.month and day.year == founded.year and group == NEW_GROUP_NAME:
            topic, category, done = (
                _("党小组成立会：选举党小组长，研究本组学习安排"),
                topics.AFFAIRS,
                _("宣读支部关于成立党小组的决定，推选党小组长，讨论本组每月学习安排。"),
            )
        actor = "staff"
        if b == 0:
            actor = "leader1" if self._is_leader1(host) else "committee1"
        self.sittings.append(
            Sitting(
                unit=group,
                kinds=("group_meeting",),
                date=day,
                start_time=datetime.time(16, 0),
                end_time=datetime.time(17, 0),
                place=_("%(dept)s会议室") % {"dept": group.removesuffix("党小组")},
                topic=topic,
                theme_category=category,
                host=host,
                recorder=recorder,
                minutes=_("党小组长%(host)s主持。%(done)s") % {"host": self.roster.people[host].name, "done": done}
                + self._count_line(rows),
                attendance=rows,
                entered_at=self._entered(day),
                actor=actor,
            )
        )

    def _is_leader1(self, member: int) -> bool:
        # leader1 is the publicity member of the first branch's current committee.
        return self._seat(self.roster.branches[0], self.today, CommitteeRole.PUBLICITY) == member

    def _life_meeting(self, b, branch, place, day):
        if not self._held(day):
            return
        members = self.roster.members_on(branch, day)
        host, recorder = self._host_recorder(branch, day, members)
        rows = self._attendance(members, day, must=(host, recorder), rate=0.95)
        count = 1 + (b + day.year) % 2
        first = (b * 2 + day.year) % len(topics.LIFE_PROBLEMS)
        problems = [topics.LIFE_PROBLEMS[(first + k) % len(topics.LIFE_PROBLEMS)] for k in range(count)]
        year = day.year - 1 if day.month == 1 else day.year
        self.sittings.append(
            Sitting(
                unit=branch,
                kinds=("life_meeting",),
                date=day,
                start_time=datetime.time(9, 0),
                end_time=datetime.time(11, 30),
                place=place,
                topic=_("%(year)d年度组织生活会") % {"year": year},
                theme_category=topics.SPIRIT,
                host=host,
                recorder=recorder,
                invited=_("机关党委 %(name)s（列席指导）") % {"name": self.roster.staff_name}
                if self.roster.staff_name
                else "",
                minutes=_(
                    "%(host)s代表支委会作对照检查，支委逐一发言，党员开展批评和自我批评，"
                    "会前已开展谈心谈话并广泛征求意见。"
                )
                % {"host": self.roster.people[host].name}
                + self._count_line(rows),
                resolutions=_("针对查摆出的问题制定整改措施，明确责任人和完成时限，整改情况在下次支部党员大会上通报。"),
                attendance=rows,
                problems=problems,
                entered_at=self._entered(day),
                actor="secretary1" if b == 0 else "staff",
            )
        )

    def _mark_late(self):
        """A few records entered 10–40 days after the meeting (补录), one in most branches."""
        latest = self.today - datetime.timedelta(days=41)
        for branch in self.roster.branches:
            units = {branch, *(g for g, _f in self.roster.groups[branch])}
            old = [s for s in self.sittings if s.unit in units and s.date <= latest]
            if old:
                chosen = old[self.rng.randrange(len(old))]
                chosen.entered_at = self._entered(chosen.date, late=True)


def plan_meetings(roster: Roster, today: datetime.date) -> list[Sitting]:
    """Every meeting from 1 January of last year up to (not including) today, oldest first."""
    return _Planner(roster, today).plan()


def lapse_member(roster: Roster, today: datetime.date) -> int | None:
    """The member the plan keeps absent for seven months (for the tests and the docs)."""
    return _Planner(roster, today).lapse_member


# --- writing ----------------------------------------------------------------------------------


class DemoMeetingsError(organisation.DemoError):
    """Why the demo meetings cannot be loaded, in Chinese."""


def demo_meetings_exist(committee: Unit) -> bool:
    return Meeting.objects.filter(unit__path__startswith=committee.path).exists()


def ensure_new_group(committee: Unit, today: datetime.date, *, actor) -> Unit:
    """The party group set up about five months ago, with its members moved in (once)."""
    from members import services as member_services
    from organizations import services as unit_services

    existing = Unit.objects.filter(name=NEW_GROUP_NAME).first()
    if existing is not None:
        return existing
    roster = roster_from_db(committee)
    plan = plan_new_group(roster, today)
    branch = Unit.objects.get(name=plan.branch, parent=committee)
    group = unit_services.create_unit(
        {
            "name": NEW_GROUP_NAME,
            "kind": UnitKind.PARTY_GROUP,
            "parent": branch,
            "founded_on": plan.founded_on,
            "department": NEW_GROUP_DEPARTMENT,
            "sort_order": len(roster.groups[plan.branch]) + 1,
        },
        actor=actor,
    )
    members = Member.objects.in_bulk([*plan.moved, *([plan.transferred] if plan.transferred else [])])
    for pk in plan.moved:
        member_services.assign_group(members[pk], group, on=plan.founded_on, actor=actor)
    if plan.transferred is not None:
        member_services.transfer_member(
            members[plan.transferred], branch, on=plan.founded_on, actor=actor, to_group=group
        )
    return group


def step(today: datetime.date):
    """The meetings step of ``seed_demo``: record them once, say what was done."""
    count = seed_demo_meetings(today=today)
    if count is None:
        return _("演示会议记录已存在，未做改动。")
    return Loaded(_("已录入演示会议记录 %(count)d 条（自去年1月1日至今）。") % {"count": count})


def seed_demo_meetings(*, today: datetime.date | None = None) -> int | None:
    """Record the demo's meetings since 1 January of last year; the number recorded, or None when the demo
    branches already hold meetings (nothing is changed then)."""
    from meetings.services import record_meeting

    committee = organisation.demo_committee()
    if committee is None:
        raise DemoMeetingsError(_("演示组织尚未载入，无法录入演示会议记录。"))
    if demo_meetings_exist(committee):
        return None
    today = today or timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[u for _r, u in organisation.LOGINS])}
    staff = users.get("staff")
    with transaction.atomic():
        ensure_new_group(committee, today, actor=staff)
        roster = roster_from_db(committee)
        sittings = plan_meetings(roster, today)
        units = {u.name: u for u in Unit.objects.subtree(committee)}
        kinds = MeetingKind.objects.in_bulk(field_name="code")
        members = Member.objects.in_bulk(list(roster.people))
        for s in sittings:
            record_meeting(
                units[s.unit],
                {
                    "date": s.date,
                    "start_time": s.start_time,
                    "end_time": s.end_time,
                    "place": s.place,
                    "topic": s.topic,
                    "theme_category": s.theme_category,
                    "host": members[s.host],
                    "recorder": members[s.recorder],
                    "lecturer": members[s.lecturer] if s.lecturer is not None else None,
                    "invited": s.invited,
                    "minutes": s.minutes,
                    "resolutions": s.resolutions,
                },
                actor=users.get(s.actor) or staff,
                kinds=[kinds[code] for code in s.kinds],
                attendance=[(members[m], status, reason) for m, status, reason in s.attendance],
                problems=s.problems,
                entered_at=timezone.make_aware(s.entered_at),
            )
    return len(sittings)
