"""Pure rules of the 组织生活会 package (no ORM): talk coverage, package years, entry checks.

谈心谈话 default rule (支部工作条例, see docs/domain): every pair of committee members and every
pair of a committee member and a member talk at least once a year. A talk covers the unordered
pair of its two people, whoever started it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meetings.rules import default_held_for_year

Pair = tuple[int, int]


def pair(a: int, b: int) -> Pair:
    """The unordered pair of two different people, as (smaller id, larger id)."""
    if a == b:
        raise ValueError("a pair needs two different people")
    return (a, b) if a < b else (b, a)


def required_pairs(committee_ids: Iterable[int], member_ids: Iterable[int]) -> set[Pair]:
    """Every committee–committee and committee–member pair (committee members count as members)."""
    committee = set(committee_ids)
    everyone = set(member_ids) | committee
    return {pair(c, m) for c in committee for m in everyone if m != c}


@dataclass(frozen=True)
class Coverage:
    required: frozenset
    done: frozenset  # required pairs covered by at least one talk
    missing: frozenset
    extra: frozenset = field(default_factory=frozenset)  # talks between two plain members

    @property
    def percent(self) -> int:
        """Whole percent of required pairs covered (100 when nothing is required)."""
        if not self.required:
            return 100
        return int(len(self.done) * 100 // len(self.required))

    def is_done(self, a: int, b: int) -> bool:
        return a != b and pair(a, b) in self.done

    def is_required(self, a: int, b: int) -> bool:
        return a != b and pair(a, b) in self.required


def coverage(committee_ids: Iterable[int], member_ids: Iterable[int], talks: Iterable[tuple[int, int]]) -> Coverage:
    """Which required pairs the talks (``(initiator id, counterpart id)``) cover and which are missing."""
    required = required_pairs(committee_ids, member_ids)
    talked = {pair(a, b) for a, b in talks if a != b}
    done = required & talked
    return Coverage(
        required=frozenset(required),
        done=frozenset(done),
        missing=frozenset(required - done),
        extra=frozenset(talked - required),
    )


def package_year(meeting_date: datetime.date) -> int:
    """The 年度 proposed for a 组织生活会 held on ``meeting_date``: held in January or February
    it reviews the year before (the 年度组织生活会 is often held right after the year ends),
    otherwise its own year. The record stores the 年度 it was held for
    (``Meeting.held_for_year``), which the secretary may change; this is only the proposal."""
    return default_held_for_year(meeting_date)


def package_window(year: int) -> tuple[datetime.date, datetime.date]:
    """The dates of the life meetings that review ``year`` (``package_year`` of each is ``year``):
    1 March of the year to the end of February of the next."""
    start = datetime.date(year, 3, 1)
    end = datetime.date(year + 1, 3, 1) - datetime.timedelta(days=1)
    return start, end


def talk_errors(
    *,
    year: int,
    day: datetime.date | None,
    initiator_id: int | None,
    counterpart_id: int | None,
    summary: str,
    branch_member_ids: set[int],
    today: datetime.date,
) -> dict[str, str]:
    """Why a 谈心谈话 cannot be kept, by form field (empty when it can)."""
    errors = {}
    if day is None:
        errors["date"] = _("谈话日期：请填写。")
    elif day > today:
        errors["date"] = _("谈话日期：不能晚于今天。")
    elif day.year not in (year, year + 1):
        errors["date"] = _("谈话日期：%(year)s年度的谈心谈话应在%(year)s年或次年年初进行。") % {"year": year}
    if initiator_id is None:
        errors["initiator"] = _("谈话人：请选择。")
    elif initiator_id not in branch_member_ids:
        errors["initiator"] = _("谈话人：须是本支部党员。")
    if counterpart_id is None:
        errors["counterpart"] = _("谈话对象：请选择。")
    elif counterpart_id not in branch_member_ids:
        errors["counterpart"] = _("谈话对象：须是本支部党员。")
    elif counterpart_id == initiator_id:
        errors["counterpart"] = _("谈话对象：不能与谈话人是同一人。")
    if not (summary or "").strip():
        errors["summary"] = _("谈话要点：请填写谈话的主要内容。")
    return errors


def criticism_errors(
    *, kind: str, subject_id: int | None, by_member_id: int | None, text: str, attendee_ids: set[int]
) -> dict[str, str]:
    """Why a criticism entry cannot be kept (``attendee_ids``: members of the branch that day)."""
    errors = {}
    if subject_id is None:
        errors["subject"] = _("被批评人：请选择。")
    elif subject_id not in attendee_ids:
        errors["subject"] = _("被批评人：须是本支部党员。")
    if kind not in ("self", "received"):
        errors["kind"] = _("类别：请选择自我批评或相互批评。")
    elif kind == "received":
        if by_member_id is None:
            errors["by_member"] = _("提出人：相互批评须填写提出人。")
        elif by_member_id not in attendee_ids:
            errors["by_member"] = _("提出人：须是本支部党员。")
        elif by_member_id == subject_id:
            errors["by_member"] = _("提出人：不能是被批评人本人，本人发言请选自我批评。")
    elif kind == "self" and by_member_id is not None and by_member_id != subject_id:
        errors["by_member"] = _("提出人：自我批评不填写提出人。")
    if not (text or "").strip():
        errors["text"] = _("内容：请填写。")
    return errors


def problem_errors(*, member_id: int | None, category: str, problem: str, member_ids: set[int]) -> dict[str, str]:
    errors = {}
    if member_id is None:
        errors["member"] = _("党员：请选择。")
    elif member_id not in member_ids:
        errors["member"] = _("党员：须是本支部党员。")
    if category not in ("thought", "work", "style", "discipline"):
        errors["category"] = _("问题类别：请选择思想、工作、作风或纪律。")
    if not (problem or "").strip():
        errors["problem"] = _("问题：请填写查摆出的问题。")
    return errors
