"""Every change in the campaigns app goes through these functions.

Each checks its preconditions (refusing with ``CampaignError`` whose ``errors`` map form fields to
Chinese messages), runs in one transaction, writes the audit entry and returns the object.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import rules
from campaigns.models import (
    DEFAULT_MIN_CHARS,
    Audience,
    Campaign,
    CampaignBook,
    Evidence,
    Material,
    MaterialRead,
    MaterialTopic,
    ReadingReflection,
    ReflectionComment,
    ReflectionStatus,
    Stage,
    Task,
    TaskCompletion,
    Topic,
)
from common import filetypes
from common.archiving import set_archived
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version
from common.edits import created_changes, save_edit
from common.errors import DomainError
from common.similarity import find_similar, similarity_threshold
from common.uploads import UploadRefused, read_upload, refuse_disguise, storage_name
from common.workflow import check_move
from meetings.models import BuiltinKind, Meeting
from members.models import BranchMembership
from organizations.models import Unit, UnitKind

CAMPAIGN_FIELDS = ["name", "goal", "start_on", "end_on", "reflection_min_chars"]
STAGE_FIELDS = ["order", "name", "description", "start_on", "end_on"]
BOOK_FIELDS = ["title", "author", "note", "material", "order"]
TASK_FIELDS = ["title", "description", "audience", "due_on", "evidence", "meeting_kind", "book", "order"]
MATERIAL_FIELDS = ["title", "description", "stage"]

MATERIAL_TYPES = (filetypes.PDF, filetypes.DOCX, filetypes.TEXT)
GB18030_TEXT = "text/plain; charset=gb18030"


class CampaignError(DomainError):
    """A change the rules refuse. ``errors`` maps field names ("__all__" for the record) to messages."""


def _today() -> datetime.date:
    return timezone.localdate()


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------------------------------------
# Campaigns and stages


def _check_dates(start, end, errors: dict, *, start_field="start_on", end_field="end_on") -> None:
    if not start:
        errors[start_field] = _("开始日期：不能为空。")
    if not end:
        errors[end_field] = _("结束日期：不能为空。")
    if start and end and end < start:
        errors[end_field] = _("结束日期：不能早于开始日期。")


def _clean(data: dict, fields: list[str], base: dict | None = None) -> dict:
    out = dict(base or {})
    for name in fields:
        if name in data:
            value = data[name]
            out[name] = value.strip() if isinstance(value, str) else value
    return out


def _update(record, data: dict, fields: list[str], errors_of, *, expected_version: int, actor, action: str, **log):
    """Merge ``data`` into ``record``'s ``fields``, refuse what ``errors_of(clean)`` finds, save with
    the form's version and log the changes."""
    clean = _clean(data, fields, {k: getattr(record, k) for k in fields})
    errors = errors_of(clean)
    if errors:
        raise CampaignError(errors)
    save_edit(record, clean, fields, expected_version=expected_version, actor=actor, action=action, **log)
    return record


def _next_order(rows) -> int:
    """The ``order`` of a row added after ``rows`` (a stage's books, a campaign's stages …)."""
    return (rows.order_by("-order").values_list("order", flat=True).first() or 0) + 1


def _add_part(model, campaign: Campaign, clean: dict, errors: dict, /, *, actor, action: str, data, **parent):
    """Create a part of ``campaign`` (a stage, a book, a task) unless ``errors``; log it on the campaign."""
    if errors:
        raise CampaignError(errors)
    with transaction.atomic():
        row = model.objects.create(**parent, **clean)
        log_action(action, actor=actor, obj=campaign, unit=campaign.unit, data=data(row))
    return row


def _campaign_errors(clean: dict) -> dict:
    errors = {}
    if not clean.get("name"):
        errors["name"] = _("活动名称：不能为空。")
    _check_dates(clean.get("start_on"), clean.get("end_on"), errors)
    minimum = clean.get("reflection_min_chars")
    if minimum is None or int(minimum) < 1:
        errors["reflection_min_chars"] = _("心得最少字数：应为正整数。")
    return errors


