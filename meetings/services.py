"""Every change to a meeting record goes through these functions.

Each gathers the facts the rules need with a few queries, asks ``meetings.rules`` whether the record
may be saved (refusing with ``MeetingError`` whose ``errors`` map form fields to Chinese messages),
runs in one transaction, writes the audit entry and returns the object.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import TermMember, TermStatus
from committees.rules import was_full_member_on
from common.archiving import set_archived
from common.attaching import attach_upload, file_facts
from common.audit import log_action, snapshot
from common.concurrency import save_with_version
from common.edits import created_changes
from common.errors import DomainError
from meetings import counts, rules
from meetings.models import (
    AbsenceReason,
    AttachmentKind,
    Attendance,
    AttendanceStatus,
    EntrySource,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingProblem,
)
from members.models import Member
from organizations.models import Unit, UnitKind

# The fields ``data`` may set (record_meeting / update_meeting); the rest are kept by the services.
DATA_FIELDS = [
    "date",
    "start_time",
    "end_time",
    "place",
    "topic",
    "theme_category",
    "host",
    "recorder",
    "lecturer",
    "held_for_year",
    "invited",
    "minutes",
    "resolutions",
]
TEXT_FIELDS = ("place", "topic", "theme_category", "invited", "minutes", "resolutions")
# Fields shown in the 变更记录 tab.
AUDIT_FIELDS = [*DATA_FIELDS]

AttendanceRow = tuple[Member, str, str]


class MeetingError(DomainError):
    """A record the rules refuse. ``errors`` maps field names ("__all__" for the record) to messages."""


def late_entry_days() -> int:
    return int(settings.ZHIBU["LATE_ENTRY_DAYS"])


def _today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Facts


def unit_roster_on(unit: Unit, day: datetime.date) -> list[tuple[int, str, bool]]:
    """``(member id, name, is 正式党员 on day)`` of the unit's members on ``day``, in one query."""
    rows = (
        Member.objects.in_unit_on(unit, day)
        .order_by("name", "id")
        .values_list("pk", "name", "category", "full_member_on")
    )
    return [(pk, name, was_full_member_on(category, full_on, day)) for pk, name, category, full_on in rows]


def committee_member_ids_on(unit: Unit, day: datetime.date) -> set[int]:
    """Members holding a seat in the branch committee term in office on ``day`` (one query)."""
    seats = TermMember.objects.filter(
        Q(term__ended_on__isnull=True) | Q(term__ended_on__gt=day),
        term__unit=unit,
        term__status__in=[TermStatus.CURRENT, TermStatus.ENDED],
        term__archived_at__isnull=True,
        term__elected_on__lte=day,
    )
    return set(seats.values_list("member_id", flat=True))


def _clean_data(data: dict, base: dict | None = None) -> dict:
    out = dict(base or {})
    for name in DATA_FIELDS:
        if name in data:
            out[name] = data[name]
    for name in TEXT_FIELDS:
        out[name] = str(out.get(name) or "").strip()
    for name in ("date", "start_time", "end_time", "host", "recorder", "lecturer", "held_for_year"):
        out.setdefault(name, None)
    return out


def _settle_held_for_year(clean: dict, kinds) -> None:
    """A 组织生活会 carries its 年度 (the default for its date when none is given); other
    meetings carry none."""
    if {k.code for k in kinds} & rules.ANNUAL_KINDS:
        if clean["held_for_year"] in (None, "") and clean["date"] is not None:
            clean["held_for_year"] = rules.default_held_for_year(clean["date"])
    else:
        clean["held_for_year"] = None


def _years(*meetings_or_values) -> set[int]:
    """The years a change touches: the meetings' dates and the 年度 they are held for."""
    out = set()
    for day, held_for in meetings_or_values:
        out.add(day.year)
        if held_for is not None:
            out.add(held_for)
    return out


def _clean_attendance(attendance: Iterable[AttendanceRow]) -> list[AttendanceRow]:
    rows = []
    for member, status, reason in attendance:
        status = str(status or "")
        reason = str(reason or "") if status == AttendanceStatus.ABSENT else ""
        rows.append((member, status, reason))
    return rows


