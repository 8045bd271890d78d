"""Sheet 会议: past meeting records (三会一课、主题党日、组织生活会), one row per sitting.

Names (主持人, 记录人, 讲课人, 出席, 缺席) are those of the unit's members *on the meeting's date*:
members already in the system, or added by this workbook's 党员 sheet (to a 党支部 from the day
they enter it, and to the 党小组 named on their row from the same day, or the group's founding if
later — the day the writer gives their group membership). 主持人 and 记录人 may be left empty, as
the template says: an old ledger does not always name them. Two
members of the same name are told apart as ``张伟（1234）`` (the last four characters of the
公民身份号码). Each row is checked by the same rules as the meeting form
(``meetings.rules.meeting_errors``: required fields per kind, quorums, attendance on the date, no
future meeting) and stored through ``meetings.services.record_meeting(source="import")``.

Importing twice adds nothing: a row whose meeting is already there (same import key — a hash of
unit, date, start time, kinds and topic — or the same unit, date, start time and topic recorded by
hand) counts as present. Imported records keep the import time as their entry time, so an old
ledger's meetings are marked 补录: intended, the record shows when it really entered the system.
``问题数`` creates that many placeholder problems (the ledger names them in the minutes).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import TermMember, TermStatus
from committees.rules import was_full_member_on
from ledger.sheets.base import Column, Row, RowError, RowErrors, SheetSpec, cell_text, register
from ledger.sheets.context import ImportContext, UnitRef
from meetings import rules
from meetings import services as meeting_services
from meetings.models import AbsenceReason, AttendanceStatus, EntrySource, Meeting, MeetingKind
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import UnitKind

SHEET = "会议"
REASON_BY_LABEL = {str(label): value for value, label in AbsenceReason.choices}
SEPARATORS = re.compile(r"[、，,；;]+")
TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
# 张伟（1234） or 张伟(1234): a name told apart by the last four characters of the ID number.
NAME_WITH_ID = re.compile(r"^(.+?)[（(]\s*([0-9Xx]{4})\s*[）)]$")
MAX_PROBLEMS = 20
# Which column a refusal of meetings.rules belongs to.
FIELD_COLUMNS = {
    "unit": "单位",
    "kinds": "类型",
    "date": "日期",
    "start_time": "开始时间",
    "end_time": "开始时间",
    "topic": "主题",
    "host": "主持人",
    "recorder": "记录人",
    "lecturer": "讲课人",
    "problems": "问题数",
    "held_for_year": "年度",
    "attendance": "出席",
    "__all__": "",
}


def problem_text(n: int) -> str:
    """The placeholder text of the n-th practical problem of an imported 组织生活会."""
    return _("（台账导入：问题%(n)s，详见会议纪要）") % {"n": n}


@dataclass
class MeetingRow:
    row: int
    unit_name: str
    date: datetime.date | None
    start_time: datetime.time | None
    kind_names: list[str]
    topic: str
    host: str
    recorder: str
    lecturer: str
    present: list[str]
    absent: list[tuple[str, str]]  # (name, absence reason code)
    minutes: str
    problem_count: int
    held_for_year: int | None = None  # the 年度 of a 组织生活会 (blank: the default for its date)


@dataclass
class Person:
    """A member of a unit on a date: ``pk`` in the database, or ``id_number`` of a 党员 row."""

    key: int  # the id the rules see: the database pk, or a negative number for a new member
    name: str
    id_number: str
    full: bool
    pk: int | None = None


@dataclass
class PlannedMeeting:
    r: MeetingRow
    kinds: list[MeetingKind]
    host: Person | None
    recorder: Person | None
    lecturer: Person | None
    attendance: list[tuple[Person, str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Parsing one row


def _split(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def _time(row: Row, header: str) -> datetime.time | None:
    value = row.values.get(header)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60, minutes % 60)
    text = cell_text(value)
    match = TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    row.error(header, _("“%(value)s”不是时间，请填写 时:分，如 14:30") % {"value": text})
    return None


def _absentees(row: Row, header: str) -> list[tuple[str, str]]:
    out = []
    for item in _split(row.text(header)):
        name, sep, reason = item.replace("：", ":").partition(":")
        name, reason = name.strip(), reason.strip()
        if not sep or not name or not reason:
            row.error(
                header,
                _("“%(item)s”应写成 姓名:缺席原因，原因为%(reasons)s之一")
                % {"item": item, "reasons": "、".join(REASON_BY_LABEL)},
            )
        elif reason not in REASON_BY_LABEL:
            row.error(
                header,
                _("“%(name)s”的缺席原因“%(reason)s”不是允许的值，应为：%(reasons)s")
                % {"name": name, "reason": reason, "reasons": "、".join(REASON_BY_LABEL)},
            )
        else:
            out.append((name, REASON_BY_LABEL[reason]))
    return out


def parse_meeting_row(row: Row):
    unit_name = row.text("单位", required=True, max_length=100)
    date = row.date("日期", required=True)
    start_time = _time(row, "开始时间")
    kind_names = list(dict.fromkeys(_split(row.text("类型", required=True))))
    topic = row.text("主题", required=True, max_length=200)
    host = row.text("主持人", max_length=60)
    recorder = row.text("记录人", max_length=60)
    lecturer = row.text("讲课人", max_length=60)
    present = _split(row.text("出席"))
    absent = _absentees(row, "缺席")
    minutes = row.text("纪要")
    problems = row.integer("问题数", minimum=0, maximum=MAX_PROBLEMS)
    held_for_year = row.integer("年度", minimum=2000, maximum=2100)
    return row.result(
        MeetingRow(
            row.number,
            unit_name,
            date,
            start_time,
            kind_names,
            topic,
            host,
            recorder,
            lecturer,
            present,
            absent,
            minutes,
            problems or 0,
            held_for_year,
        )
    )


# ---------------------------------------------------------------------------------------------
# Checking the rows against the units, members and rules


def import_key(unit_pk: int, date: datetime.date, start_time, codes, topic: str) -> str:
    """Identifies an imported meeting, so that importing the same ledger twice adds nothing."""
    text = "|".join(
        [
            str(unit_pk),
            date.isoformat(),
            start_time.strftime("%H:%M") if start_time else "",
            ",".join(sorted(codes)),
            topic,
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Rosters:
    """Who belonged to which unit when: database memberships (one query per membership table) and
    the members this workbook's 党员 sheet adds to a branch; the committee seats by date."""

    def __init__(self, ctx: ImportContext, units: list[UnitRef]):
        self.ctx = ctx
        db_units = [u.db for u in units if u.db is not None]
        branches = [u for u in db_units if u.kind == UnitKind.BRANCH]
        groups = [u for u in db_units if u.kind == UnitKind.PARTY_GROUP]
        self.rows: dict[str, list[tuple]] = {}
        for model, wanted in ((BranchMembership, branches), (GroupMembership, groups)):
            if not wanted:
                continue
            rows = model.objects.filter(unit__in=wanted).values_list(
                "unit__name",
                "start_on",
                "end_on",
                "member_id",
                "member__name",
                "member__id_number",
                "member__category",
                "member__full_member_on",
            )
            for unit_name, start, end, pk, name, id_number, category, full_on in rows:
                self.rows.setdefault(unit_name, []).append((start, end, pk, name, id_number, category, full_on))
        self.keys: dict[str, int] = {}  # id number -> the id the rules see
        for ref in ctx.members.values():
            if ref.db is not None:
                self.keys[ref.id_number] = ref.db.pk
        for unit_rows in self.rows.values():
            for _s, _e, pk, _n, id_number, _c, _f in unit_rows:
                self.keys[id_number] = pk
        self.seats = self._seats(branches)

    def key(self, id_number: str) -> int:
        if id_number not in self.keys:
            self.keys[id_number] = -(len(self.keys) + 1)
        return self.keys[id_number]

    def on(self, unit: UnitRef, day: datetime.date) -> list[Person]:
        people: dict[str, Person] = {}
        for start, end, pk, name, id_number, category, full_on in self.rows.get(unit.name, []):
            if start <= day and (end is None or end > day):
                people[id_number] = Person(pk, name, id_number, was_full_member_on(category, full_on, day), pk=pk)
        for ref in self.ctx.members.values():
            if ref.db is not None or not ref.entered_on or ref.id_number in people:
                continue
            if unit.kind == UnitKind.BRANCH:
                start = ref.entered_on if ref.branch_name == unit.name else None
            else:  # a 党小组: stored from the later of entering the branch and the group's founding
                start = max(ref.entered_on, unit.founded_on) if ref.group_name == unit.name else None
            if start is not None and start <= day:
                people[ref.id_number] = Person(
                    self.key(ref.id_number),
                    ref.name,
                    ref.id_number,
                    was_full_member_on(ref.category, ref.full_member_on, day),
                )
        return list(people.values())

    def _seats(self, branches) -> dict[str, list[tuple]]:
        """Unit name -> [(elected_on, ended_on, id number)] of approved terms (stored or planned)."""
        seats: dict[str, list[tuple]] = {}
        if branches:
            rows = TermMember.objects.filter(
                term__unit__in=branches,
                term__status__in=[TermStatus.CURRENT, TermStatus.ENDED],
                term__archived_at__isnull=True,
            ).values_list("term__unit__name", "term__elected_on", "term__ended_on", "member__id_number")
            for unit_name, elected, ended, id_number in rows:
                seats.setdefault(unit_name, []).append((elected, ended, id_number))
        for term in (self.ctx.plans.get("terms") or {}).values():
            if term.existing is None and term.status in (TermStatus.CURRENT, TermStatus.ENDED):
                for s in term.seats:
                    seats.setdefault(term.branch_name, []).append((term.first.elected_on, term.ended_on, s.id_number))
        return seats

    def committee_on(self, unit: UnitRef, day: datetime.date) -> set[int]:
        return {
            self.key(id_number)
            for elected, ended, id_number in self.seats.get(unit.name, [])
            if elected <= day and (ended is None or ended > day)
        }


