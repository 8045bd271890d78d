"""Every change to a 组织生活会 package goes through these functions.

Each gathers the facts the rules need with a few queries, asks ``lifemeetings.rules`` (refusing
with ``LifeMeetingError`` whose ``errors`` map form fields to Chinese messages), runs in one
transaction, writes the audit entry and returns the object.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.archiving import set_archived
from common.attaching import attach_upload, file_facts
from common.audit import log_action
from common.edits import created_changes, save_edit
from common.errors import DomainError
from lifemeetings import rules
from lifemeetings.models import (
    CriticismEntry,
    CriticismKind,
    HeartTalk,
    MaterialAttachment,
    MaterialStatus,
    PersonalProblem,
    ReviewMaterial,
)
from meetings.models import BuiltinKind, Meeting
from meetings.services import committee_member_ids_on
from members.models import Member
from organizations.models import Unit, UnitKind
from rectification import services as rectification_services

TALK_FIELDS = ["date", "initiator", "counterpart", "summary"]
MATERIAL_FIELDS = ["text"]
CRITICISM_FIELDS = ["subject", "kind", "by_member", "text"]
PROBLEM_FIELDS = ["member", "category", "problem", "root_cause", "measure"]


class LifeMeetingError(DomainError):
    """A change the rules refuse. ``errors`` maps field names ("__all__" for the record) to messages."""


def _today() -> datetime.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------------------------------------
# Facts


def reference_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day whose roster and committee a year's package uses: the year's end, or today if sooner."""
    today = today or _today()
    return min(today, datetime.date(year, 12, 31))


def branch_roster(unit: Unit, year: int) -> list[Member]:
    """The branch's members on the year's reference day, by name (one query)."""
    return list(Member.objects.in_unit_on(unit, reference_day(year)).order_by("name", "id"))


def committee_ids(unit: Unit, year: int) -> set[int]:
    """Members seated in the committee term in office on the year's reference day (one query)."""
    return committee_member_ids_on(unit, reference_day(year))


@dataclass
class CoverageView:
    """The coverage of one branch and year, with the people it is about."""

    coverage: rules.Coverage
    committee: list[Member]
    members: list[Member]


def talk_coverage(unit: Unit, year: int) -> CoverageView:
    """Required, done and missing talk pairs of ``unit`` in ``year`` (three queries)."""
    roster = branch_roster(unit, year)
    seated = committee_ids(unit, year)
    known = {m.pk for m in roster}
    missing_seats = seated - known
    if missing_seats:
        # A committee member who left the branch during the year still owes the talks.
        roster += list(Member.objects.filter(pk__in=missing_seats).order_by("name", "id"))
    talks = HeartTalk.objects.active().filter(unit=unit, year=year).values_list("initiator_id", "counterpart_id")
    cov = rules.coverage(seated, [m.pk for m in roster], talks)
    committee = [m for m in roster if m.pk in seated]
    return CoverageView(coverage=cov, committee=committee, members=roster)


def life_meetings(unit: Unit, year: int):
    """The branch's 组织生活会 records (not archived) held for the 年度 ``year`` (the value
    stored on the record, which the compliance rule and the assessment read too; a record
    written without it, e.g. by SQL, takes the default for its date)."""
    start, end = rules.package_window(year)
    unset = Q(held_for_year__isnull=True, date__gte=start, date__lte=end)
    return (
        Meeting.objects.active()
        .filter(Q(held_for_year=year) | unset, unit=unit, kinds__code=BuiltinKind.LIFE_MEETING)
        .order_by("date", "id")
        .distinct()
    )


def is_life_meeting(meeting: Meeting) -> bool:
    return meeting.kinds.filter(code=BuiltinKind.LIFE_MEETING).exists()


def _check_branch(unit: Unit) -> None:
    if unit.kind != UnitKind.BRANCH:
        raise LifeMeetingError({"unit": _("党支部：组织生活会材料按党支部登记。")})
    if unit.is_archived:
        raise LifeMeetingError({"unit": _("党支部：“%(unit)s”已归档，不能登记。") % {"unit": unit}})


def _check_year(year) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise LifeMeetingError({"year": _("年度：请填写 2000–2100 之间的年份。")})