def _clean_problems(problems: Iterable[str]) -> list[str]:
    return [str(p).strip() for p in problems or () if str(p or "").strip()]


def _facts(unit: Unit, clean: dict, kinds, attendance: list[AttendanceRow], problems: list[str], *, imported=False):
    """The ``MeetingFacts`` of a record (1 query, 2 for a 支委会), and the unit's roster."""
    day = clean["date"]
    codes = {k.code for k in kinds}
    roster = unit_roster_on(unit, day) if day else []
    names = {pk: name for pk, name, _full in roster}
    for member, _status, _reason in attendance:
        names.setdefault(member.pk, member.name)
    bad_status = [m for m, s, _r in attendance if s not in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT)]
    facts = rules.MeetingFacts(
        kinds=codes,
        date=day,
        start_time=clean["start_time"],
        end_time=clean["end_time"],
        topic=clean["topic"],
        host_id=clean["host"].pk if clean["host"] else None,
        recorder_id=clean["recorder"].pk if clean["recorder"] else None,
        lecturer_id=clean["lecturer"].pk if clean["lecturer"] else None,
        attendee_ids=[m.pk for m, s, _r in attendance if s == AttendanceStatus.PRESENT],
        absentees=[(m.pk, r) for m, s, r in attendance if s == AttendanceStatus.ABSENT],
        unit_member_ids={pk for pk, _n, _f in roster},
        full_member_ids={pk for pk, _n, full in roster if full},
        committee_member_ids=committee_member_ids_on(unit, day) if day and "committee_meeting" in codes else set(),
        problems=problems,
        minutes=clean["minutes"],
        resolutions=clean["resolutions"],
        unit_kind=unit.kind,
        unit_founded_on=unit.founded_on,
        unit_dissolved_on=unit.dissolved_on,
        names=names,
        host_and_recorder_required=not imported,
    )
    return facts, bad_status


def _check(unit: Unit, clean: dict, kinds, attendance, problems, *, today: datetime.date, imported=False) -> None:
    facts, bad_status = _facts(unit, clean, kinds, attendance, problems, imported=imported)
    errors = rules.meeting_errors(facts, today=today)
    for key, message in rules.held_for_year_errors(clean["date"], clean["held_for_year"]).items():
        errors.setdefault(key, message)
    if bad_status:
        errors.setdefault(
            "attendance",
            _("出席情况：%(names)s 的出席情况应为出席或缺席。") % {"names": "、".join(m.name for m in bad_status)},
        )
    if unit.is_archived:
        errors.setdefault("unit", _("召开单位：“%(unit)s”已归档，不能录入会议记录。") % {"unit": unit})
    if errors:
        raise MeetingError(errors)


def _kind_names(kinds) -> list[str]:
    return [k.name for k in sorted(kinds, key=lambda k: (k.sort_order, k.pk or 0))]


def _attendance_summary(attendance: list[AttendanceRow]) -> dict:
    reasons = dict(AbsenceReason.choices)
    return {
        "present": [m.name for m, s, _r in attendance if s == AttendanceStatus.PRESENT],
        "absent": [f"{m.name}（{reasons.get(r, r)}）" for m, s, r in attendance if s == AttendanceStatus.ABSENT],
    }


def _write_children(meeting: Meeting, attendance: list[AttendanceRow], problems: list[str]) -> None:
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, status=s, absence_reason=r) for m, s, r in attendance]
    )
    if problems:
        MeetingProblem.objects.bulk_create(
            [MeetingProblem(meeting=meeting, text=t, sort_order=i) for i, t in enumerate(problems, start=1)]
        )


# ---------------------------------------------------------------------------------------------
# Recording and editing