def _resolve(ctx, r: MeetingRow, header: str, text: str, people: list[Person], unit: UnitRef) -> Person | None:
    match = NAME_WITH_ID.match(text)
    name, tail = (match.group(1).strip(), match.group(2).upper()) if match else (text, "")
    found = [p for p in people if p.name == name and (not tail or p.id_number.upper().endswith(tail))]
    if len(found) == 1:
        return found[0]
    if not found:
        ctx.error(
            SHEET,
            r.row,
            header,
            _("“%(name)s”在%(day)s不是“%(unit)s”的党员") % {"name": text, "day": r.date.isoformat(), "unit": unit.name},
        )
    else:
        ctx.error(
            SHEET,
            r.row,
            header,
            _("“%(unit)s”有%(n)s名党员叫“%(name)s”，请写成“%(name)s（公民身份号码后四位）”加以区分")
            % {"unit": unit.name, "n": len(found), "name": name},
        )
    return None


def _unit(ctx: ImportContext, r: MeetingRow) -> UnitRef | None:
    if ctx.is_broken("组织", r.unit_name):
        return None
    unit = ctx.unit(r.unit_name)
    if unit is None:
        ctx.error(
            SHEET,
            r.row,
            "单位",
            _("单位“%(name)s”不存在（表中和系统中都没有），或不在您的管理范围内") % {"name": r.unit_name},
        )
        return None
    if unit.kind not in (UnitKind.BRANCH, UnitKind.PARTY_GROUP):
        ctx.error(
            SHEET,
            r.row,
            "单位",
            _("“%(name)s”不是党支部或党小组，只有党支部和党小组录入会议记录") % {"name": r.unit_name},
        )
        return None
    return unit


