"""Every change to a rectification item goes through these functions.

``open_item`` is the shared entry point other apps call (an inspection finding, a 组织生活会
problem, an appraisal result): keyword-only, it checks the fields, stores the origin as
content type + id, writes the first history row and the audit entry, and returns the item.
Status moves follow the table in ``rectification.rules`` and go only through ``move_item``.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import services as ballots
from committees.rules import was_full_member_on
from common.archiving import set_archived
from common.attaching import attach_upload, file_facts
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from common.edits import created_changes
from common.errors import DomainError
from common.workflow import move_status
from meetings.rules import default_held_for_year
from members.models import Member
from organizations.models import UnitKind
from rectification import rules
from rectification.models import (
    AppraisalResult,
    AppraisalRound,
    Rectification,
    RectificationEvidence,
    RectificationStatusChange,
    RoundStatus,
    Source,
    Status,
)

# Fields an edit may change (with the version check), and those shown in the 变更记录 tab.
EDIT_FIELDS = ["source", "category", "problem", "measure", "responsible", "member", "deadline"]
AUDIT_FIELDS = ["unit", *EDIT_FIELDS, "status"]

MOVE_ACTIONS = {
    "start": "rectification.item.started",
    "submit": "rectification.item.submitted",
    "verify": "rectification.item.verified",
    "return": "rectification.item.returned",
}


class RectificationError(DomainError):
    """A change the rules refuse. ``errors`` maps form fields ("__all__" for the item) to messages."""


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _field_errors(*, unit, source, problem, category, deadline, responsible, member) -> dict[str, str]:
    errors: dict[str, str] = {}
    if unit is None or unit.kind != UnitKind.BRANCH:
        errors["unit"] = _("党支部：整改事项须属于一个党支部。")
    elif unit.is_archived:
        errors["unit"] = _("党支部：“%(unit)s”已归档，不能新增整改事项。") % {"unit": unit}
    if source not in rules.SOURCES:
        errors["source"] = _("问题来源：请选择组织生活会、督查、民主评议、考核或其他。")
    if category and category not in rules.CATEGORIES:
        errors["category"] = _("问题类别：请选择思想、工作、作风、纪律或其他。")
    if not problem:
        errors["problem"] = _("问题：不能为空。")
    if deadline is not None and not isinstance(deadline, datetime.date):
        errors["deadline"] = _("整改期限：请填写日期。")
    for name, person in (("responsible", responsible), ("member", member)):
        if person is not None and person.is_archived:
            label = _("责任人") if name == "responsible" else _("涉及党员")
            errors[name] = _("%(label)s：%(name)s 已归档。") % {"label": label, "name": person.name}
    return errors


@transaction.atomic
def open_item(
    *,
    unit,
    source: str,
    problem: str,
    actor,
    measure: str = "",
    responsible=None,
    deadline=None,
    member=None,
    origin=None,
    category: str = "",
) -> Rectification:
    """Open a rectification item of ``unit`` (a branch).

    ``source`` in {"life_meeting", "inspection", "appraisal", "assessment", "other"};
    ``responsible`` / ``member`` are ``members.Member`` (the person who answers for it, the member
    concerned); ``origin`` is any saved model instance the item came from (kept as content type +
    id). Raises ``RectificationError`` naming the field.
    """
    problem = (problem or "").strip()
    measure = (measure or "").strip()
    category = (category or "").strip()
    errors = _field_errors(
        unit=unit,
        source=source,
        problem=problem,
        category=category,
        deadline=deadline,
        responsible=responsible,
        member=member,
    )
    if origin is not None and getattr(origin, "pk", None) is None:
        errors["origin"] = _("来源：来源记录尚未保存。")
    if errors:
        raise RectificationError(errors)
    item = Rectification(
        unit=unit,
        source=source,
        category=category,
        problem=problem,
        measure=measure,
        responsible=responsible,
        member=member,
        deadline=deadline,
        created_by=_user(actor),
    )
    if origin is not None:
        item.content_type = ContentType.objects.get_for_model(origin, for_concrete_model=False)
        item.object_id = origin.pk
    item.save()
    RectificationStatusChange.objects.create(item=item, from_status="", to_status=Status.OPEN, actor=_user(actor))
    data = {}
    if origin is not None:
        data["origin"] = {"type": item.content_type.model, "id": origin.pk, "repr": str(origin)[:200]}
    log_action(
        "rectification.item.created",
        actor=actor,
        obj=item,
        unit=unit,
        changes=created_changes(item, AUDIT_FIELDS),
        data=data,
    )
    return item


def items_from_origin(origin):
    """Items (archived too) raised from ``origin``."""
    ct = ContentType.objects.get_for_model(origin, for_concrete_model=False)
    return Rectification.objects.filter(content_type=ct, object_id=origin.pk)


def update_item(item: Rectification, data: dict, *, actor, expected_version: int) -> Rectification:
    """Change the editable fields (problem, measure, people, deadline, source, category).

    A verified or archived item is not edited. A form opened on an older version is refused with
    ``StaleEditError`` and nothing is written.
    """
    if item.is_archived:
        raise RectificationError({"__all__": _("该整改事项已归档，请先恢复再修改。")})
    if item.status == Status.VERIFIED:
        raise RectificationError({"__all__": _("该整改事项已验收销号，不能再修改。")})
    before = snapshot(item, AUDIT_FIELDS)
    clean = {name: data.get(name, getattr(item, name)) for name in EDIT_FIELDS}
    for name in ("problem", "measure", "category", "source"):
        clean[name] = str(clean[name] or "").strip()
    errors = _field_errors(
        unit=item.unit,
        source=clean["source"],
        problem=clean["problem"],
        category=clean["category"],
        deadline=clean["deadline"],
        responsible=clean["responsible"] if clean["responsible"] != item.responsible else None,
        member=clean["member"] if clean["member"] != item.member else None,
    )
    errors.pop("unit", None)  # the branch of an existing item is not changed here
    if errors:
        raise RectificationError(errors)
    for name, value in clean.items():
        setattr(item, name, value)
    changes = diff(before, snapshot(item, AUDIT_FIELDS))
    with transaction.atomic():
        # Saved even when nothing changed, so that a stale form is still reported.
        save_with_version(item, expected_version, EDIT_FIELDS)
        if changes:
            log_action("rectification.item.changed", actor=actor, obj=item, unit=item.unit, changes=changes)
    return item


def move_item(item: Rectification, code: str, *, actor, note: str = "") -> Rectification:
    """Make the status move ``code`` (start / submit / verify / return, see ``rules.MOVES``).

    ``note`` is the evidence (submit, required) or the reason (return, required). Verify and
    return are refused for the user who submitted the item. Writes a history row and the audit
    entry; the row is locked, so two users moving at once cannot both succeed.
    """
    note = (note or "").strip()
    with transaction.atomic():
        current = Rectification.objects.select_for_update().get(pk=item.pk)
        errors = rules.move_errors(
            code,
            current.status,
            note=note,
            actor_id=getattr(actor, "pk", None),
            submitted_by_id=current.submitted_by_id,
            archived=current.is_archived,
        )
        if errors:
            raise RectificationError(errors)
        move = rules.MOVES[code]
        now = timezone.now()
        before = snapshot(current, ["status"])
        fields = []
        if code == "submit":
            current.evidence, current.submitted_by, current.submitted_at = note, _user(actor), now
            fields += ["evidence", "submitted_by", "submitted_at"]
        elif code == "verify":
            current.verified_by, current.verified_at = _user(actor), now
            fields += ["verified_by", "verified_at"]
        move_status(
            current,
            move.to_status,
            moves=rules.STATUS_PAIRS,
            actor=actor,
            history=RectificationStatusChange,
            subject="item",
            error=RectificationError,
            refused=_("状态变更：不允许的操作。"),
            fields=fields,
            note=note,
            at=now,
        )
        # A send-back's reason shows in the 变更记录 tab; a submission keeps its evidence text.
        data = {} if not note else ({"reason": note} if code == "return" else {"note": note})
        log_action(
            MOVE_ACTIONS[code],
            actor=actor,
            obj=current,
            unit=current.unit,
            changes=diff(before, snapshot(current, ["status"])),
            data=data,
        )
    for name in ("status", "evidence", "submitted_by_id", "submitted_at", "verified_by_id", "verified_at"):
        setattr(item, name, getattr(current, name))
    return item


def archive_item(item: Rectification, *, actor, reason: str = "") -> Rectification:
    reason = (reason or "").strip()
    return set_archived(
        item,
        True,
        actor=actor,
        action="rectification.item.archived",
        unit=item.unit,
        data={"reason": reason} if reason else {},
        error=RectificationError,
        already=_("该整改事项已归档。"),
    )


def restore_item(item: Rectification, *, actor) -> Rectification:
    return set_archived(
        item,
        False,
        actor=actor,
        action="rectification.item.restored",
        unit=item.unit,
        error=RectificationError,
        already=_("该整改事项未归档，无需恢复。"),
    )


# ---------------------------------------------------------------------------------------------
# Evidence files


def add_evidence(item: Rectification, uploaded_file, *, actor) -> RectificationEvidence:
    """Keep a file as evidence: checked and stored by ``common.uploads`` (type judged by
    content, size limited, generated storage name, SHA-256 checksum)."""
    if item.is_archived:
        raise RectificationError({"__all__": _("该整改事项已归档，不能上传佐证材料。")})
    if item.status == Status.VERIFIED:
        raise RectificationError({"__all__": _("该整改事项已验收销号，不能再上传佐证材料。")})
    return attach_upload(
        RectificationEvidence(item=item),
        uploaded_file,
        label=_("佐证材料"),
        error=RectificationError,
        actor=actor,
        action="rectification.evidence.added",
        obj=item,
        unit=item.unit,
        data=lambda e: {
            "summary": _("上传佐证材料“%(name)s”") % {"name": e.original_name},
            **file_facts(e, "evidence"),
            "content_type": e.content_type,
        },
    )


def source_label(code: str) -> str:
    return str(Source(code).label) if code in Source.values else code


# ---------------------------------------------------------------------------------------------
# 民主评议党员


def roll_date(year: int, meeting=None, today: datetime.date | None = None) -> datetime.date:
    """The day whose branch roll takes part: the appraisal meeting's date, or else the year's
    last day (today, if the year is not over)."""
    if meeting is not None:
        return meeting.date
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def create_round(unit, data: dict, *, actor) -> AppraisalRound:
    """Open a branch's appraisal for ``data["year"]`` (``data["meeting"]``: optional 组织生活会 or
    党员大会 of that branch in that year, or in January or February after it). Everybody on the branch roll on the meeting date takes part;
    probationary members (on that date) take part but are not graded."""
    year = data.get("year")
    meeting = data.get("meeting")
    errors: dict[str, str] = {}
    if unit is None or unit.kind != UnitKind.BRANCH:
        errors["unit"] = _("党支部：民主评议以党支部为单位开展。")
    elif unit.is_archived:
        errors["unit"] = _("党支部：“%(unit)s”已归档。") % {"unit": unit}
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        errors["year"] = _("年度：请填写 2000 年至今年之间的年度。")
    if meeting is not None and not errors:
        if meeting.unit_id != unit.pk:
            errors["meeting"] = _("评议会议：须为本支部的会议。")
        elif meeting.is_archived:
            errors["meeting"] = _("评议会议：该会议记录已归档。")
        elif not (kinds := set(meeting.kinds.values_list("code", flat=True))) & set(rules.APPRAISAL_MEETING_KINDS):
            errors["meeting"] = _("评议会议：须为组织生活会或支部党员大会。")
        elif "life_meeting" in kinds:
            held = meeting.held_for_year or default_held_for_year(meeting.date)
            if not rules.appraisal_meeting_fits(meeting.date, year, held_for_year=held):
                errors["meeting"] = _("评议会议：该组织生活会是 %(held)s 年度的，不是 %(year)s 年度的。") % {
                    "held": held,
                    "year": year,
                }
        elif not rules.appraisal_meeting_fits(meeting.date, year):
            errors["meeting"] = _(
                "评议会议：会议日期不在 %(year)s 年度内（次年1、2月召开的年度组织生活会或党员大会也可）。"
            ) % {"year": year}
    if not errors and AppraisalRound.objects.active().filter(unit=unit, year=year).exists():
        errors["year"] = _("年度：%(unit)s 已有 %(year)s 年度的民主评议。") % {"unit": unit, "year": year}
    if errors:
        raise RectificationError(errors)
    day = roll_date(year, meeting)
    roll = list(
        Member.objects.active()
        .in_unit_on(unit, day)
        .order_by("name", "id")
        .values_list("pk", "name", "category", "full_member_on")
    )
    if not roll:
        raise RectificationError({"year": _("年度：%(day)s 该支部没有在册党员。") % {"day": day.isoformat()}})
    users = dict(Member.objects.filter(pk__in=[pk for pk, *_rest in roll]).values_list("pk", "user_id"))
    graded = [(pk, name) for pk, name, category, full_on in roll if was_full_member_on(category, full_on, day)]
    with transaction.atomic():
        ballot = ballots.create_round(
            unit=unit,
            title=_("%(unit)s %(year)s年度民主评议党员") % {"unit": unit, "year": year},
            options=list(rules.GRADES),
            items=[{"key": str(pk), "label": name, "member_id": pk} for pk, name in graded],
            electors=[{"name": name, "member_id": pk, "user_id": users.get(pk)} for pk, name, *_rest in roll],
            actor=actor,
        )
        rnd = AppraisalRound.objects.create(
            unit=unit, year=year, meeting=meeting, ballot=ballot, created_by=_user(actor)
        )
        AppraisalResult.objects.bulk_create(
            [
                AppraisalResult(round=rnd, member_id=pk, graded=was_full_member_on(category, full_on, day))
                for pk, _name, category, full_on in roll
            ]
        )
        log_action(
            "rectification.round.created",
            actor=actor,
            obj=rnd,
            unit=unit,
            changes={"year": [None, year], **({"meeting": [None, str(meeting)]} if meeting else {})},
            data={
                "roll_date": day.isoformat(),
                "graded": [n for pk, n, c, f in roll if was_full_member_on(c, f, day)],
                "not_graded": [n for pk, n, c, f in roll if not was_full_member_on(c, f, day)],
            },
        )
    return rnd


def _move_round(rnd: AppraisalRound, to_status, *, from_status, refused, step, actor, action: str, data=None):
    """Move the round along its voting (准备中 → 投票中 → 已结束) with its ballot (``step``)."""
    if rnd.is_archived:
        raise RectificationError({"__all__": _("该民主评议已归档。")})
    if rnd.status != from_status:
        raise RectificationError({"__all__": refused})
    with transaction.atomic():
        rnd.status = to_status
        AppraisalRound.objects.filter(pk=rnd.pk).update(status=rnd.status, updated_at=timezone.now())
        step(rnd.ballot, actor=actor)
        log_action(
            action,
            actor=actor,
            obj=rnd,
            unit=rnd.unit,
            changes={"status": [str(from_status.label), str(to_status.label)]},
            data=data(rnd) if data is not None else None,
        )
    return rnd


def open_voting(rnd: AppraisalRound, *, actor) -> AppraisalRound:
    return _move_round(
        rnd,
        RoundStatus.VOTING,
        from_status=RoundStatus.DRAFT,
        refused=_("只有准备中的民主评议可以开始投票。"),
        step=ballots.open_round,
        actor=actor,
        action="rectification.round.voting_opened",
    )


def close_voting(rnd: AppraisalRound, *, actor) -> AppraisalRound:
    """End the voting: from now on the totals show (with enough voters), and the branch decides."""
    return _move_round(
        rnd,
        RoundStatus.CLOSED,
        from_status=RoundStatus.VOTING,
        refused=_("只有投票中的民主评议可以结束投票。"),
        step=ballots.close_round,
        actor=actor,
        action="rectification.round.voting_closed",
        data=lambda rnd: {"voters": ballots.voter_count(rnd.ballot)},
    )


def save_self_assessment(result: AppraisalResult, text: str, *, actor) -> AppraisalResult:
    """The member's own self-assessment (个人自评); editable until the branch decides."""
    rnd = result.round
    text = (text or "").strip()
    if rnd.is_archived or rnd.status == RoundStatus.DECIDED:
        raise RectificationError({"__all__": _("该民主评议已评定或已归档，不能再修改自评。")})
    if not text:
        raise RectificationError({"self_assessment": _("个人自评：不能为空。")})
    before = result.self_assessment
    with transaction.atomic():
        result.self_assessment, result.self_assessed_at = text, timezone.now()
        result.save(update_fields=["self_assessment", "self_assessed_at"])
        log_action(
            "rectification.result.self_assessed",
            actor=actor,
            obj=result,
            unit=rnd.unit,
            changes={"self_assessment": [before or None, text]} if before != text else {},
        )
    return result


