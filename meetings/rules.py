"""Pure rules of a meeting record (no ORM): what a record must carry before it is saved.

``meeting_errors(facts, today=...)`` returns ``{field: Chinese message}``; an empty dict means the
record may be saved. The services gather the facts (the unit's members on the meeting's date, its
committee seats, ...) with a few queries and call this; the tests call it with plain values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BRANCH = "branch"
PARTY_GROUP = "party_group"

# Kinds that only a party group holds, and kinds that only a branch holds.
GROUP_ONLY_KINDS = frozenset({"group_meeting"})
BRANCH_ONLY_KINDS = frozenset({"committee_meeting", "general_meeting"})

ABSENCE_REASONS = frozenset({"official", "sick", "personal", "other"})
PRESENT = "present"
ABSENT = "absent"


@dataclass
class MeetingFacts:
    """Everything the rules look at, as plain values (ids, codes, dates, text)."""

    kinds: set[str] = field(default_factory=set)
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    topic: str = ""
    host_id: int | None = None
    recorder_id: int | None = None
    lecturer_id: int | None = None
    attendee_ids: list[int] = field(default_factory=list)
    # (member id, absence reason code); an empty reason is refused.
    absentees: list[tuple[int, str]] = field(default_factory=list)
    # The unit's members on the meeting's date, its 正式党员 among them, and (for a branch) the
    # members holding a seat in the committee term in office on that date.
    unit_member_ids: set[int] = field(default_factory=set)
    full_member_ids: set[int] = field(default_factory=set)
    committee_member_ids: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    minutes: str = ""
    resolutions: str = ""
    # The unit: its kind ("branch" / "party_group") and the days it existed.
    unit_kind: str = BRANCH
    unit_founded_on: datetime.date | None = None
    unit_dissolved_on: datetime.date | None = None
    # Names of the people referred to above, so that a refusal can name them.
    names: dict[int, str] = field(default_factory=dict)
    # A record typed in now names its 主持人 and 记录人; an old ledger's imported row may not
    # (the ledger template marks both columns optional).
    host_and_recorder_required: bool = True


# Kinds held for a 年度 (the year they review), stored on the record: the 组织生活会.
ANNUAL_KINDS = frozenset({"life_meeting"})
# "每次组织生活會突出解決1-2個實際問題" (seed III.3): more is allowed, with a warning.
FOCUS_PROBLEMS = 2


def default_held_for_year(day: datetime.date) -> int:
    """The 年度 the form proposes for a 组织生活会 held on ``day``: last year in January and
    February (the 年度组织生活会 is held right after the year ends), this year otherwise."""
    return day.year - 1 if day.month <= 2 else day.year


def held_for_year_errors(day: datetime.date | None, year: int | None) -> dict[str, str]:
    """A 年度 is the meeting's year or the one before it (held early in the next year)."""
    if day is None or year is None:
        return {}
    if year not in (day.year, day.year - 1):
        return {
            "held_for_year": _("所属年度：会议于%(day)s召开，只能是%(this)s年度或%(last)s年度。")
            % {"day": day.isoformat(), "this": day.year, "last": day.year - 1}
        }
    return {}


def meeting_warnings(kinds: set[str], problems: list[str]) -> list[str]:
    """What the record may carry but the seed advises against (shown, never refused)."""
    warnings = []
    count = len([p for p in problems if (p or "").strip()])
    if kinds & ANNUAL_KINDS and count > FOCUS_PROBLEMS:
        warnings.append(
            _(
                "组织生活会记录了%(count)s个实际问题。已保存并计入制度落实；讲话要求每次组织生活会"
                "突出解决1至2个实际问题，建议集中力量解决最突出的一两个。"
            )
            % {"count": count}
        )
    return warnings


def _add(errors: dict[str, str], key: str, message: str) -> None:
    errors[key] = f"{errors[key]}；{message}" if key in errors else message


def _names(ids: Iterable[int], names: dict[int, str]) -> str:
    return "、".join(names.get(i, str(i)) for i in ids)


def _more_than_half(present: int, total: int) -> bool:
    return total > 0 and 2 * present > total