def _raise(errors: dict) -> None:
    if errors:
        raise LifeMeetingError(errors)


# ---------------------------------------------------------------------------------------------
# 谈心谈话


def _merged(data: dict, fields: list[str], base: dict | None) -> dict:
    """``base`` with the values ``data`` gives for ``fields``."""
    return {**(base or {}), **{name: data[name] for name in fields if name in data}}


def _clean_talk(data: dict, base: dict | None = None) -> dict:
    out = _merged(data, TALK_FIELDS, base)
    out["summary"] = str(out.get("summary") or "").strip()
    for name in ("date", "initiator", "counterpart"):
        out.setdefault(name, None)
    return out


def _check_talk(unit: Unit, year: int, clean: dict) -> None:
    day = clean["date"]
    ids = set(Member.objects.in_unit_on(unit, day).values_list("pk", flat=True)) if day else set()
    _raise(
        rules.talk_errors(
            year=year,
            day=day,
            initiator_id=clean["initiator"].pk if clean["initiator"] else None,
            counterpart_id=clean["counterpart"].pk if clean["counterpart"] else None,
            summary=clean["summary"],
            branch_member_ids=ids,
            today=_today(),
        )
    )


def record_talk(unit: Unit, data: dict, *, actor) -> HeartTalk:
    """Keep a 谈心谈话 of ``unit`` for ``data["year"]``: both people must belong to the branch on the
    talk's date, the date lies in the year or early the next and not in the future."""
    _check_branch(unit)
    year = data.get("year")
    _check_year(year)
    clean = _clean_talk(data)
    _check_talk(unit, year, clean)
    with transaction.atomic():
        talk = HeartTalk.objects.create(unit=unit, year=year, recorded_by=_user(actor), **clean)
        log_action(
            "lifemeetings.talk.created",
            actor=actor,
            obj=talk,
            unit=unit,
            changes=created_changes(talk, ["year", *TALK_FIELDS]),
        )
    return talk


def update_talk(talk: HeartTalk, data: dict, *, actor, expected_version: int) -> HeartTalk:
    if talk.is_archived:
        raise LifeMeetingError({"__all__": _("该谈话记录已归档，请先恢复再修改。")})
    clean = _clean_talk(data, base={k: getattr(talk, k) for k in TALK_FIELDS})
    _check_talk(talk.unit, talk.year, clean)
    save_edit(
        talk,
        clean,
        TALK_FIELDS,
        expected_version=expected_version,
        actor=actor,
        action="lifemeetings.talk.changed",
        unit=talk.unit,
    )
    return talk


def archive_talk(talk: HeartTalk, *, actor) -> HeartTalk:
    return set_archived(
        talk,
        True,
        actor=actor,
        action="lifemeetings.talk.archived",
        unit=talk.unit,
        error=LifeMeetingError,
        already=_("该谈话记录已归档。"),
    )


def restore_talk(talk: HeartTalk, *, actor) -> HeartTalk:
    return set_archived(
        talk,
        False,
        actor=actor,
        action="lifemeetings.talk.restored",
        unit=talk.unit,
        error=LifeMeetingError,
        already=_("该谈话记录未归档，无需恢复。"),
    )


# ---------------------------------------------------------------------------------------------
# 对照检查材料


def create_material(unit: Unit, year: int, member: Member, data: dict, *, actor) -> ReviewMaterial:
    """Start the 对照检查材料 of ``member``, who must sit on the branch committee that year."""
    _check_branch(unit)
    _check_year(year)
    if member.pk not in committee_ids(unit, year):
        raise LifeMeetingError({"member": _("支委：%(name)s 不是本支部该年度的支委会成员。") % {"name": member}})
    if ReviewMaterial.objects.filter(unit=unit, year=year, member=member).exists():
        raise LifeMeetingError({"member": _("支委：%(name)s 的本年度材料已存在。") % {"name": member}})
    text = str(data.get("text") or "").strip()
    with transaction.atomic():
        material = ReviewMaterial.objects.create(
            unit=unit, year=year, member=member, text=text, created_by=_user(actor)
        )
        log_action(
            "lifemeetings.material.created",
            actor=actor,
            obj=material,
            unit=unit,
            changes={"text": [None, text]} if text else {},
        )
    return material