def round_facts(rnd: AppraisalRound) -> dict:
    """Roll, voters and tally of a round.

    ``results`` (with members), ``graded`` / ``ungraded`` {member id: name}, ``voter_ids`` (who
    voted, never how), ``ballot`` (``ballots.rules.Results``: turnout, and the breakdown once
    voting is closed with enough voters) and ``tally`` {appraisee id: {grade: count}} — empty
    until then, and without the members whose count is withheld.
    """
    results = list(rnd.results.select_related("member").order_by("member__name", "member_id"))
    outcome = ballots.results(rnd.ballot)
    tally = {int(i.key): i.counts for i in outcome.items if i.counts is not None}
    return {
        "results": results,
        "graded": {r.member_id: r.member.name for r in results if r.graded},
        "ungraded": {r.member_id: r.member.name for r in results if not r.graded},
        "voter_ids": ballots.voted_member_ids(rnd.ballot),
        "ballot": outcome,
        "tally": tally,
    }


def cast_ballot(rnd: AppraisalRound, voter, ballot: dict[int, str], *, actor) -> int:
    """Put ``voter``'s grades {appraisee id: grade} in the round's anonymous ballot box, once.
    Returns the number of grades given. Nothing keeps which grades were the voter's; the audit
    entry (written by ``ballots``) says that the member voted, never how."""
    if rnd.is_archived or rnd.status != RoundStatus.VOTING:
        raise RectificationError({"__all__": _("该民主评议不在投票阶段。")})
    roll = dict(rnd.results.values_list("member_id", "graded"))
    if voter is None or voter.pk not in roll:
        raise RectificationError({"__all__": _("投票：您不在本次民主评议的党员名单中。")})
    appraisees = dict(rnd.results.filter(graded=True).values_list("member_id", "member__name"))
    errors = rules.vote_errors(ballot, appraisees=appraisees, voter_id=voter.pk)
    if errors:
        raise RectificationError(errors)
    try:
        return ballots.cast_vote(rnd.ballot, {str(a): g for a, g in ballot.items()}, actor=actor, member=voter)
    except ballots.BallotError as exc:
        raise RectificationError(exc.errors) from exc