def create_campaign(unit: Unit, data: dict, *, actor) -> Campaign:
    clean = _clean(data, CAMPAIGN_FIELDS, {"goal": "", "reflection_min_chars": DEFAULT_MIN_CHARS})
    errors = _campaign_errors(clean)
    if unit.kind not in (UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH):
        errors["unit"] = _("发起单位：主题活动由机关党委或党总支发起。")
    if errors:
        raise CampaignError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(unit=unit, created_by=_actor(actor), **clean)
        log_action(
            "campaigns.campaign.created",
            actor=actor,
            obj=campaign,
            unit=unit,
            changes=created_changes(campaign, CAMPAIGN_FIELDS),
        )
    return campaign


def update_campaign(campaign: Campaign, data: dict, *, actor, expected_version: int) -> Campaign:
    if campaign.is_archived:
        raise CampaignError({"__all__": _("该主题活动已归档，请先恢复再修改。")})
    return _update(
        campaign,
        data,
        CAMPAIGN_FIELDS,
        _campaign_errors,
        expected_version=expected_version,
        actor=actor,
        action="campaigns.campaign.changed",
        unit=campaign.unit,
    )


def archive_campaign(campaign: Campaign, *, actor) -> Campaign:
    return set_archived(
        campaign,
        True,
        actor=actor,
        action="campaigns.campaign.archived",
        unit=campaign.unit,
        error=CampaignError,
        already=_("该主题活动已归档。"),
    )


def restore_campaign(campaign: Campaign, *, actor) -> Campaign:
    return set_archived(
        campaign,
        False,
        actor=actor,
        action="campaigns.campaign.restored",
        unit=campaign.unit,
        error=CampaignError,
        already=_("该主题活动未归档，无需恢复。"),
    )


def _stage_errors(campaign: Campaign, clean: dict) -> dict:
    errors = {}
    if not clean.get("name"):
        errors["name"] = _("阶段名称：不能为空。")
    _check_dates(clean.get("start_on"), clean.get("end_on"), errors)
    start, end = clean.get("start_on"), clean.get("end_on")
    if start and start < campaign.start_on:
        errors["start_on"] = _("开始日期：不能早于活动开始日期 %(d)s。") % {"d": campaign.start_on.isoformat()}
    if end and end > campaign.end_on:
        errors["end_on"] = _("结束日期：不能晚于活动结束日期 %(d)s。") % {"d": campaign.end_on.isoformat()}
    return errors


def create_stage(campaign: Campaign, data: dict, *, actor) -> Stage:
    if campaign.is_archived:
        raise CampaignError({"__all__": _("该主题活动已归档，不能新增阶段。")})
    clean = _clean(data, STAGE_FIELDS, {"description": "", "order": _next_order(campaign.stages)})
    return _add_part(
        Stage,
        campaign,
        clean,
        _stage_errors(campaign, clean),
        actor=actor,
        action="campaigns.stage.created",
        data=lambda stage: {"summary": _("新增阶段“%(name)s”") % {"name": stage.name}, "stage": stage.pk},
        campaign=campaign,
    )


def update_stage(stage: Stage, data: dict, *, actor, expected_version: int) -> Stage:
    campaign = stage.campaign
    return _update(
        stage,
        data,
        STAGE_FIELDS,
        lambda clean: _stage_errors(campaign, clean),
        expected_version=expected_version,
        actor=actor,
        action="campaigns.stage.changed",
        obj=campaign,
        unit=campaign.unit,
        data=lambda stage: {"summary": _("修改阶段“%(name)s”") % {"name": stage.name}, "stage": stage.pk},
    )