def _check_editable(material: ReviewMaterial) -> None:
    if material.status == MaterialStatus.SUBMITTED:
        raise LifeMeetingError({"__all__": _("材料已提交，不能再修改；如需修改请由支部书记退回。")})


def update_material(material: ReviewMaterial, data: dict, *, actor, expected_version: int) -> ReviewMaterial:
    _check_editable(material)
    save_edit(
        material,
        {"text": str(data.get("text", material.text) or "").strip()},
        MATERIAL_FIELDS,
        expected_version=expected_version,
        actor=actor,
        action="lifemeetings.material.changed",
        unit=material.unit,
    )
    return material


def submit_material(material: ReviewMaterial, *, actor) -> ReviewMaterial:
    _check_editable(material)
    if not material.text.strip() and not material.attachments.exists():
        raise LifeMeetingError({"text": _("材料正文：提交前请填写材料正文或上传附件。")})
    with transaction.atomic():
        now = timezone.now()
        ReviewMaterial.objects.filter(pk=material.pk).update(
            status=MaterialStatus.SUBMITTED, submitted_at=now, return_reason="", updated_at=now
        )
        old = material.get_status_display()
        material.status, material.submitted_at, material.return_reason = MaterialStatus.SUBMITTED, now, ""
        log_action(
            "lifemeetings.material.submitted",
            actor=actor,
            obj=material,
            unit=material.unit,
            changes={"status": [old, material.get_status_display()]},
        )
    return material


def return_material(material: ReviewMaterial, reason: str, *, actor) -> ReviewMaterial:
    """Send a submitted material back to draft (退回修改) with a reason."""
    if material.status != MaterialStatus.SUBMITTED:
        raise LifeMeetingError({"__all__": _("只有已提交的材料可以退回。")})
    reason = (reason or "").strip()
    if not reason:
        raise LifeMeetingError({"reason": _("退回理由：请填写。")})
    with transaction.atomic():
        ReviewMaterial.objects.filter(pk=material.pk).update(
            status=MaterialStatus.DRAFT, return_reason=reason, updated_at=timezone.now()
        )
        old = material.get_status_display()
        material.status, material.return_reason = MaterialStatus.DRAFT, reason
        log_action(
            "lifemeetings.material.returned",
            actor=actor,
            obj=material,
            unit=material.unit,
            changes={"status": [old, material.get_status_display()]},
            data={"reason": reason},
        )
    return material


def add_material_attachment(material: ReviewMaterial, uploaded_file, *, actor) -> MaterialAttachment:
    """Keep a file with the material: checked and stored by ``common.uploads`` (type judged by
    content, size limited, generated storage name, SHA-256 checksum)."""
    _check_editable(material)
    return attach_upload(
        MaterialAttachment(material=material),
        uploaded_file,
        label=_("附件"),
        error=LifeMeetingError,
        actor=actor,
        action="lifemeetings.material.attachment_added",
        obj=material,
        unit=material.unit,
        data=lambda a: {"summary": _("上传附件“%(name)s”") % {"name": a.original_name}, **file_facts(a)},
    )


# ---------------------------------------------------------------------------------------------
# At the meeting: criticism and personal problems


def _check_meeting(meeting: Meeting) -> None:
    if meeting.is_archived:
        raise LifeMeetingError({"__all__": _("该会议记录已归档，不能登记。")})
    if not is_life_meeting(meeting):
        raise LifeMeetingError({"__all__": _("只有组织生活会可以登记批评与自我批评和查摆问题。")})


def _meeting_member_ids(meeting: Meeting) -> set[int]:
    """Members of the branch on the meeting's date, and anyone with an attendance row."""
    return set(
        Member.objects.filter(
            Q(pk__in=Member.objects.in_unit_on(meeting.unit, meeting.date).values("pk"))
            | Q(attendance__meeting=meeting)
        ).values_list("pk", flat=True)
    )