def record_meeting(
    unit: Unit,
    data: dict,
    *,
    actor,
    kinds: Sequence[MeetingKind],
    attendance: Iterable[AttendanceRow],
    problems: Iterable[str] = (),
    source: str = EntrySource.FORM,
    entered_at: datetime.datetime | None = None,
    import_key: str = "",
) -> Meeting:
    """Record a meeting of ``unit`` (a branch or party group) held on ``data["date"]``.

    ``attendance`` is ``[(member, "present"/"absent", absence reason or "")]``. The entry time is
    now (or ``entered_at``, e.g. an import's time); the record is marked 补录 when it is entered
    more than ``ZHIBU["LATE_ENTRY_DAYS"]`` days after the meeting. Raises ``MeetingError``.
    """
    kinds = list(kinds)
    clean = _clean_data(data)
    rows = _clean_attendance(attendance)
    problem_texts = _clean_problems(problems)
    entered_at = entered_at or timezone.now()
    entered_on = timezone.localdate(entered_at)
    _settle_held_for_year(clean, kinds)
    _check(unit, clean, kinds, rows, problem_texts, today=entered_on, imported=source == EntrySource.IMPORT)

    with transaction.atomic():
        meeting = Meeting(
            unit=unit,
            entered_at=entered_at,
            entered_by=actor if getattr(actor, "pk", None) else None,
            source=source,
            late_entry=rules.is_late_entry(clean["date"], entered_on, late_entry_days()),
            import_key=import_key,
            **clean,
        )
        meeting.save()
        meeting.kinds.set(kinds)
        _write_children(meeting, rows, problem_texts)
        counts.refresh([unit.pk], _years((meeting.date, meeting.held_for_year)))
        changes = created_changes(meeting, AUDIT_FIELDS)
        changes["kinds"] = [None, _kind_names(kinds)]
        log_action(
            "meetings.meeting.recorded",
            actor=actor,
            obj=meeting,
            unit=unit,
            changes=changes,
            data={
                "source": source,
                "late_entry": meeting.late_entry,
                "attendance": _attendance_summary(rows),
                "problems": problem_texts,
                **({"import_key": import_key} if import_key else {}),
            },
        )
    return meeting


@dataclass(frozen=True)
class AttendanceClash:
    """A member recorded present at ``meeting`` and at ``other``, whose times overlap."""

    member: Member
    other: Meeting


def attendance_clashes(meeting: Meeting) -> list[AttendanceClash]:
    """Members present at ``meeting`` who are also recorded present at another meeting (not
    archived) of the same day whose time overlaps (one query). Not a refusal: one of the two
    records may be wrong, and the secretary is told at saving so that it can be checked."""
    if meeting.start_time is None:
        return []
    present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values("member_id")
    rows = (
        Attendance.objects.filter(
            member_id__in=present,
            status=AttendanceStatus.PRESENT,
            meeting__date=meeting.date,
            meeting__archived_at__isnull=True,
            meeting__start_time__isnull=False,
        )
        .exclude(meeting=meeting)
        .select_related("member", "meeting__unit")
        .order_by("member__name", "member_id", "meeting__start_time", "meeting_id")
    )
    return [
        AttendanceClash(a.member, a.meeting)
        for a in rows
        if rules.times_overlap(meeting.start_time, meeting.end_time, a.meeting.start_time, a.meeting.end_time)
    ]


def clash_warning(clash: AttendanceClash, *, other_visible: bool) -> str:
    """The warning shown at saving; the other meeting is named only to someone who may see it."""
    other = clash.other
    span = other.start_time.strftime("%H:%M") + (f"–{other.end_time:%H:%M}" if other.end_time else "")
    if other_visible:
        return _(
            "出席提示：%(name)s 同时记为出席%(unit)s的会议“%(topic)s”（%(date)s %(time)s），两会时间重叠，请核实出席情况。"
        ) % {
            "name": clash.member.name,
            "unit": other.unit.name,
            "topic": other.topic,
            "date": other.date.isoformat(),
            "time": span,
        }
    return _("出席提示：%(name)s 同时记为出席另一单位同日%(time)s的会议，两会时间重叠，请核实出席情况。") % {
        "name": clash.member.name,
        "time": span,
    }


def is_locked(meeting: Meeting, today: datetime.date | None = None) -> bool:
    """Locked ``LATE_ENTRY_DAYS`` days after entry: an edit then needs a reason."""
    return rules.is_locked(timezone.localdate(meeting.entered_at), today or _today(), late_entry_days())


