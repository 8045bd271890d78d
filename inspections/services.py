"""Every change to inspections, draws and findings goes through these functions.

Each checks its preconditions (refusing with ``InspectionError`` whose ``errors`` map form fields
to Chinese messages), runs in one transaction, writes the audit entry and returns the object.
The random draw itself is ``inspections.rules.draw``; here we gather its inputs from the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from common.audit import log_action, snapshot
from common.concurrency import save_with_version, update_with_version
from common.errors import DomainError
from inspections import rules, sources
from inspections.models import (
    Finding,
    Inspection,
    InspectionKind,
    InspectionStatus,
    RecordType,
    Severity,
    SpotCheckDraw,
)
from integrity.services import branch_risk_scores
from meetings.models import Meeting
from organizations.models import Unit, UnitKind
from rectification.models import Rectification
from rectification.services import open_item

INSPECTION_FIELDS = ["title", "kind", "planned_start", "planned_end", "whole_committee", "notes"]
FINDING_FIELDS = ["unit", "meeting", "text", "severity"]
INSPECTOR_ROLES = (Role.INSPECTOR, Role.COMMITTEE_STAFF)
MAX_BRANCHES = 100
MAX_RECORDS = 50


class InspectionError(DomainError):
    """A change the rules refuse. ``errors`` maps field names ("__all__" for the whole) to messages."""


# ---------------------------------------------------------------------------------------------
# What inspections uses of integrity and rectification, behind functions that a test can replace
# with one answering None (the pages then offer no weighted draw, no raising of items).


def risk_function():
    """``integrity.services.branch_risk_scores``."""
    return branch_risk_scores


def open_item_function():
    """``rectification.services.open_item``."""
    return open_item


def rectification_model():
    return Rectification


# ---------------------------------------------------------------------------------------------
# Inspections


def inspector_candidates(committee: Unit):
    """Users holding the inspector or committee-staff role on ``committee`` or above it."""
    User = get_user_model()
    grants = RoleGrant.objects.active().filter(role__in=INSPECTOR_ROLES, unit__path__in=_ancestor_paths(committee))
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("username")


def _ancestor_paths(unit: Unit) -> list[str]:
    return unit.ancestor_paths()


def branches_under(committee: Unit):
    """Active branches in ``committee``'s subtree."""
    return Unit.objects.active().branches().filter(path__startswith=committee.path).order_by("path")


def _clean_inspection(committee: Unit, data: dict) -> tuple[dict, list, list[Unit]]:
    errors = {}
    clean = {k: data.get(k) for k in INSPECTION_FIELDS}
    clean["title"] = (clean["title"] or "").strip()
    clean["notes"] = (clean["notes"] or "").strip()
    clean["whole_committee"] = bool(clean["whole_committee"])
    if not clean["title"]:
        errors["title"] = _("督查名称：请填写。")
    if clean["kind"] not in InspectionKind.values:
        errors["kind"] = _("督查方式：请选择实地指导、随机抽查或调研访谈。")
    start, end = clean["planned_start"], clean["planned_end"]
    if not start:
        errors["planned_start"] = _("计划开始日期：请填写。")
    if not end:
        errors["planned_end"] = _("计划结束日期：请填写。")
    if start and end and end < start:
        errors["planned_end"] = _("计划结束日期：不能早于开始日期。")
    inspectors = list(data.get("inspectors") or [])
    allowed = set(inspector_candidates(committee).values_list("pk", flat=True))
    if not inspectors:
        errors["inspectors"] = _("督查人员：请至少选择一人。")
    elif any(u.pk not in allowed for u in inspectors):
        errors["inspectors"] = _("督查人员：只能选择本机关党委的督查人员或党委工作人员。")
    branches = list(data.get("branches") or [])
    if clean["whole_committee"]:
        branches = []
    elif not branches:
        errors["branches"] = _("督查党支部：请选择党支部，或勾选“全体党支部”。")
    elif any(b.kind != UnitKind.BRANCH or not b.path.startswith(committee.path) for b in branches):
        errors["branches"] = _("督查党支部：只能选择%(name)s所属的党支部。") % {"name": committee.name}
    if errors:
        raise InspectionError(errors)
    return clean, inspectors, branches


def _people(users) -> list[str]:
    return sorted((u.get_full_name() or u.get_username()) for u in users)


def _scope_text(inspection: Inspection, branches: Iterable[Unit]) -> str:
    if inspection.whole_committee:
        return _("%(name)s全体党支部") % {"name": inspection.committee.name}
    return "、".join(b.name for b in sorted(branches, key=lambda b: b.path))