def _kinds(ctx: ImportContext, r: MeetingRow, by_name: dict[str, MeetingKind]) -> list[MeetingKind] | None:
    unknown = [n for n in r.kind_names if n not in by_name]
    if unknown:
        ctx.error(
            SHEET,
            r.row,
            "类型",
            _("“%(names)s”不是会议类型，应为：%(allowed)s（多个类型用“、”分隔）")
            % {"names": "、".join(unknown), "allowed": "、".join(by_name)},
        )
        return None
    return [by_name[n] for n in r.kind_names]


def _existing(ctx: ImportContext, rows: list[MeetingRow], units: dict[str, UnitRef], by_name) -> tuple[set, set]:
    """Import keys already stored, and (unit, date, start time, topic) of meetings recorded by hand."""
    db_units = {u.db for u in units.values() if u.db is not None}
    if not db_units:
        return set(), set()
    keys = set()
    for r in rows:
        unit = units.get(r.unit_name)
        if unit is not None and unit.db is not None and r.date and all(n in by_name for n in r.kind_names):
            keys.add(import_key(unit.db.pk, r.date, r.start_time, [by_name[n].code for n in r.kind_names], r.topic))
    stored = set(Meeting.objects.filter(import_key__in=keys).values_list("import_key", flat=True))
    dates = {r.date for r in rows if r.date}
    by_hand = set(
        Meeting.objects.active()
        .filter(unit__in=db_units, date__in=dates)
        .values_list("unit__name", "date", "start_time", "topic")
    )
    return stored, by_hand


