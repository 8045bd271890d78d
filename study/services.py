"""Study services: individual records and their review, the yearly settings, the fixed study
day, the ledger (loaded set-based, judged by ``study.rules``) and the clean-governance counts.

Every change checks its preconditions (``StudyError`` with a Chinese message naming the field),
runs in ``transaction.atomic``, writes the audit entry and returns the object.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import TermMember, TermStatus
from common import holidays
from common.archiving import set_archived
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from common.edits import created_changes
from common.errors import DomainError
from common.workflow import check_move
from meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from members.models import BranchMembership, Member
from organizations.models import Unit, UnitKind
from study import rules
from study.models import (
    DEFAULT_COUNTED_KINDS,
    DEFAULT_LEADER_TARGET,
    DEFAULT_MEETING_HOURS,
    DEFAULT_MEMBER_TARGET,
    RecordStatus,
    StudyDayRule,
    StudyRecord,
    StudyYear,
)

RECORD_FIELDS = ["title", "date", "hours", "note"]
YEAR_FIELDS = ["member_target", "leader_target", "default_meeting_hours"]
STUDYDAY_FIELDS = ["mode", "nth", "weekday", "day", "note"]
KINDS_KEY = "counted_kinds"

# Allowed status moves of a record (the only way to move is the service).
TRANSITIONS = {
    RecordStatus.SUBMITTED: {RecordStatus.CONFIRMED, RecordStatus.RETURNED},
    RecordStatus.RETURNED: {RecordStatus.SUBMITTED},
    RecordStatus.CONFIRMED: set(),
}


class StudyError(DomainError):
    """A refused change. ``errors`` maps form fields ("__all__" for the record) to messages."""


def _today() -> datetime.date:
    return timezone.localdate()


def _move(record: StudyRecord, to: str) -> None:
    check_move(
        record,
        to,
        moves={(frm, nxt) for frm, nexts in TRANSITIONS.items() for nxt in nexts},
        error=StudyError,
        refused=_("状态：%(from)s的记录不能改为%(to)s。"),
    )


# ---------------------------------------------------------------------------------------------
# Individual study records


def member_branch(member: Member) -> Unit | None:
    row = BranchMembership.objects.filter(member=member, end_on__isnull=True).select_related("unit").first()
    return row.unit if row else None


def _clean_record(data: dict, *, today: datetime.date) -> dict:
    errors = rules.record_errors(data, today=today)
    if errors:
        raise StudyError(errors)
    return {
        "title": data["title"].strip(),
        "date": data["date"],
        "hours": Decimal(data["hours"]),
        "note": (data.get("note") or "").strip(),
    }


def record_study(member: Member, data: dict, *, actor, today: datetime.date | None = None) -> StudyRecord:
    """The member enters their own study; it waits for the branch committee's confirmation."""
    clean = _clean_record(data, today=today or _today())
    if member.is_archived:
        raise StudyError({"__all__": _("党员：%(member)s 的档案已归档。") % {"member": member}})
    branch = member_branch(member)
    if branch is None:
        raise StudyError({"__all__": _("党支部：%(member)s 目前不在任何党支部，无法提交。") % {"member": member}})
    with transaction.atomic():
        record = StudyRecord.objects.create(member=member, unit=branch, submitted_by=actor, **clean)
        log_action(
            "study.record.submitted",
            actor=actor,
            obj=record,
            unit=branch,
            changes=created_changes(record, RECORD_FIELDS),
        )
    return record


def update_study(
    record: StudyRecord, data: dict, *, actor, expected_version: int, today: datetime.date | None = None
) -> StudyRecord:
    """Change a record that is not yet confirmed; a returned record goes back for confirmation."""
    if record.is_archived:
        raise StudyError({"__all__": _("状态：该记录已撤回，不能修改。")})
    if record.status == RecordStatus.CONFIRMED:
        raise StudyError({"__all__": _("状态：已确认的记录不能修改。")})
    clean = _clean_record(data, today=today or _today())
    with transaction.atomic():
        before = snapshot(record, [*RECORD_FIELDS, "status"])
        for k, v in clean.items():
            setattr(record, k, v)
        fields = list(RECORD_FIELDS)
        if record.status == RecordStatus.RETURNED:
            record.status = RecordStatus.SUBMITTED
            fields.append("status")
        save_with_version(record, expected_version, fields)
        changes = diff(before, snapshot(record, [*RECORD_FIELDS, "status"]))
        if changes:
            log_action("study.record.changed", actor=actor, obj=record, unit=record.unit, changes=changes)
    return record