@transaction.atomic
def create_inspection(committee: Unit, data: dict, *, actor) -> Inspection:
    """Plan an inspection of ``committee``'s branches (all, or those named in ``data``)."""
    if committee.kind not in (UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH):
        raise InspectionError({"committee": _("组织单位：请选择机关党委或党总支。")})
    clean, inspectors, branches = _clean_inspection(committee, data)
    inspection = Inspection.objects.create(committee=committee, created_by=actor, **clean)
    inspection.inspectors.set(inspectors)
    inspection.branches.set(branches)
    log_action(
        "inspections.inspection.created",
        actor=actor,
        obj=inspection,
        unit=committee,
        data={
            "kind": inspection.get_kind_display(),
            "planned": [clean["planned_start"], clean["planned_end"]],
            "scope": _scope_text(inspection, branches),
            "inspectors": _people(inspectors),
        },
    )
    return inspection


def update_inspection(inspection: Inspection, data: dict, *, actor, expected_version: int) -> Inspection:
    """Change a plan; a reported inspection is closed. A stale form raises ``StaleEditError``."""
    if inspection.is_reported:
        raise InspectionError({"__all__": _("该督查已形成报告，不能再修改。")})
    clean, inspectors, branches = _clean_inspection(inspection.committee, data)
    before = snapshot(inspection, INSPECTION_FIELDS)
    inspectors_before = _people(inspection.inspectors.all())
    branches_before = _scope_text(inspection, inspection.branches.all())
    for name, value in clean.items():
        setattr(inspection, name, value)
    after = snapshot(inspection, INSPECTION_FIELDS)
    changes = {k: [before[k], after[k]] for k in INSPECTION_FIELDS if before[k] != after[k]}
    if _people(inspectors) != inspectors_before:
        changes["inspectors"] = [inspectors_before, _people(inspectors)]
    branches_after = _scope_text(inspection, branches)
    if branches_after != branches_before:
        changes["branches"] = [branches_before, branches_after]
    with transaction.atomic():
        save_with_version(inspection, expected_version, INSPECTION_FIELDS)
        inspection.inspectors.set(inspectors)
        inspection.branches.set(branches)
        log_action(
            "inspections.inspection.changed",
            actor=actor,
            obj=inspection,
            unit=inspection.committee,
            changes=changes,
        )
    return inspection


@transaction.atomic
def advance_inspection(inspection: Inspection, *, actor) -> Inspection:
    """Move planned → in progress → reported (the only moves; ``rules.NEXT_STATUS``)."""
    target = rules.next_status(inspection.status)
    if target is None:
        raise InspectionError({"status": _("状态：该督查已形成报告，没有下一步。")})
    before = inspection.get_status_display()
    updated = Inspection.objects.filter(pk=inspection.pk, status=inspection.status).update(
        status=target, updated_at=timezone.now()
    )
    if not updated:
        raise InspectionError({"status": _("状态：该督查的状态已被他人更改，请刷新后再试。")})
    inspection.status = target
    action = "started" if target == InspectionStatus.IN_PROGRESS else "reported"
    log_action(
        f"inspections.inspection.{action}",
        actor=actor,
        obj=inspection,
        unit=inspection.committee,
        changes={"status": [before, inspection.get_status_display()]},
    )
    return inspection


# ---------------------------------------------------------------------------------------------
# Random draw


def draw_units(inspection: Inspection, start: datetime.date, end: datetime.date) -> list[Unit]:
    """The inspection's branches that existed at some time in [start, end], by id."""
    if inspection.whole_committee:
        qs = Unit.objects.branches().filter(path__startswith=inspection.committee.path)
    else:
        qs = inspection.branches.filter(kind=UnitKind.BRANCH)
    qs = qs.filter(archived_at__isnull=True).existing_during(start, end)
    return list(qs.order_by("id"))


def gather_candidates(
    inspection: Inspection, record_type: str, start: datetime.date, end: datetime.date, *, weighted: bool
) -> dict:
    """The draw's candidates from today's data: branches, their records and (if weighted) weights."""
    units = draw_units(inspection, start, end)
    records = sources.source_for(record_type).candidates(units, start, end)
    out = {
        "units": [u.pk for u in units],
        "weights": None,
        "risk": {},
        "records": {str(k): [list(r) for r in v] for k, v in records.items()},
    }
    if weighted:
        scores = risk_function()
        if scores is None:
            raise InspectionError({"weighted": _("按风险加权：风险评分尚不可用，请取消勾选。")})
        found = scores(units, start=start, end=end) if units else {}
        risk = {u.pk: found.get(u.pk, (0.0, [])) for u in units}
        out["risk"] = {str(k): [float(s), list(r)] for k, (s, r) in risk.items()}
        out["weights"] = {str(k): rules.risk_weight(s) for k, (s, _r) in risk.items()}
    return out


