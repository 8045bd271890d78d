"""Inspection pages: list, plan (create/edit/advance), detail, random draw (form, detail, repeat),
findings (add/edit, raise a rectification item) and the report download.

Every object is fetched through ``inspections.permissions``: outside the user's scope answers 404,
an action the role may not do answers 403. Secretaries and committee members read the inspections
concerning their branch and only their branch's findings and sample rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import attachment_header
from common.models import AuditEntry
from common.submission import run_action, submit_form
from inspections import permissions, report, services
from inspections.forms import CommitteePickForm, DrawForm, FindingForm, InspectionForm, RaiseItemForm
from inspections.models import Finding, Inspection, InspectionStatus, SpotCheckDraw
from inspections.permissions import can, get_visible_or_404, visible
from reports.docx import DOCX_CONTENT_TYPE

DETAIL = "inspections:inspection.detail"
TABS = [("overview", gettext_lazy("督查情况")), ("history", gettext_lazy("变更记录"))]
ADVANCE_LABELS = {
    InspectionStatus.PLANNED: gettext_lazy("开始实施"),
    InspectionStatus.IN_PROGRESS: gettext_lazy("标记为已报告"),
}


def _get_inspection(request, pk, action: str | None = None) -> Inspection:
    qs = Inspection.objects.select_related("committee", "created_by")
    inspection = get_visible_or_404(request.user, qs, pk=pk)
    if action is not None and not can(request.user, action, inspection):
        raise PermissionDenied
    return inspection


def _refuse_reported(request, inspection: Inspection, message: str):
    """Once reported an inspection is closed: say ``message`` and go back to it."""
    if inspection.is_reported:
        messages.error(request, message)
        return redirect(DETAIL, pk=inspection.pk)
    return None


# ---------------------------------------------------------------------------------------------
# Inspections


@never_cache
@require_GET
def inspection_list(request):
    user = request.user
    if not permissions.reads_any(user):
        # Members, group leaders and 三员 administrators have no inspections to read.
        raise Http404
    qs = visible(user, Inspection.objects.all())
    status = request.GET.get("status", "")
    if status in InspectionStatus.values:
        qs = qs.filter(status=status)
    inspections = (
        qs.select_related("committee")
        .prefetch_related("inspectors", "branches")
        .annotate(finding_count=Count("findings", distinct=True), draw_count=Count("draws", distinct=True))
        .order_by("-planned_start", "-id")
    )
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "inspections": inspections,
            "status": status,
            "statuses": InspectionStatus.choices,
            "can_create": can(user, "create"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    user = request.user
    if not can(user, "create"):
        raise PermissionDenied
    committees = permissions.committees_to_plan(user)
    pick = CommitteePickForm(request.GET or None, committees=committees)
    committee = pick.cleaned_data["committee"] if pick.is_bound and pick.is_valid() else committees.first()
    if committee is None:
        raise PermissionDenied
    outcome = submit_form(
        request,
        InspectionForm(request.POST or None, committee=committee),
        lambda form: services.create_inspection(committee, form.data_for_service(), actor=user),
        done=lambda inspection: _("已新建督查“%(title)s”。") % {"title": inspection.title},
        then=DETAIL,
    )
    return outcome.render(
        request,
        "inspections/inspection_form.html",
        {"committee": committee, "pick": pick if committees.count() > 1 else None, "creating": True},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk):
    inspection = _get_inspection(request, pk, "edit")
    if refused := _refuse_reported(request, inspection, _("该督查已形成报告，不能再修改。")):
        return refused
    outcome = submit_form(
        request,
        InspectionForm(request.POST or None, committee=inspection.committee, inspection=inspection),
        lambda form: services.update_inspection(
            inspection, form.data_for_service(), actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=lambda _saved: _("已保存督查“%(title)s”。") % {"title": inspection.title},
        then=lambda _saved: (DETAIL, inspection.pk),
        rebind=lambda data, current: InspectionForm(data, committee=inspection.committee, inspection=current),
    )
    return outcome.render(
        request,
        "inspections/inspection_form.html",
        {"committee": inspection.committee, "inspection": inspection, "creating": False},
    )


@never_cache
@require_POST
def inspection_advance(request, pk):
    inspection = _get_inspection(request, pk, "advance")
    return run_action(request, inspection, services.advance_inspection, done=_advanced, then=DETAIL)


def _advanced(inspection) -> str:
    return _("督查“%(title)s”已更新为%(status)s。") % {
        "title": inspection.title,
        "status": inspection.get_status_display(),
    }


@never_cache
@require_GET
def inspection_detail(request, pk):
    inspection = _get_inspection(request, pk, "view")
    user = request.user
    tab = request.GET.get("tab", "overview")
    if tab not in dict(TABS):
        tab = "overview"
    manages = permissions.manages(user, inspection)
    ctx = {
        "inspection": inspection,
        "tab": tab,
        "tabs": TABS,
        "manages": manages,
        "open": manages and not inspection.is_reported,
        "advance_label": ADVANCE_LABELS.get(inspection.status),
        "inspectors": list(inspection.inspectors.all()),
        "branches": list(services.inspection_branches(inspection)),
    }
    if tab == "history":
        ctx["entries"] = AuditEntry.objects.for_object(inspection).select_related("actor", "content_type")
        return render(request, "inspections/inspection_detail.html", ctx)
    findings = list(
        permissions.visible_findings(user, inspection).select_related("unit", "meeting").order_by("unit__path", "id")
    )
    items = services.items_by_finding(f.pk for f in findings)
    groups: dict = {}
    for f in findings:
        f.items = items.get(f.pk, [])
        groups.setdefault(f.unit, []).append(f)
    ctx.update(
        {
            "draws": list(inspection.draws.select_related("created_by").order_by("created_at", "id")),
            "finding_groups": list(groups.items()),
            "finding_count": len(findings),
            "can_raise": manages and services.open_item_function() is not None,
        }
    )
    return render(request, "inspections/inspection_detail.html", ctx)


# ---------------------------------------------------------------------------------------------
# Draws


@never_cache
@require_http_methods(["GET", "POST"])
def draw_create(request, pk):
    inspection = _get_inspection(request, pk, "draw")
    if refused := _refuse_reported(request, inspection, _("该督查已形成报告，不能再抽样。")):
        return refused
    risk_available = services.risk_function() is not None
    if request.method == "POST":
        form = DrawForm(request.POST, risk_available=risk_available)
        outcome = submit_form(
            request,
            form,
            lambda form: services.draw_spot_check(inspection, form.cleaned_data, actor=request.user),
            done=lambda draw: _("已完成随机抽样，随机种子 %(seed)s。") % {"seed": draw.seed},
            then="inspections:draw.detail",
        )
        if outcome.response:
            return outcome.response
    else:
        form = DrawForm(initial=DrawForm.default_initial(inspection), risk_available=risk_available)
    return render(
        request,
        "inspections/draw_form.html",
        {"form": form, "inspection": inspection, "risk_available": risk_available},
    )


def _get_draw(request, pk, action: str) -> SpotCheckDraw:
    draw = get_object_or_404(SpotCheckDraw.objects.select_related("created_by", "repeated_by"), pk=pk)
    draw.inspection = _get_inspection(request, draw.inspection_id, action)
    return draw


def _visible_rows(user, draw, rows):
    if permissions.manages(user, draw.inspection):
        return rows
    return [r for r in rows if r["unit"] is not None and permissions.sees_unit(user, draw.inspection, r["unit"])]


@never_cache
@require_GET
def draw_detail(request, pk):
    draw = _get_draw(request, pk, "view")
    user = request.user
    manages = permissions.manages(user, draw.inspection)
    rows = _visible_rows(user, draw, services.sample_rows(draw))
    repeat_rows = None
    result = draw.repeat_result or {}
    if draw.repeated_at and not draw.repeat_identical and result.get("sample") is not None:
        repeat_rows = _visible_rows(user, draw, services.sample_rows(draw, result["sample"]))
    candidates = draw.candidates or {}
    return render(
        request,
        "inspections/draw_detail.html",
        {
            "draw": draw,
            "inspection": draw.inspection,
            "rows": rows,
            "repeat_rows": repeat_rows,
            "repeat_notes": result.get("notes") or [],
            "method_identical": result.get("method_identical"),
            "manages": manages,
            "can_repeat": can(user, "repeat", draw.inspection),
            "can_find": manages and not draw.inspection.is_reported,
            "candidate_units": len(candidates.get("units", [])),
            "candidate_records": sum(len(v) for v in (candidates.get("records") or {}).values()),
            "fewer_units": len(rows) < draw.branch_count and manages,
        },
    )


@never_cache
@require_POST
def draw_repeat(request, pk):
    draw = _get_draw(request, pk, "repeat")
    services.repeat_draw(draw, actor=request.user)
    if draw.repeat_identical:
        messages.success(request, _("重复抽样完成：样本与原抽样完全一致。"))
    else:
        messages.warning(request, _("重复抽样完成：样本与原抽样不一致，原因见下方说明（只有数据变化才会导致不一致）。"))
    return redirect("inspections:draw.detail", pk=draw.pk)


# ---------------------------------------------------------------------------------------------
# Findings


def _get_finding(request, pk, action: str) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("unit", "meeting"), pk=pk)
    inspection = _get_inspection(request, finding.inspection_id)
    finding.inspection = inspection
    if not can(request.user, "view", finding):
        raise Http404
    if not can(request.user, action, finding):
        raise PermissionDenied
    return finding


@never_cache
@require_http_methods(["GET", "POST"])
def finding_create(request, pk):
    inspection = _get_inspection(request, pk, "finding.add")
    if refused := _refuse_reported(request, inspection, _("该督查已形成报告，不能再记录问题。")):
        return refused
    if request.method == "POST":
        form = FindingForm(request.POST, inspection=inspection)
    else:
        initial = {k: request.GET.get(k) for k in ("unit", "meeting") if request.GET.get(k, "").isdigit()}
        form = FindingForm(initial=initial, inspection=inspection)
    outcome = submit_form(
        request,
        form,
        lambda form: services.add_finding(inspection, form.data_for_service(), actor=request.user),
        done=_("已记录问题。"),
        then=lambda _finding: (DETAIL, inspection.pk),
    )
    return outcome.render(request, "inspections/finding_form.html", {"inspection": inspection, "creating": True})


@never_cache
@require_http_methods(["GET", "POST"])
def finding_edit(request, pk):
    finding = _get_finding(request, pk, "finding.edit")
    inspection = finding.inspection
    if refused := _refuse_reported(request, inspection, _("该督查已形成报告，不能再修改问题。")):
        return refused
    outcome = submit_form(
        request,
        FindingForm(request.POST or None, inspection=inspection, finding=finding),
        lambda form: services.update_finding(
            finding, form.data_for_service(), actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("已保存问题。"),
        then=lambda _saved: (DETAIL, inspection.pk),
        rebind=lambda data, current: FindingForm(data, inspection=inspection, finding=current),
    )
    return outcome.render(
        request, "inspections/finding_form.html", {"inspection": inspection, "finding": finding, "creating": False}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def finding_raise(request, pk):
    finding = _get_finding(request, pk, "item.raise")
    available = services.open_item_function() is not None
    if request.method == "POST" and not available:
        messages.error(request, _("整改台账尚不可用，暂不能转为整改事项。"))
        return redirect(DETAIL, pk=finding.inspection_id)
    form = RaiseItemForm(request.POST or None, finding=finding)
    outcome = submit_form(
        request,
        form,
        lambda form: services.raise_item(finding, form.cleaned_data, actor=request.user),
        done=lambda item: _("已转为整改事项（编号 %(pk)s）。") % {"pk": item.pk},
        then=lambda _item: (DETAIL, finding.inspection_id),
    )
    if outcome.response:
        return outcome.response
    items = services.items_by_finding([finding.pk])[finding.pk]
    return render(
        request,
        "inspections/finding_raise.html",
        {"form": form, "finding": finding, "inspection": finding.inspection, "items": items, "available": available},
    )


# ---------------------------------------------------------------------------------------------
# Report


@never_cache
@require_GET
def report_download(request, pk):
    inspection = _get_inspection(request, pk, "report.export")
    content = services.export_report(inspection, actor=request.user)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(report.filename(inspection), f"inspection-{inspection.pk}.docx")
    return response
