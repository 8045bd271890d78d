"""Every change to a rectification item goes through these functions.

``open_item`` is the shared entry point other apps call (an inspection finding, a 组织生活会
problem, an appraisal result): keyword-only, it checks the fields, stores the origin as
content type + id, writes the first history row and the audit entry, and returns the item.
Status moves follow the table in ``rectification.rules`` and go only through ``move_item``.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from meetings import filetypes
from organizations.models import UnitKind
from rectification import rules
from rectification.models import (
    Rectification,
    RectificationEvidence,
    RectificationStatusChange,
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


class RectificationError(ValueError):
    """A change the rules refuse. ``errors`` maps form fields ("__all__" for the item) to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


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
    shown = snapshot(item, AUDIT_FIELDS)
    data = {}
    if origin is not None:
        data["origin"] = {"type": item.content_type.model, "id": origin.pk, "repr": str(origin)[:200]}
    log_action(
        "rectification.item.created",
        actor=actor,
        obj=item,
        unit=unit,
        changes={k: [None, v] for k, v in shown.items() if v not in (None, "")},
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
        current.status = move.to_status
        fields = ["status", "updated_at"]
        if code == "submit":
            current.evidence, current.submitted_by, current.submitted_at = note, _user(actor), now
            fields += ["evidence", "submitted_by", "submitted_at"]
        elif code == "verify":
            current.verified_by, current.verified_at = _user(actor), now
            fields += ["verified_by", "verified_at"]
        current.save(update_fields=fields)
        RectificationStatusChange.objects.create(
            item=current, from_status=move.from_status, to_status=move.to_status, actor=_user(actor), note=note, at=now
        )
        data = {"note": note} if note else {}
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
    if item.is_archived:
        raise RectificationError({"__all__": _("该整改事项已归档。")})
    reason = (reason or "").strip()
    with transaction.atomic():
        item.archived_at = timezone.now()
        Rectification.objects.filter(pk=item.pk).update(archived_at=item.archived_at, updated_at=timezone.now())
        log_action(
            "rectification.item.archived",
            actor=actor,
            obj=item,
            unit=item.unit,
            data={"reason": reason} if reason else {},
        )
    return item


def restore_item(item: Rectification, *, actor) -> Rectification:
    if not item.is_archived:
        raise RectificationError({"__all__": _("该整改事项未归档，无需恢复。")})
    with transaction.atomic():
        item.archived_at = None
        Rectification.objects.filter(pk=item.pk).update(archived_at=None, updated_at=timezone.now())
        log_action("rectification.item.restored", actor=actor, obj=item, unit=item.unit)
    return item


# ---------------------------------------------------------------------------------------------
# Evidence files


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def add_evidence(item: Rectification, uploaded_file, *, actor) -> RectificationEvidence:
    """Keep a file as evidence: type judged by content (``meetings.filetypes``), size limited,
    stored under a generated name with its SHA-256 checksum."""
    if item.is_archived:
        raise RectificationError({"__all__": _("该整改事项已归档，不能上传佐证材料。")})
    if item.status == Status.VERIFIED:
        raise RectificationError({"__all__": _("该整改事项已验收销号，不能再上传佐证材料。")})
    limit = int(settings.ZHIBU["ATTACHMENT_MAX_BYTES"])
    if uploaded_file is None:
        raise RectificationError({"file": _("佐证材料：请选择要上传的文件。")})
    too_big = _("佐证材料：文件超过大小上限（%(mb)s MB）。") % {"mb": _megabytes(limit)}
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise RectificationError({"file": too_big})
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise RectificationError({"file": too_big})
    if not data:
        raise RectificationError({"file": _("佐证材料：文件是空的。")})
    filetype = filetypes.sniff(data)
    if filetype is None:
        raise RectificationError(
            {"file": _("佐证材料：文件内容不是可接受的类型（%(types)s）。") % {"types": filetypes.accepted_labels()}}
        )
    original = os.path.basename(str(getattr(uploaded_file, "name", "") or "")).strip()[:255] or filetype.extension
    if filetypes.name_contradicts(original, filetype):
        raise RectificationError(
            {
                "file": _("佐证材料：文件内容是%(actual)s，与文件名“%(name)s”不符。")
                % {"actual": filetype.label, "name": original}
            }
        )
    evidence = RectificationEvidence(
        item=item,
        original_name=original,
        content_type=filetype.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=_user(actor),
    )
    with transaction.atomic():
        evidence.file.save(f"{uuid.uuid4().hex}.{filetype.extension}", ContentFile(data), save=False)
        evidence.save()
        log_action(
            "rectification.evidence.added",
            actor=actor,
            obj=item,
            unit=item.unit,
            data={
                "summary": _("上传佐证材料“%(name)s”") % {"name": original},
                "evidence": evidence.pk,
                "name": original,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "content_type": evidence.content_type,
            },
        )
    return evidence


def source_label(code: str) -> str:
    return str(Source(code).label) if code in Source.values else code