def check_meetings(ctx: ImportContext, rows: list[MeetingRow]) -> None:
    by_name = {k.name: k for k in MeetingKind.objects.filter(archived_at__isnull=True)}
    ctx.load_units({r.unit_name for r in rows})
    units: dict[str, UnitRef] = {}
    seen: dict[tuple, int] = {}
    checked: list[tuple[MeetingRow, UnitRef, list[MeetingKind]]] = []
    for r in rows:
        unit = _unit(ctx, r)
        kinds = _kinds(ctx, r, by_name)
        same = (r.unit_name, r.date, r.start_time, tuple(sorted(r.kind_names)), r.topic)
        if same in seen:
            ctx.error(
                SHEET,
                r.row,
                "主题",
                _("与第%(row)s行是同一次会议（单位、日期、开始时间、类型和主题都相同）") % {"row": seen[same]},
            )
            continue
        seen[same] = r.row
        if unit is not None and kinds is not None:
            units[r.unit_name] = unit
            checked.append((r, unit, kinds))
    stored, by_hand = _existing(ctx, [r for r, _u, _k in checked], units, by_name)
    rosters = Rosters(ctx, list(units.values()))
    planned: list[PlannedMeeting] = []
    outcome = ctx.outcome("meetings")
    for r, unit, kinds in checked:
        if unit.db is not None and (
            import_key(unit.db.pk, r.date, r.start_time, [k.code for k in kinds], r.topic) in stored
            or (unit.name, r.date, r.start_time, r.topic) in by_hand
        ):
            outcome.present += 1
            continue
        meeting = _check_row(ctx, r, unit, kinds, rosters)
        if meeting is not None:
            planned.append(meeting)
    ctx.plans["meetings"] = planned


def check_failed_meetings(ctx: ImportContext, failed: list[RowErrors]) -> None:
    """The unit named by rows that failed to parse (when that cell was readable)."""
    rows = [f.partial for f in failed if f.partial.unit_name and "单位" not in f.columns]
    ctx.load_units({r.unit_name for r in rows})
    for r in rows:
        _unit(ctx, r)