def add_book(stage: Stage, data: dict, *, actor) -> CampaignBook:
    campaign = stage.campaign
    clean = _clean(data, BOOK_FIELDS, {"author": "", "note": "", "material": None, "order": _next_order(stage.books)})
    if not clean.get("title"):
        raise CampaignError({"title": _("书名：不能为空。")})
    material = clean.get("material")
    if material is not None and material.is_archived:
        raise CampaignError({"material": _("资料库文件：“%(t)s”已归档。") % {"t": material.title}})
    return _add_part(
        CampaignBook,
        campaign,
        clean,
        {},
        actor=actor,
        action="campaigns.book.added",
        data=lambda book: {
            "summary": _("阶段“%(stage)s”新增书目《%(title)s》") % {"stage": stage.name, "title": book.title},
            "book": book.pk,
        },
        stage=stage,
    )


# ---------------------------------------------------------------------------------------------
# Tasks


def _task_errors(stage: Stage, clean: dict) -> dict:
    errors = {}
    if not clean.get("title"):
        errors["title"] = _("任务：不能为空。")
    if clean.get("audience") not in Audience.values:
        errors["audience"] = _("对象：请选择机关党委、每个党支部或每名党员。")
    if clean.get("evidence") not in Evidence.values:
        errors["evidence"] = _("完成方式：请选择召开会议、上传材料或提交读书心得。")
    if not clean.get("due_on"):
        errors["due_on"] = _("完成期限：不能为空。")
    if errors:
        return errors
    errors.update(
        rules.task_errors(
            audience=clean["audience"],
            evidence=clean["evidence"],
            has_kind=clean.get("meeting_kind") is not None,
            due_on=clean["due_on"],
            stage_start=stage.start_on,
            stage_end=stage.end_on,
        )
    )
    book = clean.get("book")
    if book is not None and book.stage_id != stage.pk:
        errors["book"] = _("书目：《%(t)s》不是本阶段的书目。") % {"t": book.title}
    if clean["evidence"] != Evidence.MEETING:
        clean["meeting_kind"] = None
    if clean["evidence"] != Evidence.REFLECTION:
        clean["book"] = None
    return errors


def create_task(stage: Stage, data: dict, *, actor) -> Task:
    campaign = stage.campaign
    if campaign.is_archived:
        raise CampaignError({"__all__": _("该主题活动已归档，不能新增任务。")})
    clean = _clean(
        data, TASK_FIELDS, {"description": "", "meeting_kind": None, "book": None, "order": _next_order(stage.tasks)}
    )
    return _add_part(
        Task,
        campaign,
        clean,
        _task_errors(stage, clean),
        actor=actor,
        action="campaigns.task.created",
        data=lambda task: {
            "summary": _("阶段“%(stage)s”新增任务“%(t)s”") % {"stage": stage.name, "t": task.title},
            "task": task.pk,
        },
        stage=stage,
    )


def update_task(task: Task, data: dict, *, actor, expected_version: int) -> Task:
    stage = task.stage
    campaign = stage.campaign
    return _update(
        task,
        data,
        TASK_FIELDS,
        lambda clean: _task_errors(stage, clean),
        expected_version=expected_version,
        actor=actor,
        action="campaigns.task.changed",
        obj=campaign,
        unit=campaign.unit,
        data=lambda task: {"summary": _("修改任务“%(t)s”") % {"t": task.title}, "task": task.pk},
    )


# ---------------------------------------------------------------------------------------------
# Files (checked as in common.uploads, for fewer types and GB18030 text too; generated storage names)


def _gb18030_text(data: bytes) -> bool:
    """Plain text in GB18030 (files saved by older Chinese Windows editors)."""
    if b"\x00" in data:
        return False
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def _sniff(data: bytes, accepted) -> tuple[filetypes.FileType | None, str]:
    """The accepted type of ``data`` and the content type to serve it with."""
    filetype = filetypes.sniff(data)
    if filetype is None and filetypes.TEXT in accepted and _gb18030_text(data):
        return filetypes.TEXT, GB18030_TEXT
    if filetype not in accepted:
        return None, ""
    return filetype, filetype.content_type