def _appraisal_problem(rnd: AppraisalRound, result: AppraisalResult) -> str:
    return _("%(year)s年度民主评议党员，%(name)s 被评定为“%(grade)s”，须限期整改。") % {
        "year": rnd.year,
        "name": result.member.name,
        "grade": result.get_grade_display(),
    }


def decide_round(rnd: AppraisalRound, grades: dict[int, str], *, actor) -> AppraisalRound:
    """The branch decision: a grade for every graded member (checked by ``rules.decision_errors``:
    优秀 at most one third, probationary members not graded, the meeting's quorum).

    Each 基本合格 / 不合格 opens a rectification item for the member (origin: their result) once;
    deciding again does not open a second one.
    """
    if rnd.is_archived:
        raise RectificationError({"__all__": _("该民主评议已归档。")})
    if rnd.status == RoundStatus.DRAFT:
        raise RectificationError({"__all__": _("请先开始投票，再评定等次。")})
    if rnd.status == RoundStatus.VOTING:
        raise RectificationError({"__all__": _("请先结束投票，再评定等次。")})
    facts = round_facts(rnd)
    full_voters = len(facts["voter_ids"] & set(facts["graded"]))
    errors = rules.decision_errors(
        grades,
        graded=facts["graded"],
        ungraded=facts["ungraded"],
        full_count=len(facts["graded"]),
        full_voters=full_voters,
    )
    if errors:
        raise RectificationError(errors)
    labels = rules.grade_labels()
    changes = {}
    now = timezone.now()
    with transaction.atomic():
        for result in facts["results"]:
            if not result.graded:
                continue
            new = grades[result.member_id]
            if result.grade != new:
                changes[result.member.name] = [labels.get(result.grade), labels[new]]
                result.grade = new
                result.save(update_fields=["grade"])
        before = rnd.get_status_display()
        rnd.status, rnd.decided_at, rnd.decided_by = RoundStatus.DECIDED, now, _user(actor)
        rnd.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        opened = []
        for result in facts["results"]:
            if result.graded and result.grade in rules.RECTIFY_GRADES and not items_from_origin(result).exists():
                item = open_item(
                    unit=rnd.unit,
                    source=Source.APPRAISAL,
                    problem=_appraisal_problem(rnd, result),
                    actor=actor,
                    responsible=result.member,
                    member=result.member,
                    deadline=timezone.localdate(now) + datetime.timedelta(days=APPRAISAL_RECTIFY_DAYS),
                    origin=result,
                )
                opened.append(item.pk)
        if before != rnd.get_status_display():
            changes["status"] = [before, rnd.get_status_display()]
        log_action(
            "rectification.round.decided",
            actor=actor,
            obj=rnd,
            unit=rnd.unit,
            changes=changes,
            data={"voters": len(facts["voter_ids"]), "full_voters": full_voters, "items_opened": opened},
        )
    return rnd