def compute_sample(seed: int, candidates: dict, *, n_units: int, per_unit: int) -> rules.Sample:
    weights = candidates.get("weights")
    return rules.draw(
        seed,
        candidates.get("units", []),
        {int(k): v for k, v in (candidates.get("records") or {}).items()},
        n_units=n_units,
        per_unit=per_unit,
        weights={int(k): float(v) for k, v in weights.items()} if weights is not None else None,
    )


def _clean_draw(inspection: Inspection, data: dict) -> dict:
    errors = {}
    record_type = data.get("record_type")
    start, end = data.get("period_start"), data.get("period_end")
    n, m = data.get("branch_count"), data.get("records_per_branch")
    if record_type not in RecordType.values:
        errors["record_type"] = _("抽查记录类型：请选择。")
    if not start:
        errors["period_start"] = _("抽查期间起：请填写。")
    if not end:
        errors["period_end"] = _("抽查期间止：请填写。")
    if start and end and end < start:
        errors["period_end"] = _("抽查期间止：不能早于起始日期。")
    if not isinstance(n, int) or not 1 <= n <= MAX_BRANCHES:
        errors["branch_count"] = _("抽取党支部数：请填写 1 至 %(max)d 之间的整数。") % {"max": MAX_BRANCHES}
    if not isinstance(m, int) or not 1 <= m <= MAX_RECORDS:
        errors["records_per_branch"] = _("每个党支部抽取记录数：请填写 1 至 %(max)d 之间的整数。") % {
            "max": MAX_RECORDS
        }
    seed = data.get("seed")
    if seed in (None, ""):
        seed = rules.new_seed()
    else:
        try:
            seed = rules.parse_seed(seed)
        except ValueError:
            errors["seed"] = _("随机种子：请填写 0 至 18446744073709551615 之间的整数，或留空自动生成。")
    if inspection.is_reported:
        errors["__all__"] = _("该督查已形成报告，不能再抽样。")
    if errors:
        raise InspectionError(errors)
    return {
        "record_type": record_type,
        "period_start": start,
        "period_end": end,
        "branch_count": n,
        "records_per_branch": m,
        "weighted": bool(data.get("weighted")),
        "seed": seed,
    }


def draw_spot_check(inspection: Inspection, data: dict, *, actor) -> SpotCheckDraw:
    """Draw N branches and M records per branch; store the seed, inputs, candidates and sample."""
    clean = _clean_draw(inspection, data)
    candidates = gather_candidates(
        inspection, clean["record_type"], clean["period_start"], clean["period_end"], weighted=clean["weighted"]
    )
    if not candidates["units"]:
        raise InspectionError({"__all__": _("抽查期间内督查范围中没有党支部，无法抽样。")})
    sample = compute_sample(
        clean["seed"], candidates, n_units=clean["branch_count"], per_unit=clean["records_per_branch"]
    )
    with transaction.atomic():
        draw = SpotCheckDraw.objects.create(
            inspection=inspection,
            record_type=clean["record_type"],
            period_start=clean["period_start"],
            period_end=clean["period_end"],
            branch_count=clean["branch_count"],
            records_per_branch=clean["records_per_branch"],
            weighted=clean["weighted"],
            seed=str(clean["seed"]),
            candidates=candidates,
            sample=sample.as_json(),
            created_by=actor,
        )
        log_action(
            "inspections.draw.created",
            actor=actor,
            obj=draw,
            unit=inspection.committee,
            data={
                "inspection": inspection.pk,
                "seed": draw.seed,
                "inputs": draw_inputs(draw),
                "sample": draw.sample,
            },
        )
    return draw


def draw_inputs(draw: SpotCheckDraw) -> dict:
    return {
        "record_type": draw.record_type,
        "period_start": draw.period_start.isoformat(),
        "period_end": draw.period_end.isoformat(),
        "branch_count": draw.branch_count,
        "records_per_branch": draw.records_per_branch,
        "weighted": draw.weighted,
    }