def _checked_file(uploaded_file, label: str, accepted) -> tuple[bytes, str, filetypes.FileType, str]:
    """``common.uploads.checked_upload`` for a list of ``accepted`` types, taking GB18030 text too;
    a file without a name is named ``file.<extension>``."""
    try:
        data, original = read_upload(uploaded_file, label=label)
        filetype, content_type = _sniff(data, accepted)
        if filetype is None:
            labels = "、".join(t.label for t in accepted)
            raise UploadRefused(
                _("%(label)s：文件内容不是可接受的类型（%(types)s）。") % {"label": label, "types": labels}
            )
        original = original or f"file.{filetype.extension}"
        refuse_disguise(original, filetype, label=label)
    except UploadRefused as exc:
        raise CampaignError({"file": str(exc)}) from exc
    return data, original, filetype, content_type


def extract_text(data: bytes, filetype: filetypes.FileType) -> str:
    """The text of a .docx (its paragraphs and table cells) or .txt (UTF-8, else GB18030); PDFs
    keep no text."""
    if filetype is filetypes.DOCX:
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # a zip that python-docx cannot read: keep the file, search by title only
            return ""
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(line for line in lines if line.strip())
    if filetype is filetypes.TEXT:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return ""


# ---------------------------------------------------------------------------------------------
# Branch reports (document tasks)


def complete_task(task: Task, unit: Unit, uploaded_file, *, actor, note: str = "") -> TaskCompletion:
    """Mark a document task done for ``unit`` (a branch, or the committee) with its material."""
    stage = task.stage
    campaign = stage.campaign
    if campaign.is_archived:
        raise CampaignError({"__all__": _("该主题活动已归档。")})
    if task.evidence != Evidence.DOCUMENT:
        raise CampaignError({"__all__": _("任务：“%(t)s”不以上传材料完成。") % {"t": task.title}})
    if task.audience == Audience.BRANCH and unit.kind != UnitKind.BRANCH:
        raise CampaignError({"__all__": _("任务：“%(t)s”由各党支部上报。") % {"t": task.title}})
    if task.audience == Audience.COMMITTEE and unit.pk != campaign.unit_id:
        raise CampaignError({"__all__": _("任务：“%(t)s”由%(u)s上报。") % {"t": task.title, "u": campaign.unit}})
    if not unit.path.startswith(campaign.unit.path):
        raise CampaignError({"__all__": _("单位：“%(u)s”不在该活动范围内。") % {"u": unit}})
    if TaskCompletion.objects.filter(task=task, unit=unit).exists():
        raise CampaignError({"__all__": _("任务：“%(t)s”已上报完成。") % {"t": task.title}})
    data, original, filetype, content_type = _checked_file(uploaded_file, _("完成材料"), filetypes.ACCEPTED)
    completion = TaskCompletion(
        task=task,
        unit=unit,
        note=(note or "").strip()[:300],
        original_name=original,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        completed_by=_actor(actor),
    )
    with transaction.atomic():
        completion.file.save(storage_name(filetype), ContentFile(data), save=False)
        try:
            with transaction.atomic():
                completion.save()
        except IntegrityError as exc:
            raise CampaignError({"__all__": _("任务：“%(t)s”已上报完成。") % {"t": task.title}}) from exc
        log_action(
            "campaigns.task.completed",
            actor=actor,
            obj=campaign,
            unit=unit,
            data={
                "summary": _("%(u)s上报完成“%(t)s”（%(name)s）") % {"u": unit.name, "t": task.title, "name": original},
                "task": task.pk,
                "completion": completion.pk,
                "name": original,
                "sha256": completion.sha256,
            },
        )
    return completion


# ---------------------------------------------------------------------------------------------
# Reading reflections


def current_branch(member) -> Unit | None:
    row = (
        BranchMembership.objects.filter(member=member, end_on__isnull=True)
        .select_related("unit")
        .order_by("-start_on")
        .first()
    )
    return row.unit if row else None