def _review(record: StudyRecord, to_status: str, reason: str, *, actor, action: str, **log) -> StudyRecord:
    """The branch committee's verdict on a record: confirmed, or returned with ``reason``."""
    _move(record, to_status)
    with transaction.atomic():
        old = record.get_status_display()
        record.status = to_status
        record.return_reason = reason
        record.reviewed_by = actor
        record.reviewed_at = timezone.now()
        record.version += 1
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason", "version", "updated_at"])
        changes = {"status": [old, record.get_status_display()]}
        if reason:
            changes["return_reason"] = [None, reason]
        log_action(action, actor=actor, obj=record, unit=record.unit, changes=changes, **log)
    return record


def confirm_study(record: StudyRecord, *, actor) -> StudyRecord:
    """The branch committee confirms a record; never the member who it belongs to."""
    if record.member.user_id is not None and record.member.user_id == getattr(actor, "pk", None):
        raise StudyError({"__all__": _("审核人：不能确认本人的学习记录，请由支部其他委员确认。")})
    if record.is_archived:
        raise StudyError({"__all__": _("状态：该记录已撤回。")})
    return _review(
        record,
        RecordStatus.CONFIRMED,
        "",
        actor=actor,
        action="study.record.confirmed",
        data={"hours": str(record.hours)},
    )


def return_study(record: StudyRecord, reason: str, *, actor) -> StudyRecord:
    """Send a record back to the member with a reason (they correct it and submit again)."""
    reason = (reason or "").strip()
    if not reason:
        raise StudyError({"reason": _("退回理由：请写明退回的理由。")})
    if record.member.user_id is not None and record.member.user_id == getattr(actor, "pk", None):
        raise StudyError({"__all__": _("审核人：不能审核本人的学习记录。")})
    if record.is_archived:
        raise StudyError({"__all__": _("状态：该记录已撤回。")})
    return _review(record, RecordStatus.RETURNED, reason, actor=actor, action="study.record.returned")


def archive_study(record: StudyRecord, *, actor) -> StudyRecord:
    """The member withdraws a record that is not confirmed (kept, with its history)."""

    def check():
        if record.status == RecordStatus.CONFIRMED:
            raise StudyError(_("状态：已确认的记录不能撤回。"))

    return set_archived(
        record,
        True,
        actor=actor,
        action="study.record.archived",
        unit=record.unit,
        error=StudyError,
        already=_("状态：该记录已撤回。"),
        check=check,
        versioned=True,
    )


# ---------------------------------------------------------------------------------------------
# Year settings


def year_settings(year: int) -> rules.YearSettings:
    """The settings of ``year``: its StudyYear row, or the defaults when it has none (two queries)."""
    row = StudyYear.objects.filter(year=year).first()
    if row is None:
        return rules.YearSettings(
            year=year,
            member_target=DEFAULT_MEMBER_TARGET,
            leader_target=DEFAULT_LEADER_TARGET,
            default_meeting_hours=DEFAULT_MEETING_HOURS,
            counted_kinds=frozenset(DEFAULT_COUNTED_KINDS),
        )
    return rules.YearSettings(
        year=year,
        member_target=row.member_target,
        leader_target=row.leader_target,
        default_meeting_hours=row.default_meeting_hours,
        counted_kinds=frozenset(row.counted_kinds.values_list("code", flat=True)),
    )


def default_kinds() -> list[MeetingKind]:
    return list(MeetingKind.objects.filter(code__in=DEFAULT_COUNTED_KINDS))


def _kinds_text(kinds: Iterable[MeetingKind]) -> str:
    return "、".join(k.name for k in sorted(kinds, key=lambda k: (k.sort_order, k.pk)))


