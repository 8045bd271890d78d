"""Pure rules of rectification items and the member appraisal (no ORM; tested without a database).

Status moves are the table ``MOVES``: the only way along it is ``services.move_item``, which asks
``move_errors`` first and writes a history row. The appraisal checks (``decision_errors``,
``quorum_met``) take plain ids, names and grades.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Status codes (the same strings as ``models.Status``; kept here so this module needs no ORM).
OPEN = "open"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
VERIFIED = "verified"

SOURCES = ("life_meeting", "inspection", "appraisal", "assessment", "other")
CATEGORIES = ("thought", "work", "style", "discipline", "other")
# Items of these sources may be verified by the branch secretary (the rest only by staff/inspector).
SECRETARY_VERIFIES = frozenset({"life_meeting", "appraisal"})


@dataclass(frozen=True)
class Move:
    code: str
    from_status: str
    to_status: str
    # "evidence" (a submission), "reason" (a send-back), or "" (nothing required).
    needs: str = ""


# The allowed moves. Anything not in this table is refused.
MOVES = {
    "start": Move("start", OPEN, IN_PROGRESS),
    "submit": Move("submit", IN_PROGRESS, SUBMITTED, needs="evidence"),
    "verify": Move("verify", SUBMITTED, VERIFIED),
    "return": Move("return", SUBMITTED, IN_PROGRESS, needs="reason"),
}
# The same table as (from, to) pairs, for ``common.workflow.move_status``.
STATUS_PAIRS = frozenset((move.from_status, move.to_status) for move in MOVES.values())
# Moves that judge somebody else's work: never by the user who submitted it.
VERIFYING_MOVES = frozenset({"verify", "return"})
# Moves that do the work: the responsible person, the branch secretary, staff.
WORKING_MOVES = frozenset({"start", "submit"})


def move_labels() -> dict[str, str]:
    return {
        "start": _("开始整改"),
        "submit": _("提交验收"),
        "verify": _("验收销号"),
        "return": _("退回整改"),
    }


def status_labels() -> dict[str, str]:
    return {OPEN: _("待整改"), IN_PROGRESS: _("整改中"), SUBMITTED: _("待验收"), VERIFIED: _("已销号")}


def allowed_moves(status: str) -> list[str]:
    """Codes of the moves that may start from ``status``, in table order."""
    return [code for code, move in MOVES.items() if move.from_status == status]


def move_errors(
    code: str,
    status: str,
    *,
    note: str = "",
    actor_id: int | None = None,
    submitted_by_id: int | None = None,
    archived: bool = False,
) -> dict[str, str]:
    """``{field: Chinese message}`` why the move ``code`` may not be made now; empty when it may."""
    labels = status_labels()
    move = MOVES.get(code)
    if move is None:
        return {"__all__": _("状态变更：不允许的操作。")}
    if archived:
        return {"__all__": _("该整改事项已归档，请先恢复。")}
    if move.from_status != status:
        return {
            "__all__": _("状态变更：“%(label)s”只能从“%(from)s”进行，该事项现为“%(now)s”。")
            % {"label": move_labels()[code], "from": labels[move.from_status], "now": labels.get(status, status)}
        }
    if code in VERIFYING_MOVES and actor_id is not None and actor_id == submitted_by_id:
        return {"__all__": _("验收：不能验收或退回自己提交的整改，请由其他人验收。")}
    note = (note or "").strip()
    if move.needs == "evidence" and not note:
        return {"note": _("整改情况：提交验收须写明整改情况。")}
    if move.needs == "reason" and not note:
        return {"note": _("退回理由：退回整改须写明理由。")}
    return {}


def is_overdue(deadline: datetime.date | None, status: str, today: datetime.date) -> bool:
    return deadline is not None and deadline < today and status != VERIFIED


def is_due_soon(deadline: datetime.date | None, status: str, today: datetime.date, days: int = 7) -> bool:
    """The deadline falls within the next ``days`` days (today included) and the item is not closed."""
    if deadline is None or status == VERIFIED:
        return False
    return today <= deadline <= today + datetime.timedelta(days=days)


def closure_rate(verified: int, total: int) -> float | None:
    """Verified share of all (not archived) items; None when there are none."""
    return None if total == 0 else verified / total


# ---------------------------------------------------------------------------------------------
# 民主评议党员

EXCELLENT = "excellent"
QUALIFIED = "qualified"
BASIC = "basic"
UNQUALIFIED = "unqualified"
GRADES = (EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED)
# Grades that raise a rectification item for the member.
RECTIFY_GRADES = frozenset({BASIC, UNQUALIFIED})


# The sittings where a branch holds its 民主评议党员: the 组织生活会 (the usual one, 支部工作条例
# 第二十一条: "一般每年开展一次民主评议党员…结合组织生活会") or a 支部党员大会 (the members
# vote). Other kinds (支委会, 党小组会, 党课) are not offered.
APPRAISAL_MEETING_KINDS = ("life_meeting", "general_meeting")


def appraisal_meeting_fits(meeting_date: datetime.date, year: int, *, held_for_year: int | None = None) -> bool:
    """Whether a round of ``year`` may be held at a sitting of ``meeting_date``: a 组织生活会 of
    that 年度 (``held_for_year``, the one it stores: "2025年度组织生活会" held on 2026-01-20 is
    2025's, the one of 2025-01-20 is 2024's); any other sitting (a 党员大会) of that year, or of
    January or February after it, when the 年度 appraisal is often held."""
    if held_for_year is not None:
        return held_for_year == year
    if meeting_date.year == year:
        return True
    return meeting_date.year == year + 1 and meeting_date.month <= 2


def grade_labels() -> dict[str, str]:
    return {EXCELLENT: _("优秀"), QUALIFIED: _("合格"), BASIC: _("基本合格"), UNQUALIFIED: _("不合格")}


def excellent_limit(graded_count: int) -> int:
    """优秀 may be given to no more than one third of those graded (不超过参评人数的三分之一):
    rounded down, so 5 graded members allow 1, 6 allow 2."""
    return graded_count // 3


def quorum_met(full_count: int, full_voters: int) -> bool:
    """More than half of the branch's full members (on the meeting date) cast a ballot.

    Ballots are the record of who took part in the appraisal meeting, so the quorum of the
    meeting (到会有表决权的党员超过应到会人数的半数) is judged on them. Probationary members
    vote but have no vote in the quorum count.
    """
    return full_count > 0 and full_voters * 2 > full_count


def decision_errors(
    grades: dict[int, str],
    *,
    graded: dict[int, str],
    ungraded: dict[int, str],
    full_count: int,
    full_voters: int,
) -> dict[str, str]:
    """Why the branch decision ``grades`` ({member id: grade}) may not be recorded.

    ``graded`` / ``ungraded``: {member id: name} of full / probationary members of the round.
    Every graded member needs a grade; a probationary member may not get one; 优秀 at most
    ``excellent_limit``; the meeting needs its quorum. Keys are ``grade_<member id>`` or "__all__".
    """
    errors: dict[str, str] = {}
    labels = grade_labels()
    for member_id, grade in grades.items():
        if not grade:
            continue
        if member_id in ungraded:
            errors[f"grade_{member_id}"] = _("%(name)s：预备党员参加评议，但不评定等次。") % {
                "name": ungraded[member_id]
            }
        elif member_id not in graded:
            errors["__all__"] = _("评定等次：所列人员不在本次评议范围内。")
        elif grade not in labels:
            errors[f"grade_{member_id}"] = _("%(name)s：请选择优秀、合格、基本合格或不合格。") % {
                "name": graded[member_id]
            }
    for member_id, name in graded.items():
        if not grades.get(member_id):
            errors.setdefault(f"grade_{member_id}", _("%(name)s：请评定等次。") % {"name": name})
    excellent = [graded[m] for m, g in grades.items() if g == EXCELLENT and m in graded]
    limit = excellent_limit(len(graded))
    if len(excellent) > limit:
        errors.setdefault(
            "__all__",
            _(
                "评定等次：优秀不超过参评人数的三分之一（%(graded)s 人参评，至多 %(limit)s 人），现评定 %(count)s 人（%(names)s）。"
            )
            % {"graded": len(graded), "limit": limit, "count": len(excellent), "names": "、".join(excellent)},
        )
    if not quorum_met(full_count, full_voters):
        errors.setdefault(
            "__all__",
            _("评议会议：投票的正式党员 %(voters)s 人，未超过正式党员 %(full)s 人的半数，不能评定。")
            % {"voters": full_voters, "full": full_count},
        )
    return errors


def vote_errors(ballot: dict[int, str], *, appraisees: dict[int, str], voter_id: int) -> dict[str, str]:
    """A ballot {appraisee id: grade} of one voter: grades known, appraisees in the round.

    Voters grade the other graded members (not themselves); blanks mean "not voted for".
    """
    errors: dict[str, str] = {}
    labels = grade_labels()
    for appraisee_id, grade in ballot.items():
        if not grade:
            continue
        if appraisee_id == voter_id:
            errors[f"vote_{appraisee_id}"] = _("投票：不能给自己投票。")
        elif appraisee_id not in appraisees:
            errors["__all__"] = _("投票：所列人员不在本次评议范围内。")
        elif grade not in labels:
            errors[f"vote_{appraisee_id}"] = _("%(name)s：请选择优秀、合格、基本合格或不合格。") % {
                "name": appraisees[appraisee_id]
            }
    if not errors and not any(ballot.values()):
        errors["__all__"] = _("投票：请至少为一名党员选择等次。")
    return errors