def similar_reflection(text: str, *, exclude_pk=None) -> tuple[int, float] | None:
    """The most similar other reflection ``(pk, score)`` at or above the threshold, or None.

    Compares against every other reflection (``common.similarity.find_similar``): the texts are
    loaded in one query, which suits a committee's few thousand reflections; beyond tens of
    thousands a shingle index should preselect candidates.
    """
    candidates = ReadingReflection.objects.exclude(pk=exclude_pk).values_list("pk", "text").iterator()
    found = find_similar(text, candidates, threshold=similarity_threshold())
    return (found[0][0], float(found[0][1])) if found else None


def submit_reflection(member, data: dict, *, actor, today: datetime.date | None = None) -> ReadingReflection:
    """A member's reflection on a stage's book; checked for length and for near-duplicates.

    A near-copy of another reflection is saved and flagged (``similar_to``), never refused."""
    today = today or _today()
    stage: Stage | None = data.get("stage")
    book: CampaignBook | None = data.get("book")
    title = (data.get("title") or "").strip()
    text = (data.get("text") or "").strip()
    errors = {}
    if stage is None:
        errors["stage"] = _("活动阶段：请选择。")
    elif stage.campaign.is_archived:
        errors["stage"] = _("活动阶段：该主题活动已归档。")
    elif stage.start_on > today:
        errors["stage"] = _("活动阶段：“%(s)s”自%(d)s开始，尚未开始。") % {
            "s": stage.name,
            "d": stage.start_on.isoformat(),
        }
    if book is None:
        errors["book"] = _("书目：请选择。")
    elif stage is not None and book.stage_id != stage.pk:
        errors["book"] = _("书目：《%(t)s》不是该阶段的书目。") % {"t": book.title}
    if not title:
        errors["title"] = _("标题：不能为空。")
    if stage is not None:
        message = rules.length_error(text, stage.campaign.reflection_min_chars)
        if message:
            errors["text"] = message
    branch = current_branch(member)
    if branch is None:
        errors["__all__"] = _("党员：%(name)s 当前不在任何党支部，不能提交读书心得。") % {"name": member.name}
    elif stage is not None and not branch.path.startswith(stage.campaign.unit.path):
        errors["__all__"] = _("党员：%(name)s 所在支部不在该活动范围内。") % {"name": member.name}
    if errors:
        raise CampaignError(errors)
    similar = similar_reflection(text)
    with transaction.atomic():
        reflection = ReadingReflection.objects.create(
            member=member,
            unit=branch,
            stage=stage,
            book=book,
            title=title[:200],
            text=text,
            submitted_at=timezone.now(),
            similar_to_id=similar[0] if similar else None,
            similarity=round(similar[1], 4) if similar else None,
        )
        data_out = {"chars": rules.counted_chars(text), "book": book.title, "stage": stage.name}
        if similar:
            data_out["similar_to"] = similar[0]
            data_out["similarity"] = round(similar[1], 4)
        log_action(
            "campaigns.reflection.submitted",
            actor=actor,
            obj=reflection,
            unit=branch,
            changes={"title": [None, reflection.title]},
            data=data_out,
        )
        if similar:
            log_action(
                "campaigns.reflection.flagged",
                actor=None,
                obj=reflection,
                unit=branch,
                data={
                    "summary": _("与心得 #%(pk)s 相似度 %(score)s%%")
                    % {"pk": similar[0], "score": round(similar[1] * 100)},
                    "similar_to": similar[0],
                    "similarity": round(similar[1], 4),
                },
            )
    return reflection


def _move(reflection: ReadingReflection, target: str, *, actor, action: str, data: dict | None = None) -> None:
    before = reflection.get_status_display()
    check_move(
        reflection,
        target,
        moves={(frm, to) for frm, targets in rules.REFLECTION_MOVES.items() for to in targets},
        error=CampaignError,
        refused=_("状态：“%(now)s”的心得不能改为“%(to)s”。"),
        field="status",
    )
    reflection.status = target
    ReadingReflection.objects.filter(pk=reflection.pk).update(status=target)
    log_action(
        action,
        actor=actor,
        obj=reflection,
        unit=reflection.unit,
        changes={"status": [before, reflection.get_status_display()]},
        data=data or {},
    )