def _check_year(data: dict, kinds: Sequence[MeetingKind]) -> dict:
    errors = {}
    for name, label in (("member_target", _("党员学时要求")), ("leader_target", _("支部书记、支委学时要求"))):
        value = data.get(name)
        if value is None or value <= 0 or value > 500:
            errors[name] = _("%(label)s：须大于 0 且不超过 500。") % {"label": label}
    hours = data.get("default_meeting_hours")
    if hours is None or hours <= 0 or hours > 12:
        errors["default_meeting_hours"] = _("未填时间的会议按学时计：须大于 0 且不超过 12。")
    if not kinds:
        errors["counted_kinds"] = _("计入学时的会议类型：请至少选择一种。")
    if errors:
        raise StudyError(errors)
    return {k: Decimal(data[k]) for k in YEAR_FIELDS}


def save_study_year(
    year: int, data: dict, *, actor, kinds: Sequence[MeetingKind], expected_version: int | None = None
) -> StudyYear:
    """Create or change the settings of ``year`` (a change is refused when the form is stale)."""
    if not 2000 <= year <= 2100:
        raise StudyError({"year": _("年度：须在 2000 至 2100 之间。")})
    kinds = list(kinds)
    clean = _check_year(data, kinds)
    with transaction.atomic():
        row = StudyYear.objects.select_for_update().filter(year=year).first()
        if row is None:
            row = StudyYear.objects.create(year=year, **clean)
            row.counted_kinds.set(kinds)
            log_action(
                "study.year.created",
                actor=actor,
                obj=row,
                changes={
                    **{k: [None, v] for k, v in snapshot(row, YEAR_FIELDS).items()},
                    KINDS_KEY: [None, _kinds_text(kinds)],
                },
            )
            return row
        before = snapshot(row, YEAR_FIELDS)
        old_kinds = _kinds_text(row.counted_kinds.all())
        for k, v in clean.items():
            setattr(row, k, v)
        save_with_version(row, row.version if expected_version is None else expected_version, YEAR_FIELDS)
        row.counted_kinds.set(kinds)
        changes = diff(before, snapshot(row, YEAR_FIELDS))
        if _kinds_text(kinds) != old_kinds:
            changes[KINDS_KEY] = [old_kinds, _kinds_text(kinds)]
        if changes:
            log_action("study.year.changed", actor=actor, obj=row, changes=changes)
    return row


# ---------------------------------------------------------------------------------------------
# The fixed study day


def save_study_day_rule(unit: Unit, data: dict, *, actor, expected_version: int | None = None) -> StudyDayRule:
    """Set or change a branch's fixed study day."""
    if unit.kind != UnitKind.BRANCH:
        raise StudyError({"__all__": _("党支部：固定学习日按党支部设置。")})
    if unit.is_archived:
        raise StudyError({"__all__": _("党支部：%(unit)s 已归档。") % {"unit": unit}})
    mode = data.get("mode")
    errors = {}
    if mode not in (rules.NTH_WEEKDAY, rules.LAST_WEEKDAY, rules.DAY_OF_MONTH):
        errors["mode"] = _("规则：请选择固定学习日的规则。")
    if mode == rules.NTH_WEEKDAY and data.get("nth") not in (1, 2, 3, 4):
        errors["nth"] = _("第几个：请填写 1 至 4。")
    if mode in (rules.NTH_WEEKDAY, rules.LAST_WEEKDAY) and data.get("weekday") not in range(7):
        errors["weekday"] = _("星期几：请选择星期几。")
    if mode == rules.DAY_OF_MONTH and data.get("day") not in range(1, 32):
        errors["day"] = _("日期：请填写 1 至 31。")
    if errors:
        raise StudyError(errors)
    clean = {
        "mode": mode,
        "nth": data.get("nth") or 1,
        "weekday": data.get("weekday") if data.get("weekday") is not None else 4,
        "day": data.get("day") or 1,
        "note": (data.get("note") or "").strip(),
    }
    with transaction.atomic():
        rule = StudyDayRule.objects.select_for_update().filter(unit=unit).first()
        if rule is None:
            rule = StudyDayRule.objects.create(unit=unit, **clean)
            log_action(
                "study.studyday.created",
                actor=actor,
                obj=rule,
                unit=unit,
                changes={"rule": [None, str(rule)]},
            )
            return rule
        before = str(rule)
        old = snapshot(rule, STUDYDAY_FIELDS)
        for k, v in clean.items():
            setattr(rule, k, v)
        save_with_version(rule, rule.version if expected_version is None else expected_version, STUDYDAY_FIELDS)
        changes = diff(old, snapshot(rule, STUDYDAY_FIELDS))
        if changes:
            if str(rule) != before:
                changes = {"rule": [before, str(rule)], **({"note": changes["note"]} if "note" in changes else {})}
            log_action("study.studyday.changed", actor=actor, obj=rule, unit=unit, changes=changes)
    return rule