def meeting_errors(m: MeetingFacts, *, today: datetime.date) -> dict[str, str]:
    """Every reason the record cannot be saved, by form field; each message names the field."""
    errors: dict[str, str] = {}

    # The unit and the kinds it may hold.
    if m.unit_kind not in (BRANCH, PARTY_GROUP):
        _add(errors, "unit", _("召开单位：只有党支部和党小组可以录入会议记录。"))
    if not m.kinds:
        _add(errors, "kinds", _("会议类型：请至少选择一种。"))
    if m.unit_kind == BRANCH and m.kinds & GROUP_ONLY_KINDS:
        _add(errors, "kinds", _("会议类型：党小组会只能由党小组召开。"))
    if m.unit_kind == PARTY_GROUP and m.kinds & BRANCH_ONLY_KINDS:
        _add(errors, "kinds", _("会议类型：支委会和支部党员大会只能由党支部召开。"))

    # When.
    if m.date is None:
        _add(errors, "date", _("会议日期：不能为空。"))
    else:
        if m.date > today:
            _add(errors, "date", _("会议日期：已召开的会议不能晚于今天（%(today)s）。") % {"today": today.isoformat()})
        if m.unit_founded_on is not None and m.date < m.unit_founded_on:
            _add(
                errors,
                "date",
                _("会议日期：早于本单位成立日期（%(day)s）。") % {"day": m.unit_founded_on.isoformat()},
            )
        if m.unit_dissolved_on is not None and m.date >= m.unit_dissolved_on:
            _add(
                errors,
                "date",
                _("会议日期：本单位已于%(day)s撤销。") % {"day": m.unit_dissolved_on.isoformat()},
            )
    if m.start_time and m.end_time and m.end_time <= m.start_time:
        _add(errors, "end_time", _("结束时间：应晚于开始时间。"))

    # What and who.
    if not (m.topic or "").strip():
        _add(errors, "topic", _("主题：不能为空。"))
    if m.host_id is None and m.host_and_recorder_required:
        _add(errors, "host", _("主持人：不能为空。"))
    if m.recorder_id is None and m.host_and_recorder_required:
        _add(errors, "recorder", _("记录人：不能为空。"))
    if "party_lesson" in m.kinds and m.lecturer_id is None:
        _add(errors, "lecturer", _("讲课人：党课须填写讲课人。"))
    if "life_meeting" in m.kinds and not [p for p in m.problems if (p or "").strip()]:
        _add(errors, "problems", _("解决的实际问题：组织生活会须记录解决的实际问题（至少一项）。"))

    _attendance_errors(m, errors)
    return errors


def _attendance_errors(m: MeetingFacts, errors: dict[str, str]) -> None:
    attendees = list(m.attendee_ids)
    absentees = [member_id for member_id, _reason in m.absentees]
    if not attendees:
        _add(errors, "attendance", _("出席情况：至少应有一名出席人员。"))

    seen: set[int] = set()
    twice: list[int] = []
    for member_id in attendees + absentees:
        if member_id in seen and member_id not in twice:
            twice.append(member_id)
        seen.add(member_id)
    if twice:
        _add(
            errors,
            "attendance",
            _("出席情况：%(names)s 重复登记（每人只能登记一次，不能既出席又缺席）。")
            % {"names": _names(twice, m.names)},
        )

    if m.date is not None:
        outsiders = [i for i in dict.fromkeys(attendees + absentees) if i not in m.unit_member_ids]
        if outsiders:
            _add(
                errors,
                "attendance",
                _("出席情况：%(names)s 在%(day)s不是本单位党员。")
                % {"names": _names(outsiders, m.names), "day": m.date.isoformat()},
            )

    no_reason = [i for i, reason in m.absentees if reason not in ABSENCE_REASONS]
    if no_reason:
        _add(
            errors,
            "attendance",
            _("缺席原因：请为缺席的 %(names)s 选择缺席原因。") % {"names": _names(no_reason, m.names)},
        )

    present = set(attendees)
    if "general_meeting" in m.kinds:
        total = len(m.full_member_ids)
        came = len(present & m.full_member_ids)
        if not _more_than_half(came, total):
            _add(
                errors,
                "attendance",
                _("出席情况：支部党员大会须有半数以上正式党员到会，应到正式党员%(total)s人，实到%(came)s人，未过半数。")
                % {"total": total, "came": came},
            )
    if "committee_meeting" in m.kinds:
        total = len(m.committee_member_ids)
        came = len(present & m.committee_member_ids)
        if total == 0:
            _add(errors, "attendance", _("出席情况：会议日期没有在任的支部委员会，不能召开支委会。"))
        elif not _more_than_half(came, total):
            _add(
                errors,
                "attendance",
                _("出席情况：支委会须有半数以上支委到会，应到支委%(total)s人，实到%(came)s人，未过半数。")
                % {"total": total, "came": came},
            )


def times_overlap(
    a_start: datetime.time | None,
    a_end: datetime.time | None,
    b_start: datetime.time | None,
    b_end: datetime.time | None,
) -> bool:
    """Two sittings of the same day overlap in time. Without a start time nothing is judged; a
    sitting without an end time lasts an instant; one ending as the other begins does not overlap."""
    if a_start is None or b_start is None:
        return False
    if a_start == b_start:
        return True
    return a_start < (b_end or b_start) and b_start < (a_end or a_start)


# ---------------------------------------------------------------------------------------------
# Late entry (补录) and locking


def days_late(meeting_date: datetime.date, entered_on: datetime.date) -> int:
    """Days between the meeting and the day its record was entered (0 when entered the same day)."""
    return max(0, (entered_on - meeting_date).days)


def is_late_entry(meeting_date: datetime.date, entered_on: datetime.date, late_days: int) -> bool:
    """Entered more than ``late_days`` days after the meeting: marked 补录."""
    return days_late(meeting_date, entered_on) > late_days


def is_locked(entered_on: datetime.date, today: datetime.date, late_days: int) -> bool:
    """A record locks ``late_days`` days after it was entered; a later edit needs a reason."""
    return today > entered_on + datetime.timedelta(days=late_days)