def comment_reflection(reflection: ReadingReflection, text: str, *, actor) -> ReflectionComment:
    text = (text or "").strip()
    if not text:
        raise CampaignError({"text": _("点评：不能为空。")})
    with transaction.atomic():
        comment = ReflectionComment.objects.create(reflection=reflection, author=actor, text=text)
        if reflection.status == ReflectionStatus.SUBMITTED:
            _move(
                reflection,
                ReflectionStatus.COMMENTED,
                actor=actor,
                action="campaigns.reflection.commented",
                data={"comment": text},
            )
        else:
            log_action(
                "campaigns.reflection.commented",
                actor=actor,
                obj=reflection,
                unit=reflection.unit,
                data={"comment": text},
            )
    return comment


def select_reflection(reflection: ReadingReflection, *, actor) -> ReadingReflection:
    """Choose the reflection for the quarter's reading exchange."""
    with transaction.atomic():
        _move(reflection, ReflectionStatus.SELECTED, actor=actor, action="campaigns.reflection.selected")
    return reflection


def unselect_reflection(reflection: ReadingReflection, *, actor) -> ReadingReflection:
    if reflection.status != ReflectionStatus.SELECTED:
        raise CampaignError({"status": _("状态：该心得未入选交流。")})
    with transaction.atomic():
        _move(reflection, ReflectionStatus.COMMENTED, actor=actor, action="campaigns.reflection.unselected")
    return reflection


def exchange_meetings(unit: Unit):
    """The branch's reading-exchange meetings (not archived), newest first."""
    return (
        Meeting.objects.active()
        .filter(unit=unit, kinds__code=BuiltinKind.READING_EXCHANGE)
        .distinct()
        .order_by("-date", "-id")
    )


def link_reflections(meeting: Meeting, reflections: Iterable[ReadingReflection], *, actor) -> list[int]:
    """The reflections discussed at ``meeting`` (a reading exchange of their branch) become
    exactly ``reflections``. Returns the linked ids."""
    reflections = list(reflections)
    if meeting.is_archived:
        raise CampaignError({"meeting": _("交流会：该会议记录已归档。")})
    if not meeting.kinds.filter(code=BuiltinKind.READING_EXCHANGE).exists():
        raise CampaignError({"meeting": _("交流会：“%(t)s”不是读书心得交流会。") % {"t": meeting.topic}})
    others = [r for r in reflections if r.unit_id != meeting.unit_id]
    if others:
        raise CampaignError(
            {"reflections": _("心得：“%(t)s”不是本支部的心得。") % {"t": "、".join(r.title for r in others)}}
        )
    before = set(meeting.reading_reflections.values_list("pk", flat=True))
    after = {r.pk for r in reflections}
    with transaction.atomic():
        through = ReadingReflection.meetings.through
        through.objects.filter(meeting_id=meeting.pk).exclude(readingreflection_id__in=after).delete()
        through.objects.bulk_create(
            [through(meeting_id=meeting.pk, readingreflection_id=pk) for pk in sorted(after - before)]
        )
        if before != after:
            log_action(
                "campaigns.reflection.linked",
                actor=actor,
                obj=meeting,
                unit=meeting.unit,
                data={
                    "summary": _("交流会“%(t)s”关联心得 %(n)s 篇") % {"t": meeting.topic, "n": len(after)},
                    "added": sorted(after - before),
                    "removed": sorted(before - after),
                },
            )
    return sorted(after)


# ---------------------------------------------------------------------------------------------
# Materials library