def _record_at(meeting: Meeting, model, clean: dict, check, fields: list[str], action: str, *, actor):
    """Create a ``model`` row of ``meeting`` (criticism, problem) once ``check(meeting, clean)``
    passes, and log what it records."""
    _check_meeting(meeting)
    check(meeting, clean)
    with transaction.atomic():
        entry = model.objects.create(meeting=meeting, recorded_by=_user(actor), **clean)
        log_action(
            action,
            actor=actor,
            obj=entry,
            unit=meeting.unit,
            changes=created_changes(entry, fields),
            data={"meeting": meeting.pk},
        )
    return entry


def _update_at(entry, clean: dict, check, fields: list[str], action: str, *, actor, expected_version: int):
    """Save an edit of an entry recorded at a meeting once ``check(meeting, clean)`` passes."""
    check(entry.meeting, clean)
    save_edit(
        entry,
        clean,
        fields,
        expected_version=expected_version,
        actor=actor,
        action=action,
        unit=entry.meeting.unit,
    )
    return entry


def _clean_criticism(data: dict, base: dict | None = None) -> dict:
    out = _merged(data, CRITICISM_FIELDS, base)
    out["text"] = str(out.get("text") or "").strip()
    out["kind"] = str(out.get("kind") or "")
    for name in ("subject", "by_member"):
        out.setdefault(name, None)
    if out["kind"] == CriticismKind.SELF and out["by_member"] is not None and out["by_member"] == out["subject"]:
        out["by_member"] = None
    return out


def _check_criticism(meeting: Meeting, clean: dict) -> None:
    _raise(
        rules.criticism_errors(
            kind=clean["kind"],
            subject_id=clean["subject"].pk if clean["subject"] else None,
            by_member_id=clean["by_member"].pk if clean["by_member"] else None,
            text=clean["text"],
            attendee_ids=_meeting_member_ids(meeting),
        )
    )


def record_criticism(meeting: Meeting, data: dict, *, actor) -> CriticismEntry:
    clean = _clean_criticism(data)
    return _record_at(
        meeting,
        CriticismEntry,
        clean,
        _check_criticism,
        CRITICISM_FIELDS,
        "lifemeetings.criticism.created",
        actor=actor,
    )


def update_criticism(entry: CriticismEntry, data: dict, *, actor, expected_version: int) -> CriticismEntry:
    if entry.is_archived:
        raise LifeMeetingError({"__all__": _("该条目已归档。")})
    clean = _clean_criticism(data, base={k: getattr(entry, k) for k in CRITICISM_FIELDS})
    return _update_at(
        entry,
        clean,
        _check_criticism,
        CRITICISM_FIELDS,
        "lifemeetings.criticism.changed",
        actor=actor,
        expected_version=expected_version,
    )


def archive_criticism(entry: CriticismEntry, *, actor) -> CriticismEntry:
    return set_archived(
        entry,
        True,
        actor=actor,
        action="lifemeetings.criticism.archived",
        unit=entry.meeting.unit,
        error=LifeMeetingError,
        already=_("该条目已归档。"),
    )


def _clean_problem(data: dict, base: dict | None = None) -> dict:
    out = _merged(data, PROBLEM_FIELDS, base)
    for name in ("category", "problem", "root_cause", "measure"):
        out[name] = str(out.get(name) or "").strip()
    out.setdefault("member", None)
    return out


def _check_problem(meeting: Meeting, clean: dict) -> None:
    _raise(
        rules.problem_errors(
            member_id=clean["member"].pk if clean["member"] else None,
            category=clean["category"],
            problem=clean["problem"],
            member_ids=_meeting_member_ids(meeting),
        )
    )


def record_problem(meeting: Meeting, data: dict, *, actor) -> PersonalProblem:
    clean = _clean_problem(data)
    return _record_at(
        meeting, PersonalProblem, clean, _check_problem, PROBLEM_FIELDS, "lifemeetings.problem.created", actor=actor
    )


def update_problem(problem: PersonalProblem, data: dict, *, actor, expected_version: int) -> PersonalProblem:
    if problem.is_archived:
        raise LifeMeetingError({"__all__": _("该问题已归档。")})
    clean = _clean_problem(data, base={k: getattr(problem, k) for k in PROBLEM_FIELDS})
    if problem.is_raised and clean["member"] != problem.member:
        raise LifeMeetingError({"member": _("党员：该问题已转为整改事项，不能改为他人的问题。")})
    return _update_at(
        problem,
        clean,
        _check_problem,
        PROBLEM_FIELDS,
        "lifemeetings.problem.changed",
        actor=actor,
        expected_version=expected_version,
    )