def _diff_notes(diff: rules.CandidateDiff, names: dict[int, str]) -> list[str]:
    def name(pk):
        return names.get(pk, _("编号%(pk)s") % {"pk": pk})

    notes = []
    for pk in diff.units_added:
        notes.append(_("新增候选党支部：%(name)s") % {"name": name(pk)})
    for pk in diff.units_removed:
        notes.append(_("候选党支部已不在范围内（撤销、归档或调整督查范围）：%(name)s") % {"name": name(pk)})
    for pk in diff.weights_changed:
        notes.append(_("风险权重已变化：%(name)s") % {"name": name(pk)})
    for pk, ids in diff.records_added.items():
        notes.append(_("%(name)s新增或改期的记录 %(n)d 条") % {"name": name(pk), "n": len(ids)})
    for pk, ids in diff.records_removed.items():
        notes.append(_("%(name)s删除、归档或改期的记录 %(n)d 条") % {"name": name(pk), "n": len(ids)})
    return notes


def repeat_draw(draw: SpotCheckDraw, *, actor) -> SpotCheckDraw:
    """Recompute the draw from its stored seed and inputs over today's data; record the outcome.

    Two checks: the stored candidates give the stored sample again (the method), and today's data
    gives the same sample (the data). The sample differs only where the data changed; the notes
    say which branches and records changed.
    """
    stored = rules.Sample.from_json(draw.sample)
    n, m = draw.branch_count, draw.records_per_branch
    method_ok = compute_sample(draw.seed_value, draw.candidates, n_units=n, per_unit=m) == stored
    try:
        current = gather_candidates(
            draw.inspection, draw.record_type, draw.period_start, draw.period_end, weighted=draw.weighted
        )
    except InspectionError as exc:
        current = None
        notes = list(exc.errors.values())
        sample_now = None
    else:
        sample_now = compute_sample(draw.seed_value, current, n_units=n, per_unit=m) if current["units"] else None
        diff = rules.candidate_diff(draw.candidates, current)
        ids = set(diff.units_added) | set(diff.units_removed) | set(diff.weights_changed)
        ids |= set(diff.records_added) | set(diff.records_removed)
        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
        notes = _diff_notes(diff, names)
    identical = bool(method_ok and sample_now is not None and sample_now == stored)
    result = {
        "method_identical": method_ok,
        "sample": sample_now.as_json() if sample_now is not None else None,
        "notes": notes,
    }
    with transaction.atomic():
        draw.repeated_at = timezone.now()
        draw.repeated_by = actor
        draw.repeat_identical = identical
        draw.repeat_result = result
        draw.save(update_fields=["repeated_at", "repeated_by", "repeat_identical", "repeat_result"])
        log_action(
            "inspections.draw.repeated",
            actor=actor,
            obj=draw,
            unit=draw.inspection.committee,
            data={"seed": draw.seed, "identical": identical, "method_identical": method_ok, "notes": notes},
        )
    return draw