def _current_attendance(meeting: Meeting) -> list[AttendanceRow]:
    rows = meeting.attendance.select_related("member").order_by("member__name", "member_id")
    return [(a.member, a.status, a.absence_reason) for a in rows]


def update_meeting(
    meeting: Meeting,
    data: dict,
    *,
    actor,
    kinds: Sequence[MeetingKind],
    attendance: Iterable[AttendanceRow],
    problems: Iterable[str] = (),
    expected_version: int,
    reason: str = "",
) -> Meeting:
    """Change a record (its fields, kinds, attendance and problems, replaced as a whole).

    A locked record (entered more than N days ago) is changed only with a ``reason``, kept in the
    audit entry. A form opened on an older version is refused with ``StaleEditError``.
    """
    if meeting.is_archived:
        raise MeetingError({"__all__": _("该会议记录已归档，请先恢复再修改。")})
    reason = (reason or "").strip()
    if is_locked(meeting) and not reason:
        raise MeetingError(
            {
                "reason": _("修改理由：该记录录入已超过%(days)s天，已锁定，修改须填写理由。")
                % {"days": late_entry_days()}
            }
        )
    kinds = list(kinds)
    raw_before = {k: getattr(meeting, k) for k in DATA_FIELDS}
    shown_before = snapshot(meeting, AUDIT_FIELDS)
    kinds_before = _kind_names(meeting.kinds.all())
    rows_before = _current_attendance(meeting)
    problems_before = list(meeting.problems.order_by("sort_order", "id").values_list("text", flat=True))

    clean = _clean_data(data, base=raw_before)
    rows = _clean_attendance(attendance)
    problem_texts = _clean_problems(problems)
    if "held_for_year" not in data and clean["date"] != raw_before["date"]:
        clean["held_for_year"] = None  # a moved meeting is proposed the 年度 of its new date
    _settle_held_for_year(clean, kinds)
    # A change is judged on today's date; the meeting's own date stays the one the rules check.
    _check(meeting.unit, clean, kinds, rows, problem_texts, today=_today())

    for name, value in clean.items():
        setattr(meeting, name, value)
    shown_after = snapshot(meeting, AUDIT_FIELDS)
    changes = {k: [shown_before[k], shown_after[k]] for k in AUDIT_FIELDS if raw_before[k] != getattr(meeting, k)}
    kinds_after = _kind_names(kinds)
    if kinds_after != kinds_before:
        changes["kinds"] = [kinds_before, kinds_after]
    summary_before, summary_after = _attendance_summary(rows_before), _attendance_summary(rows)
    key = sorted((m.pk, s, r) for m, s, r in rows)
    attendance_changed = key != sorted((m.pk, s, r) for m, s, r in rows_before)
    problems_changed = problem_texts != problems_before

    with transaction.atomic():
        # Saved even when nothing changed, so that a stale form is still reported.
        save_with_version(meeting, expected_version, DATA_FIELDS)
        meeting.kinds.set(kinds)
        if attendance_changed or problems_changed:
            meeting.attendance.all().delete()
            meeting.problems.all().delete()
            _write_children(meeting, rows, problem_texts)
        # Recounted on every save (and so every standing derived from it is marked): a change of
        # the date, the kinds or the problems (which the 组织生活会 rule checks) changes a cell.
        counts.refresh(
            [meeting.unit_id],
            _years((raw_before["date"], raw_before["held_for_year"]), (meeting.date, meeting.held_for_year)),
        )
        data_out = {}
        if attendance_changed:
            data_out["attendance"] = {"before": summary_before, "after": summary_after}
            data_out["summary"] = _("出席：%(before)s → %(after)s") % {
                "before": "、".join(summary_before["present"]) or "—",
                "after": "、".join(summary_after["present"]) or "—",
            }
        if problems_changed:
            changes["problems"] = [problems_before, problem_texts]
        if reason:
            data_out["reason"] = reason
        if changes or data_out:
            log_action(
                "meetings.meeting.changed", actor=actor, obj=meeting, unit=meeting.unit, changes=changes, data=data_out
            )
    return meeting