def _check_row(ctx, r: MeetingRow, unit: UnitRef, kinds, rosters: Rosters) -> PlannedMeeting | None:
    before = len(ctx.errors)
    people = rosters.on(unit, r.date)
    roles = {}
    for header, text in (("主持人", r.host), ("记录人", r.recorder), ("讲课人", r.lecturer)):
        roles[header] = _resolve(ctx, r, header, text, people, unit) if text else None
    attendance = []
    for text in r.present:
        person = _resolve(ctx, r, "出席", text, people, unit)
        if person is not None:
            attendance.append((person, AttendanceStatus.PRESENT, ""))
    for text, reason in r.absent:
        person = _resolve(ctx, r, "缺席", text, people, unit)
        if person is not None:
            attendance.append((person, AttendanceStatus.ABSENT, reason))
    if len(ctx.errors) > before:
        return None  # the rules would only repeat what the names already say
    host, recorder, lecturer = roles["主持人"], roles["记录人"], roles["讲课人"]
    facts = rules.MeetingFacts(
        kinds={k.code for k in kinds},
        date=r.date,
        start_time=r.start_time,
        topic=r.topic,
        host_id=host.key if host else None,
        recorder_id=recorder.key if recorder else None,
        lecturer_id=lecturer.key if lecturer else None,
        attendee_ids=[p.key for p, status, _r in attendance if status == AttendanceStatus.PRESENT],
        absentees=[(p.key, reason) for p, status, reason in attendance if status == AttendanceStatus.ABSENT],
        unit_member_ids={p.key for p in people},
        full_member_ids={p.key for p in people if p.full},
        committee_member_ids=rosters.committee_on(unit, r.date) if unit.kind == UnitKind.BRANCH else set(),
        problems=[problem_text(i) for i in range(1, r.problem_count + 1)],
        minutes=r.minutes,
        unit_kind=unit.kind,
        unit_founded_on=unit.founded_on,
        unit_dissolved_on=unit.dissolved_on,
        names={p.key: p.name for p in people},
        host_and_recorder_required=False,
    )
    errors = rules.meeting_errors(facts, today=ctx.today)
    if r.held_for_year is not None:
        if not facts.kinds & rules.ANNUAL_KINDS:
            errors["held_for_year"] = _("年度：只有组织生活会填写所属年度。")
        else:
            errors.update(rules.held_for_year_errors(r.date, r.held_for_year))
    for key, message in errors.items():
        ctx.error(SHEET, r.row, FIELD_COLUMNS.get(key, ""), message)
    if errors:
        return None
    return PlannedMeeting(r, kinds, host, recorder, lecturer, attendance)


# ---------------------------------------------------------------------------------------------
# Writing


def write_meetings(ctx: ImportContext, rows: list[MeetingRow]) -> None:
    from ledger.services import LedgerImportError

    planned: list[PlannedMeeting] = ctx.plans.get("meetings", [])
    outcome = ctx.outcome("meetings")
    # Every record of one import is entered at the same moment: the import's.
    entered_at = timezone.now()
    pks, id_numbers = set(), set()
    for p in planned:
        for person in [p.host, p.recorder, p.lecturer] + [a[0] for a in p.attendance]:
            if person is not None:
                if person.pk:
                    pks.add(person.pk)
                else:
                    id_numbers.add(person.id_number)
    by_pk = Member.objects.in_bulk(pks)
    by_id_number = {m.id_number: m for m in Member.objects.with_id_numbers(id_numbers)}

    def member(person: Person | None):
        if person is None:
            return None
        return by_pk[person.pk] if person.pk else by_id_number[person.id_number]

    errors: list[RowError] = []
    for p in planned:
        unit = ctx.unit_obj(p.r.unit_name)
        ctx.touched_paths.add(unit.path)
        data = {
            "date": p.r.date,
            "start_time": p.r.start_time,
            "topic": p.r.topic,
            "host": member(p.host),
            "recorder": member(p.recorder),
            "lecturer": member(p.lecturer),
            "minutes": p.r.minutes,
            "held_for_year": p.r.held_for_year,
        }
        try:
            meeting_services.record_meeting(
                unit,
                data,
                actor=ctx.actor,
                kinds=p.kinds,
                attendance=[(member(person), status, reason) for person, status, reason in p.attendance],
                problems=[problem_text(i) for i in range(1, p.r.problem_count + 1)],
                source=EntrySource.IMPORT,
                entered_at=entered_at,
                import_key=import_key(unit.pk, p.r.date, p.r.start_time, [k.code for k in p.kinds], p.r.topic),
            )
        except meeting_services.MeetingError as exc:  # the stored data differs from what the check saw
            errors += [RowError(SHEET, p.r.row, FIELD_COLUMNS.get(k, ""), m) for k, m in exc.errors.items()]
            continue
        outcome.added += 1
    if errors:
        raise LedgerImportError(errors)  # rolls back the whole workbook


