"""Pure rules of the campaigns app (no ORM): task progress, reflection length, status moves,
and the marked segments of a side-by-side comparison.

Progress is judged from plain facts (``ProgressFacts``) that ``campaigns.progress`` loads with a
fixed number of queries, whatever the number of branches, members or tasks.

* A **meeting** task is done for a unit when the unit held a meeting carrying the task's kind
  whose meeting date lies within the stage's dates; for a member task, when the member attended
  (present) such a meeting of any unit.
* A **document** task is done for a unit when the unit uploaded its material.
* A **reflection** task is done for a member when they submitted a reflection in the stage on
  the task's book (any book of the stage when the task names none).
* A task not done after its due date is overdue.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

COMMITTEE = "committee"
BRANCH = "branch"
MEMBER = "member"

MEETING = "meeting"
DOCUMENT = "document"
REFLECTION = "reflection"

SUBMITTED = "submitted"
COMMENTED = "commented"
SELECTED = "selected"

# Allowed status moves of a reflection (the only way to move is the service).
REFLECTION_MOVES = {
    SUBMITTED: {COMMENTED, SELECTED},
    COMMENTED: {SELECTED},
    SELECTED: {COMMENTED},
}

# Which evidence fits which audience.
EVIDENCE_FOR = {
    COMMITTEE: {MEETING, DOCUMENT},
    BRANCH: {MEETING, DOCUMENT},
    MEMBER: {MEETING, REFLECTION},
}


@dataclass(frozen=True, slots=True)
class TaskFact:
    id: int
    stage_id: int
    audience: str
    evidence: str
    due_on: datetime.date
    stage_start: datetime.date
    stage_end: datetime.date
    kind_code: str = ""
    # Books a reflection may be on (the task's book, or every book of the stage).
    book_ids: frozenset[int] = frozenset()


@dataclass(slots=True)
class ProgressFacts:
    # unit id -> [(meeting date, kind codes)]
    unit_meetings: Mapping[int, Sequence[tuple[datetime.date, frozenset[str]]]] = field(default_factory=dict)
    # member id -> [(meeting date, kind codes)] of meetings attended (present)
    member_meetings: Mapping[int, Sequence[tuple[datetime.date, frozenset[str]]]] = field(default_factory=dict)
    # {(task id, unit id)} of uploaded documents
    documents: set[tuple[int, int]] = field(default_factory=set)
    # {(member id, stage id, book id)} of reflections submitted
    reflections: set[tuple[int, int, int]] = field(default_factory=set)
    # branch id -> member ids (current members)
    branch_members: Mapping[int, Sequence[int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskState:
    task_id: int
    done: int
    total: int
    overdue: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if self.complete:
            return "done"
        return "overdue" if self.overdue else "open"


def _held(meetings: Iterable[tuple[datetime.date, frozenset[str]]], task: TaskFact) -> bool:
    return any(task.kind_code in kinds and task.stage_start <= day <= task.stage_end for day, kinds in meetings)


def unit_done(task: TaskFact, unit_id: int, facts: ProgressFacts) -> bool:
    """Whether a committee or branch task is done for ``unit_id``."""
    if task.evidence == MEETING:
        return _held(facts.unit_meetings.get(unit_id, ()), task)
    if task.evidence == DOCUMENT:
        return (task.id, unit_id) in facts.documents
    return False


def member_done(task: TaskFact, member_id: int, facts: ProgressFacts) -> bool:
    """Whether a member task is done for ``member_id``."""
    if task.evidence == MEETING:
        return _held(facts.member_meetings.get(member_id, ()), task)
    if task.evidence == REFLECTION:
        return any((member_id, task.stage_id, b) in facts.reflections for b in task.book_ids)
    return False


def _overdue(task: TaskFact, complete: bool, today: datetime.date) -> bool:
    return not complete and today > task.due_on


def branch_task_state(task: TaskFact, branch_id: int, facts: ProgressFacts, today: datetime.date) -> TaskState:
    """A branch's state for a branch task (done or not) or a member task (members done / all)."""
    if task.audience == MEMBER:
        members = facts.branch_members.get(branch_id, ())
        done = sum(1 for m in members if member_done(task, m, facts))
        total = len(members)
    else:
        done, total = int(unit_done(task, branch_id, facts)), 1
    # A branch with nobody to do a member task owes nothing (it is shown as 无对象, never overdue).
    return TaskState(task.id, done, total, total > 0 and _overdue(task, done >= total, today))


def member_task_state(task: TaskFact, member_id: int, facts: ProgressFacts, today: datetime.date) -> TaskState:
    done = int(member_done(task, member_id, facts))
    return TaskState(task.id, done, 1, _overdue(task, bool(done), today))


def committee_task_state(task: TaskFact, unit_id: int, facts: ProgressFacts, today: datetime.date) -> TaskState:
    done = int(unit_done(task, unit_id, facts))
    return TaskState(task.id, done, 1, _overdue(task, bool(done), today))


@dataclass(frozen=True, slots=True)
class BranchRow:
    branch_id: int
    states: tuple[TaskState, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.states if s.complete)

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.states if s.overdue)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.states)) if self.states else 0


def branch_grid(
    tasks: Sequence[TaskFact], branch_ids: Sequence[int], facts: ProgressFacts, today: datetime.date
) -> list[BranchRow]:
    """Branches × (branch and member) tasks: one row per branch, one state per task."""
    shown = [t for t in tasks if t.audience != COMMITTEE]
    return [BranchRow(b, tuple(branch_task_state(t, b, facts, today) for t in shown)) for b in branch_ids]


# ---------------------------------------------------------------------------------------------
# Task definitions and reflections


def task_errors(*, audience: str, evidence: str, has_kind: bool, due_on, stage_start, stage_end) -> dict[str, str]:
    errors = {}
    if evidence not in EVIDENCE_FOR.get(audience, set()):
        errors["evidence"] = _("完成方式：面向%(audience)s的任务不能以“%(evidence)s”完成。") % {
            "audience": {COMMITTEE: _("机关党委"), BRANCH: _("每个党支部"), MEMBER: _("每名党员")}.get(audience, ""),
            "evidence": {MEETING: _("召开会议"), DOCUMENT: _("上传材料"), REFLECTION: _("提交读书心得")}.get(
                evidence, evidence
            ),
        }
    if evidence == MEETING and not has_kind:
        errors["meeting_kind"] = _("会议类型：以召开会议完成的任务须指定会议类型。")
    if due_on and stage_start and due_on < stage_start:
        errors["due_on"] = _("完成期限：不能早于阶段开始日期 %(start)s。") % {"start": stage_start.isoformat()}
    return errors


_SPACE = re.compile(r"\s+")


def counted_chars(text: str) -> int:
    """Characters of a reflection that count toward its minimum length (whitespace excluded)."""
    return len(_SPACE.sub("", text or ""))


def length_error(text: str, minimum: int) -> str | None:
    n = counted_chars(text)
    if n < minimum:
        return _("正文：读书心得至少 %(min)s 字，当前 %(n)s 字，还差 %(gap)s 字。") % {
            "min": minimum,
            "n": n,
            "gap": minimum - n,
        }
    return None


def can_move(current: str, target: str) -> bool:
    return target in REFLECTION_MOVES.get(current, set())


def marked_segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, marked)`` pieces; overlapping or touching spans are merged.

    The template escapes each piece and wraps marked ones in ``<mark>``."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = (
        datetime.date(day.year + 1, 1, 1) if first_month == 10 else datetime.date(day.year, first_month + 3, 1)
    ) - datetime.timedelta(days=1)
    return start, end