def archive_problem(problem: PersonalProblem, *, actor) -> PersonalProblem:
    def check():
        if problem.is_raised:
            raise LifeMeetingError(_("该问题已转为整改事项，不能归档。"))

    return set_archived(
        problem,
        True,
        actor=actor,
        action="lifemeetings.problem.archived",
        unit=problem.meeting.unit,
        error=LifeMeetingError,
        already=_("该问题已归档。"),
        check=check,
    )


# ---------------------------------------------------------------------------------------------
# Raising a rectification item


def rectification_available() -> bool:
    """Whether ``rectification.services.open_item`` exists in this installation."""
    return hasattr(rectification_services, "open_item")


def _item_from_origin(problem: PersonalProblem) -> int | None:
    """The id of an item already raised from ``problem`` in the rectification ledger, if any."""
    finder = getattr(rectification_services, "items_from_origin", None)
    if finder is None:
        return None
    return finder(problem).order_by("id").values_list("pk", flat=True).first()


def raise_item(problem: PersonalProblem, data: dict, *, actor):
    """Open a rectification item for ``problem`` (member concerned and responsible: its member).

    Idempotent: a problem already linked to an item returns ``(problem, item id, False)`` and opens
    nothing. Otherwise ``(problem, item id, True)``. ``data``: ``deadline`` (required, not in the
    past), ``measure`` (defaults to the problem's measure).
    """
    if not rectification_available():
        raise LifeMeetingError({"__all__": _("整改台账模块尚未启用，暂时无法转为整改事项。")})
    deadline = data.get("deadline")
    measure = str(data.get("measure") or problem.measure or "").strip()
    with transaction.atomic():
        locked = PersonalProblem.objects.select_for_update().get(pk=problem.pk)
        if locked.rectification_id is not None:
            problem.rectification_id, problem.raised_at = locked.rectification_id, locked.raised_at
            return problem, locked.rectification_id, False
        if problem.is_archived:
            raise LifeMeetingError({"__all__": _("该问题已归档，不能转为整改事项。")})
        errors = {}
        if deadline is None:
            errors["deadline"] = _("完成时限：请填写。")
        elif deadline < _today():
            errors["deadline"] = _("完成时限：不能早于今天。")
        if not measure:
            errors["measure"] = _("整改措施：请填写。")
        _raise(errors)
        existing = _item_from_origin(problem)
        if existing is not None:
            # Raised before this problem kept the link (or by another path): link it, open nothing.
            now = timezone.now()
            PersonalProblem.objects.filter(pk=problem.pk).update(rectification_id=existing, raised_at=now)
            problem.rectification_id, problem.raised_at = existing, now
            return problem, existing, False
        meeting = problem.meeting
        text = problem.problem
        if problem.root_cause:
            text = _("%(problem)s（根源剖析：%(cause)s）") % {"problem": problem.problem, "cause": problem.root_cause}
        try:
            item = rectification_services.open_item(
                unit=meeting.unit,
                source="life_meeting",
                problem=text,
                actor=actor,
                measure=measure,
                responsible=problem.member,
                deadline=deadline,
                member=problem.member,
                origin=problem,
                category=problem.category,
            )
        except ValueError as exc:
            # The rectification service names the field in Chinese; pass its message on.
            raise LifeMeetingError(getattr(exc, "errors", None) or {"__all__": str(exc)}) from exc
        now = timezone.now()
        PersonalProblem.objects.filter(pk=problem.pk).update(rectification_id=item.pk, raised_at=now, updated_at=now)
        problem.rectification_id, problem.raised_at = item.pk, now
        log_action(
            "lifemeetings.problem.raised",
            actor=actor,
            obj=problem,
            unit=meeting.unit,
            data={
                "rectification": item.pk,
                "deadline": deadline.isoformat(),
                "measure": measure,
                "summary": _("转为整改事项（完成时限%(day)s）") % {"day": deadline.isoformat()},
            },
        )
    return problem, item.pk, True