# Days a member graded 基本合格 / 不合格 has to rectify (the item's deadline).
APPRAISAL_RECTIFY_DAYS = 90


def archive_round(rnd: AppraisalRound, *, actor) -> AppraisalRound:
    if rnd.is_archived:
        raise RectificationError({"__all__": _("该民主评议已归档。")})
    with transaction.atomic():
        rnd.archived_at = timezone.now()
        AppraisalRound.objects.filter(pk=rnd.pk).update(archived_at=rnd.archived_at, updated_at=timezone.now())
        log_action("rectification.round.archived", actor=actor, obj=rnd, unit=rnd.unit)
    return rnd


def restore_round(rnd: AppraisalRound, *, actor) -> AppraisalRound:
    if not rnd.is_archived:
        raise RectificationError({"__all__": _("该民主评议未归档，无需恢复。")})
    if AppraisalRound.objects.active().filter(unit=rnd.unit, year=rnd.year).exists():
        raise RectificationError(
            {"__all__": _("%(unit)s 已有 %(year)s 年度的民主评议，不能恢复。") % {"unit": rnd.unit, "year": rnd.year}}
        )
    with transaction.atomic():
        rnd.archived_at = None
        AppraisalRound.objects.filter(pk=rnd.pk).update(archived_at=None, updated_at=timezone.now())
        log_action("rectification.round.restored", actor=actor, obj=rnd, unit=rnd.unit)
    return rnd


def record_export(*, actor, count: int, filters: dict, unit=None) -> None:
    """The audit entry of a ledger export (who, how many rows, which filters)."""
    log_action(
        "rectification.ledger.exported",
        actor=actor,
        unit=unit,
        data={"count": count, "filters": filters},
    )