def sample_rows(draw: SpotCheckDraw, sample_json=None) -> list[dict]:
    """The sample for display: ``[{"unit": Unit, "records": [(id, record or None)], "risk": ...}]``."""
    sample = rules.Sample.from_json(draw.sample if sample_json is None else sample_json)
    units = Unit.objects.in_bulk(sample.unit_ids)
    source = sources.source_for(draw.record_type)
    records = source.fetch(pk for _u, ids in sample.rows for pk in ids)
    risk = draw.candidates.get("risk") or {}
    counts = {int(k): len(v) for k, v in (draw.candidates.get("records") or {}).items()}
    rows = []
    for unit_id, ids in sample.rows:
        score = risk.get(str(unit_id))
        rows.append(
            {
                "unit": units.get(unit_id),
                "unit_id": unit_id,
                "candidates": counts.get(unit_id, 0),
                "risk": score,
                "records": [
                    {
                        "id": pk,
                        "record": records.get(pk),
                        "text": source.describe(records[pk]) if pk in records else _("（记录已不存在）"),
                        "url": source.url(records[pk]) if pk in records else "",
                    }
                    for pk in ids
                ],
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Findings


def inspection_branches(inspection: Inspection):
    if inspection.whole_committee:
        return branches_under(inspection.committee)
    return inspection.branches.filter(archived_at__isnull=True, kind=UnitKind.BRANCH).order_by("path")


def _clean_finding(inspection: Inspection, data: dict) -> dict:
    errors = {}
    unit, meeting = data.get("unit"), data.get("meeting")
    text = (data.get("text") or "").strip()
    severity = data.get("severity") or Severity.GENERAL
    if unit is None:
        errors["unit"] = _("党支部：请选择。")
    elif not inspection_branches(inspection).filter(pk=unit.pk).exists():
        errors["unit"] = _("党支部：只能选择本次督查范围内的党支部。")
    if meeting is not None and unit is not None and not meeting.unit.path.startswith(unit.path):
        errors["meeting"] = _("涉及记录：该记录不属于所选党支部。")
    if not text:
        errors["text"] = _("问题描述：请填写。")
    if severity not in Severity.values:
        errors["severity"] = _("严重程度：请选择一般、较重或严重。")
    if inspection.is_reported:
        errors["__all__"] = _("该督查已形成报告，不能再记录或修改问题。")
    if errors:
        raise InspectionError(errors)
    return {"unit": unit, "meeting": meeting, "text": text, "severity": severity}


@transaction.atomic
def add_finding(inspection: Inspection, data: dict, *, actor) -> Finding:
    clean = _clean_finding(inspection, data)
    finding = Finding.objects.create(inspection=inspection, created_by=actor, **clean)
    log_action(
        "inspections.finding.created",
        actor=actor,
        obj=finding,
        unit=finding.unit,
        data={"inspection": inspection.pk, **snapshot(finding, FINDING_FIELDS)},
    )
    return finding


def update_finding(finding: Finding, data: dict, *, actor, expected_version: int) -> Finding:
    clean = _clean_finding(finding.inspection, data)
    with transaction.atomic():
        changes = update_with_version(finding, clean, FINDING_FIELDS, expected_version)
        log_action("inspections.finding.changed", actor=actor, obj=finding, unit=finding.unit, changes=changes)
    return finding


def items_by_finding(finding_ids: Iterable[int]) -> dict[int, list]:
    """Rectification items raised from each finding (one query), ``{finding id: [item...]}``."""
    model = rectification_model()
    ids = list(finding_ids)
    out: dict[int, list] = {pk: [] for pk in ids}
    if model is None or not ids:
        return out
    ct = ContentType.objects.get_for_model(Finding)
    for item in model.objects.filter(content_type=ct, object_id__in=ids).select_related("responsible").order_by("id"):
        out.setdefault(item.object_id, []).append(item)
    return out


def raise_item(finding: Finding, data: dict, *, actor):
    """Open a rectification item for ``finding`` (source 督查, origin the finding).

    Submitting the same problem twice for one finding opens nothing new: the existing item is
    returned, so a double click or a resent form never duplicates the item.
    """
    open_item = open_item_function()
    if open_item is None:
        raise InspectionError({"__all__": _("整改台账尚不可用，暂不能转为整改事项。")})
    problem = (data.get("problem") or "").strip()
    if not problem:
        raise InspectionError({"problem": _("问题：请填写。")})
    responsible = data.get("responsible")
    deadline = data.get("deadline")
    if deadline is not None and deadline < finding.inspection.planned_start:
        raise InspectionError({"deadline": _("整改期限：不能早于督查开始日期。")})
    with transaction.atomic():
        existing = [i for i in items_by_finding([finding.pk])[finding.pk] if i.problem.strip() == problem]
        if existing:
            return existing[0]
        try:
            item = open_item(
                unit=finding.unit,
                source="inspection",
                problem=problem,
                actor=actor,
                measure=(data.get("measure") or "").strip(),
                responsible=responsible,
                deadline=deadline,
                origin=finding,
                category=data.get("category") or "",
            )
        except ValueError as exc:
            # rectification's own refusal (RectificationError) names the field the same way.
            raise InspectionError(getattr(exc, "errors", None) or {"__all__": str(exc)}) from exc
        log_action(
            "inspections.finding.raised",
            actor=actor,
            obj=finding,
            unit=finding.unit,
            data={"item": item.pk, "problem": problem, "deadline": deadline},
        )
    return item


# ---------------------------------------------------------------------------------------------
# Report


def export_report(inspection: Inspection, *, actor) -> bytes:
    """The inspection report (督查报告) as .docx, with the exporter and time in the footer."""
    from inspections import report

    content, summary = report.build_report(inspection, export=report.export_by(actor))
    with transaction.atomic():
        log_action(
            "inspections.report.exported",
            actor=actor,
            obj=inspection,
            unit=inspection.committee,
            data=summary,
        )
    return content


def meetings_of(unit: Unit, *, start=None, end=None):
    """Meetings of a branch and its groups, newest first (the finding form's record choices)."""
    qs = Meeting.objects.active().filter(unit__path__startswith=unit.path)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.order_by("-date", "-id")