def archive_meeting(meeting: Meeting, *, actor, reason: str = "") -> Meeting:
    return set_archived(
        meeting,
        True,
        actor=actor,
        action="meetings.meeting.archived",
        unit=meeting.unit,
        data={"reason": reason.strip()} if reason and reason.strip() else {},
        error=MeetingError,
        already=_("该会议记录已归档。"),
        then=_recount,
    )


def restore_meeting(meeting: Meeting, *, actor) -> Meeting:
    return set_archived(
        meeting,
        False,
        actor=actor,
        action="meetings.meeting.restored",
        unit=meeting.unit,
        error=MeetingError,
        already=_("该会议记录未归档，无需恢复。"),
        then=_recount,
    )


def _recount(meeting: Meeting) -> None:
    counts.refresh([meeting.unit_id], _years((meeting.date, meeting.held_for_year)))


# ---------------------------------------------------------------------------------------------
# Attachments


def add_attachment(meeting: Meeting, uploaded_file, kind: str, *, actor) -> MeetingAttachment:
    """Keep a file with the meeting: checked and stored by ``common.uploads`` (type judged by
    content, size limited, generated storage name, SHA-256 checksum)."""
    if meeting.is_archived:
        raise MeetingError({"__all__": _("该会议记录已归档，不能上传附件。")})
    if kind not in AttachmentKind.values:
        raise MeetingError({"kind": _("附件类别：请选择签到表、照片或文件。")})
    return attach_upload(
        MeetingAttachment(meeting=meeting, kind=kind),
        uploaded_file,
        label=_("附件"),
        error=MeetingError,
        actor=actor,
        action="meetings.attachment.added",
        obj=meeting,
        unit=meeting.unit,
        data=lambda a: {
            "summary": _("上传%(kind)s“%(name)s”") % {"kind": a.get_kind_display(), "name": a.original_name},
            **file_facts(a),
            "content_type": a.content_type,
        },
    )


def archive_attachment(attachment: MeetingAttachment, *, actor) -> MeetingAttachment:
    """Hide an attachment from the record; the file and its checksum are kept."""
    meeting = attachment.meeting
    return set_archived(
        attachment,
        True,
        actor=actor,
        action="meetings.attachment.archived",
        obj=meeting,
        unit=meeting.unit,
        data={
            "summary": _("归档附件“%(name)s”") % {"name": attachment.original_name},
            "attachment": attachment.pk,
            "name": attachment.original_name,
        },
        error=MeetingError,
        already=_("该附件已归档。"),
    )


# ---------------------------------------------------------------------------------------------
# Kinds ("others the committee adds")

KIND_UNIT_KINDS = (UnitKind.BRANCH, UnitKind.PARTY_GROUP)


def add_kind(name: str, code: str, unit_kind: str, *, actor) -> MeetingKind:
    """A meeting kind the committee adds beside the built-in ones."""
    name, code = (name or "").strip(), (code or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = _("名称：不能为空。")
    elif MeetingKind.objects.filter(name=name).exists():
        errors["name"] = _("名称：已有名为“%(name)s”的会议类型。") % {"name": name}
    if not code:
        errors["code"] = _("代码：不能为空。")
    elif not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code):
        errors["code"] = _("代码：只能使用小写字母、数字和下划线，以字母开头，2–40 个字符。")
    elif MeetingKind.objects.filter(code=code).exists():
        errors["code"] = _("代码：“%(code)s”已被使用。") % {"code": code}
    if unit_kind not in KIND_UNIT_KINDS:
        errors["unit_kind"] = _("召开单位：请选择党支部或党小组。")
    if errors:
        raise MeetingError(errors)
    with transaction.atomic():
        last = MeetingKind.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
        kind = MeetingKind.objects.create(
            name=name, code=code, unit_kind=unit_kind, builtin=False, sort_order=last + 10
        )
        log_action(
            "meetings.kind.created",
            actor=actor,
            obj=kind,
            changes={"name": [None, name], "code": [None, code], "unit_kind": [None, str(UnitKind(unit_kind).label)]},
        )
    return kind