def rule_dates(rule: StudyDayRule, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The rule's study days in [start, end], a day falling on a public holiday moved to the next
    working day of its month (``common.holidays``: the calendar 四强's 公示 counts on)."""
    # A day moves within its month, so the calendar of the whole months around the range is read.
    first = start.replace(day=1)
    last = (end.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    off, adjusted = holidays.calendar_sets(first, last)
    return rules.study_days(
        rule.mode, start, end, nth=rule.nth, weekday=rule.weekday, day=rule.day, holidays=off, adjusted=adjusted
    )


def study_day_meetings(unit: Unit, start: datetime.date, end: datetime.date) -> list[Meeting]:
    """The branch's (not archived) meetings of kind study_day in [start, end]."""
    return list(
        Meeting.objects.active()
        .filter(unit=unit, kinds__code=rules.STUDY_DAY)
        .held_between(start, end)
        .distinct()
        .order_by("date", "start_time", "id")
    )


# ---------------------------------------------------------------------------------------------
# The ledger: a fixed number of queries, whatever the number of members


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def branch_members(branches, year: int) -> list[tuple[int, int, str]]:
    """``(branch id, member id, name)`` of everybody who belonged to one of ``branches`` at some
    time in ``year`` (one query). A member who moved appears under both branches."""
    start, end = _year_bounds(year)
    rows = (
        BranchMembership.objects.filter(unit__in=branches, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=start))
        .filter(member__archived_at__isnull=True)
        .order_by("member__name", "member_id")
        .values_list("unit_id", "member_id", "member__name")
        .distinct()
    )
    return list(rows)


def leader_ids(member_ids, year: int) -> set[int]:
    """Members who held a seat in an approved term in office at some time in ``year`` (one query)."""
    start, end = _year_bounds(year)
    seats = TermMember.objects.filter(
        Q(term__ended_on__isnull=True) | Q(term__ended_on__gte=start),
        member_id__in=member_ids,
        term__status__in=[TermStatus.CURRENT, TermStatus.ENDED],
        term__archived_at__isnull=True,
        term__elected_on__lte=end,
    )
    return set(seats.values_list("member_id", flat=True))


def attended_meetings(member_ids, settings: rules.YearSettings) -> dict[int, list[rules.MeetingFact]]:
    """Meetings of counted kinds in the year each member was present at (two queries)."""
    start, end = _year_bounds(settings.year)
    rows = list(
        Attendance.objects.filter(
            member_id__in=member_ids,
            status=AttendanceStatus.PRESENT,
            meeting__archived_at__isnull=True,
            meeting__date__gte=start,
            meeting__date__lte=end,
            meeting__kinds__code__in=settings.counted_kinds,
        )
        .values_list(
            "member_id",
            "meeting_id",
            "meeting__date",
            "meeting__start_time",
            "meeting__end_time",
            "meeting__topic",
            "meeting__unit__name",
        )
        .distinct()
    )
    meeting_ids = {r[1] for r in rows}
    kinds: dict[int, list[tuple[str, str, int]]] = {}
    if meeting_ids:
        through = Meeting.kinds.through.objects.filter(meeting_id__in=meeting_ids).values_list(
            "meeting_id", "meetingkind__code", "meetingkind__name", "meetingkind__sort_order"
        )
        for mid, code, name, order in through:
            kinds.setdefault(mid, []).append((code, name, order))
    facts: dict[int, rules.MeetingFact] = {}
    out: dict[int, list[rules.MeetingFact]] = {}
    for member_id, mid, date, st, et, topic, unit_name in rows:
        if mid not in facts:
            ks = sorted(kinds.get(mid, []), key=lambda k: k[2])
            facts[mid] = rules.MeetingFact(
                mid, date, st, et, topic, unit_name, frozenset(k[0] for k in ks), tuple(k[1] for k in ks)
            )
        out.setdefault(member_id, []).append(facts[mid])
    return out


def confirmed_records(member_ids, year: int) -> dict[int, list[rules.RecordFact]]:
    start, end = _year_bounds(year)
    rows = StudyRecord.objects.active().filter(
        member_id__in=member_ids, status=RecordStatus.CONFIRMED, date__gte=start, date__lte=end
    )
    out: dict[int, list[rules.RecordFact]] = {}
    for pk, member_id, date, title, hours in rows.values_list("pk", "member_id", "date", "title", "hours"):
        out.setdefault(member_id, []).append(rules.RecordFact(pk, date, title, hours))
    return out


@dataclass
class BranchLedger:
    branch: Unit
    rows: list[rules.LedgerRow]

    @property
    def summary(self) -> rules.Summary:
        return rules.summarize(self.rows)


def load_ledgers(branches: Sequence[Unit], year: int) -> tuple[rules.YearSettings, list[BranchLedger]]:
    """The ledger of each branch for ``year``: about seven queries, whatever the number of members."""
    settings = year_settings(year)
    branches = list(branches)
    memberships = branch_members([b.pk for b in branches], year)
    member_ids = {m for _b, m, _n in memberships}
    attended = attended_meetings(member_ids, settings)
    records = confirmed_records(member_ids, year)
    leaders = leader_ids(member_ids, year)
    by_branch: dict[int, list[tuple[int, str]]] = {}
    for branch_id, member_id, name in memberships:
        by_branch.setdefault(branch_id, []).append((member_id, name))
    ledgers = [
        BranchLedger(b, rules.build_ledger(by_branch.get(b.pk, []), attended, records, leaders, settings))
        for b in branches
    ]
    return settings, ledgers


def member_ledger(member: Member, year: int) -> tuple[rules.YearSettings, rules.LedgerRow]:
    settings = year_settings(year)
    row = rules.build_ledger(
        [(member.pk, member.name)],
        attended_meetings([member.pk], settings),
        confirmed_records([member.pk], year),
        leader_ids([member.pk], year),
        settings,
    )[0]
    return settings, row


# ---------------------------------------------------------------------------------------------
# Clean-governance education


def integrity_counts(branches: Sequence[Unit], year: int) -> dict[int, rules.IntegrityCount]:
    """Per branch (its party groups included): meetings in ``year`` carrying 警示教育 or 廉政学习,
    or with the 廉政 theme. Two queries."""
    branches = list(branches)
    if not branches:
        return {}
    start, end = _year_bounds(year)
    by_path = {b.path: b.pk for b in branches}
    units_q = Q()
    for b in branches:
        units_q |= Q(unit__path__startswith=b.path)
    codes = (rules.WARNING_EDUCATION, rules.INTEGRITY_STUDY)
    meetings = list(
        Meeting.objects.active()
        .held_between(start, end)
        .filter(units_q)
        .filter(Q(kinds__code__in=codes) | Q(theme_category=rules.INTEGRITY_THEME))
        .values_list("pk", "unit__path", "theme_category")
        .distinct()
    )
    ids = {m[0] for m in meetings}
    kinds: dict[int, set[str]] = {}
    for mid, code in Meeting.kinds.through.objects.filter(meeting_id__in=ids, meetingkind__code__in=codes).values_list(
        "meeting_id", "meetingkind__code"
    ):
        kinds.setdefault(mid, set()).add(code)

    def branch_of(path: str) -> int | None:
        for p, pk in by_path.items():
            if path.startswith(p):
                return pk
        return None

    facts = []
    for mid, path, theme in meetings:
        branch_id = branch_of(path)
        if branch_id is not None:
            facts.append((mid, branch_id, frozenset(kinds.get(mid, ())), theme))
    return rules.integrity_counts(facts)


def record_export(branch: Unit, year: int, count: int, *, actor) -> None:
    """The audit entry of a ledger export (who, which branch and year, how many rows)."""
    log_action("study.ledger.exported", actor=actor, obj=branch, unit=branch, data={"year": year, "rows": count})