def _topics(data: dict) -> list[str]:
    topics = [t for t in data.get("topics") or () if t]
    bad = [t for t in topics if t not in Topic.values]
    if bad or not topics:
        raise CampaignError(
            {"topics": _("主题：请至少选择一项（党章、支部工作条例、发展党员工作细则、廉政教育、典型案例、其他）。")}
        )
    return sorted(set(topics), key=Topic.values.index)


def upload_material(data: dict, uploaded_file, *, actor) -> Material:
    title = (data.get("title") or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("标题：不能为空。")
    try:
        topics = _topics(data)
    except CampaignError as exc:
        errors.update(exc.errors)
    if errors:
        raise CampaignError(errors)
    blob, original, filetype, content_type = _checked_file(uploaded_file, _("文件"), MATERIAL_TYPES)
    material = Material(
        title=title[:200],
        description=(data.get("description") or "").strip(),
        stage=data.get("stage"),
        original_name=original,
        content_type=content_type,
        size=len(blob),
        sha256=hashlib.sha256(blob).hexdigest(),
        text=extract_text(blob, filetype),
        uploaded_by=_actor(actor),
    )
    with transaction.atomic():
        material.file.save(storage_name(filetype), ContentFile(blob), save=False)
        material.save()
        MaterialTopic.objects.bulk_create([MaterialTopic(material=material, topic=t) for t in topics])
        log_action(
            "campaigns.material.created",
            actor=actor,
            obj=material,
            changes={"title": [None, material.title], "topics": [None, [str(Topic(t).label) for t in topics]]},
            data={"name": original, "size": material.size, "sha256": material.sha256, "chars": len(material.text)},
        )
    return material


def update_material(material: Material, data: dict, *, actor, expected_version: int) -> Material:
    if material.is_archived:
        raise CampaignError({"__all__": _("该资料已归档，请先恢复再修改。")})
    before = snapshot(material, MATERIAL_FIELDS)
    topics_before = material.topic_labels()
    clean = _clean(data, MATERIAL_FIELDS, {k: getattr(material, k) for k in MATERIAL_FIELDS})
    errors = {}
    if not clean.get("title"):
        errors["title"] = _("标题：不能为空。")
    try:
        topics = _topics(data)
    except CampaignError as exc:
        errors.update(exc.errors)
    if errors:
        raise CampaignError(errors)
    for k, v in clean.items():
        setattr(material, k, v)
    with transaction.atomic():
        save_with_version(material, expected_version, MATERIAL_FIELDS)
        MaterialTopic.objects.filter(material=material).exclude(topic__in=topics).delete()
        existing = set(MaterialTopic.objects.filter(material=material).values_list("topic", flat=True))
        MaterialTopic.objects.bulk_create(
            [MaterialTopic(material=material, topic=t) for t in topics if t not in existing]
        )
        changes = diff(before, snapshot(material, MATERIAL_FIELDS))
        topics_after = [str(Topic(t).label) for t in topics]
        if topics_after != topics_before:
            changes["topics"] = [topics_before, topics_after]
        if changes:
            log_action("campaigns.material.changed", actor=actor, obj=material, changes=changes)
    return material


def archive_material(material: Material, *, actor) -> Material:
    return set_archived(
        material,
        True,
        actor=actor,
        action="campaigns.material.archived",
        error=CampaignError,
        already=_("该资料已归档。"),
    )


def restore_material(material: Material, *, actor) -> Material:
    return set_archived(
        material,
        False,
        actor=actor,
        action="campaigns.material.restored",
        error=CampaignError,
        already=_("该资料未归档，无需恢复。"),
    )


def mark_material_read(material: Material, *, actor) -> tuple[MaterialRead, bool]:
    """The user's read mark (one per user); marking twice changes nothing."""
    existing = MaterialRead.objects.filter(material=material, user=actor).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = MaterialRead.objects.create(material=material, user=actor)
        except IntegrityError:
            return MaterialRead.objects.get(material=material, user=actor), False
        log_action("campaigns.material.read", actor=actor, obj=material)
    return row, True