MEETINGS = register(
    SheetSpec(
        name=SHEET,
        key="meetings",
        label=gettext_lazy("会议记录"),
        description=gettext_lazy(
            "以往的会议记录，每行一次会议（合并召开的写在同一行，类型用“、”分隔）。人员须为该单位在会议日期的党员，"
            "同名的写成“姓名（公民身份号码后四位）”。按会议录入的同样规则检查（如党员大会、支委会须过半数到会）。"
            "导入的记录以导入时间为录入时间，因此导入时已超过补录期限（默认7天）的会议标记为补录。"
            "已导入过的会议（单位、日期、开始时间、类型、主题相同）不会重复添加。"
        ),
        key_column="",
        columns=(
            Column("单位", required=True, help=gettext_lazy("党支部或党小组的名称"), width=18, example="第一党支部"),
            Column(
                "日期", required=True, help=gettext_lazy("会议召开日期，不晚于今天"), is_date=True, example="2024-03-15"
            ),
            Column("开始时间", help=gettext_lazy("时:分，如 14:30"), width=10, example="14:30"),
            Column(
                "类型",
                required=True,
                help=gettext_lazy(
                    "会议类型名称，多个用“、”分隔：支委会、党小组会、支部党员大会、党课、主题党日、组织生活会等"
                ),
                width=24,
                example="主题党日、支部党员大会、党课",
            ),
            Column("主题", required=True, help=gettext_lazy("不超过200字"), width=28, example="学习党章"),
            Column("主持人", help=gettext_lazy("姓名"), width=10, example="张三"),
            Column("记录人", help=gettext_lazy("姓名"), width=10, example="李四"),
            Column("讲课人", help=gettext_lazy("党课须填写"), width=10, example="张三"),
            Column(
                "出席",
                help=gettext_lazy("出席人员姓名，用“、”分隔"),
                width=30,
                example="张三、李四、王五",
            ),
            Column(
                "缺席",
                help=gettext_lazy("姓名:缺席原因，用“、”分隔；原因为公差、病假、事假或其他"),
                width=22,
                example="赵六:公差、钱七:病假",
            ),
            Column("纪要", help=gettext_lazy("会议纪要"), width=40, example="书记传达上级精神，党员交流发言。"),
            Column(
                "问题数",
                help=gettext_lazy("组织生活会解决的实际问题数（0至20），导入为相应条数的问题，内容见纪要"),
                width=8,
                example="2",
            ),
            Column(
                "年度",
                help=gettext_lazy(
                    "组织生活会所属年度（可选，只填组织生活会）：会议年份或上一年；留空时1、2月召开的为上一年度，其余为当年"
                ),
                width=8,
                example="2023",
            ),
        ),
        order=40,
        parse_row=parse_meeting_row,
        check=check_meetings,
        check_failed=check_failed_meetings,
        write=write_meetings,
    )
)
