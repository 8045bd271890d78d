"""Rules as data, the compliance table and its export, the dashboards and the drill-down."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.audit import log_action
from common.errors import add_to_form
from compliance import charts, dashboards, engine, exports, periods, permissions, services, standings
from compliance.forms import DeadlineForm, RuleCreateForm, RuleRetireForm, RuleVersionForm, TableFilterForm
from compliance.models import AnnualDeadline, Rule
from meetings.models import Meeting, MeetingKind
from organizations.models import Unit

TABLE_ROWS_PER_PAGE = 100
HEATMAP_ROWS_PER_PAGE = 50


# ---------------------------------------------------------------------------------------------
# Rules


def _rules_by_code(today: datetime.date):
    """Every rule code with its versions, the version in force today and the next one."""
    groups: OrderedDict[str, list[Rule]] = OrderedDict()
    for rule in Rule.objects.select_related("kind", "created_by").order_by("code", "effective_from"):
        groups.setdefault(rule.code, []).append(rule)
    out = []
    for code, versions in groups.items():
        in_force = [v for v in versions if v.effective_from <= today and (v.retired_on is None or v.retired_on > today)]
        current = in_force[-1] if in_force else None
        upcoming = [v for v in versions if v.effective_from > today]
        out.append(
            {
                "code": code,
                "current": current,
                "shown": current or (upcoming[0] if upcoming else versions[-1]),
                "upcoming": upcoming,
                "versions": list(reversed(versions)),
                "retired": current is None and not upcoming,
            }
        )
    return out


def _require_rule_manager(user):
    if not permissions.can(user, "rule.manage"):
        raise PermissionDenied


@require_GET
def rule_list(request):
    today = timezone.localdate()
    return render(
        request,
        "compliance/rule_list.html",
        {
            "groups": _rules_by_code(today),
            "today": today,
            "can_manage": permissions.can(request.user, "rule.manage"),
            "retire_form": RuleRetireForm(initial={"retired_on": today}),
            "deadlines": _deadlines(today),
        },
    )


def _deadlines(today: datetime.date) -> list[dict]:
    """Last year's and this year's 年度 deadlines: the committee's, or the default."""
    years = [today.year - 1, today.year]
    kept = {d.year: d for d in AnnualDeadline.objects.filter(year__in=years)}
    return [
        {
            "year": year,
            "deadline": kept[year].deadline if year in kept else periods.default_annual_deadline(year),
            "is_default": year not in kept,
            "note": kept[year].note if year in kept else "",
        }
        for year in years
    ]


@require_POST
def deadline_set(request, year):
    """Set the day the 年度 ``year``'s 组织生活会 is judged at."""
    _require_rule_manager(request.user)
    if not 2000 <= year <= 2100:
        raise Http404
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("截止日期：请填写有效日期。"))
        return redirect("compliance:rule.list")
    try:
        row = services.set_annual_deadline(
            year, form.cleaned_data["deadline"], actor=request.user, note=form.cleaned_data["note"]
        )
    except services.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(year)s年度组织生活会的截止日期设为%(date)s。") % {"year": year, "date": row.deadline}
        )
    return redirect("compliance:rule.list")


@require_http_methods(["GET", "POST"])
def rule_create(request):
    _require_rule_manager(request.user)
    form = RuleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.create_rule(form.service_data(), actor=request.user)
        except services.RuleError as exc:
            add_to_form(form, exc, rename={"params": "problems_min"})
        else:
            messages.success(request, _("已新增规则“%(name)s”。") % {"name": rule.name})
            return redirect("compliance:rule.list")
    return render(request, "compliance/rule_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def rule_version(request, code):
    latest = services.current_version(code)
    if latest is None:
        raise Http404
    _require_rule_manager(request.user)
    if request.method == "POST":
        form = RuleVersionForm(request.POST)
    else:
        form = RuleVersionForm(initial=RuleVersionForm.initial_from(latest))
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.add_rule_version(code, form.service_data(), actor=request.user)
        except services.RuleError as exc:
            add_to_form(form, exc, rename={"params": "problems_min"})
        else:
            messages.success(
                request,
                _("已调整规则“%(name)s”，新版本自%(date)s起施行。") % {"name": rule.name, "date": rule.effective_from},
            )
            return redirect("compliance:rule.list")
    return render(request, "compliance/rule_form.html", {"form": form, "latest": latest, "creating": False})


@require_POST
def rule_retire(request, code):
    latest = services.current_version(code)
    if latest is None:
        raise Http404
    _require_rule_manager(request.user)
    form = RuleRetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("停止日期：请填写有效日期。"))
        return redirect("compliance:rule.list")
    try:
        services.retire_rule(code, form.cleaned_data["retired_on"], actor=request.user)
    except services.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("规则“%(name)s”自%(date)s起停止执行。") % {"name": latest.name, "date": form.cleaned_data["retired_on"]},
        )
    return redirect("compliance:rule.list")


@require_POST
def rule_require_study_day(request):
    """Committee staff add the rule 固定学习日每月至少开展1次 (from next month), from the button on
    the study dashboard (``compliance.study_panel``), which they are sent back to."""
    _require_rule_manager(request.user)
    try:
        rule = services.require_study_day(actor=request.user)
    except services.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已新增制度规则“%(name)s”，自%(date)s起按月评判。") % {"name": rule.name, "date": rule.effective_from},
        )
    return redirect("study:dashboard")


# ---------------------------------------------------------------------------------------------
# The table, its export, the dashboards


def _year_and_as_of(data, today: datetime.date) -> tuple[int, datetime.date]:
    year = data.get("year") or today.year
    as_of = data.get("as_of")
    if as_of is None:
        as_of = periods.default_as_of(year, today)
    return year, as_of


def _filters(request):
    """The filter form over the user's units and the rule codes, and what it selected."""
    units_qs = permissions.table_units(request.user)
    units = list(units_qs.filter(archived_at__isnull=True).only("id", "name", "path").order_by("path"))
    rules = OrderedDict()
    for code, name in Rule.objects.order_by("code", "effective_from").values_list("code", "name"):
        rules[code] = name
    form = TableFilterForm(request.GET or None, units=units, rules=list(rules.items()))
    form.is_valid()  # the valid filters apply; the others show their error
    data = getattr(form, "cleaned_data", {})
    year, as_of = _year_and_as_of(data, timezone.localdate())
    unit = next((u for u in units if str(u.pk) == data.get("unit")), None)
    scoped = units_qs.filter(path__startswith=unit.path) if unit else units_qs
    return (
        form,
        {
            "year": year,
            "as_of": as_of,
            "unit": unit,
            "rule": data.get("rule") or "",
            "status": data.get("status") or "",
        },
        scoped,
    )


def _filtered(cells, selection):
    if selection["rule"]:
        cells = [c for c in cells if c.rule_code == selection["rule"]]
    if selection["status"]:
        cells = [c for c in cells if c.status == selection["status"]]
    return cells


@require_GET
def table(request):
    form, sel, units = _filters(request)
    cells = _filtered(services.compliance_table(sel["year"], as_of=sel["as_of"], units=units), sel)
    rows: OrderedDict[tuple[int, str], dict] = OrderedDict()
    for c in exports.sorted_cells(cells):
        row = rows.get((c.unit_id, c.rule_code))
        if row is None:
            row = rows[(c.unit_id, c.rule_code)] = {
                "unit_id": c.unit_id,
                "unit_name": c.unit_name,
                "rule_code": c.rule_code,
                "rule_name": c.rule_name,
                "cells": [],
                "notes": [],
            }
        row["cells"].append(c)
        note = engine.applicability_note(c)
        if note and note not in row["notes"]:
            row["notes"].append(note)
    page = Paginator(list(rows.values()), TABLE_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {s: sum(1 for c in cells if c.status == s) for s in engine.STATUSES}
    return render(
        request,
        "compliance/table.html",
        {
            "form": form,
            "sel": sel,
            "page": page,
            "rows": page.object_list,
            "counts": counts,
            "query": query.urlencode(),
        },
    )


@require_GET
def export(request):
    form, sel, units = _filters(request)
    cells = _filtered(services.compliance_table(sel["year"], as_of=sel["as_of"], units=units), sel)
    title = _("%(year)s年度制度落实情况（截至%(date)s）") % {"year": sel["year"], "date": sel["as_of"]}
    if sel["unit"]:
        title = f"{sel['unit'].name} · {title}"
    data = exports.to_xlsx(cells, title=title)
    log_action(
        "compliance.table.exported",
        actor=request.user,
        unit=sel["unit"],
        data={
            "year": sel["year"],
            "as_of": sel["as_of"].isoformat(),
            "unit": sel["unit"].name if sel["unit"] else "",
            "rule": sel["rule"],
            "status": sel["status"],
            "rows": len(cells),
        },
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"compliance-{sel['year']}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell_url(unit_id: int, period: str, rule: str = "", as_of: datetime.date | None = None) -> str:
    query = {"unit": unit_id, "period": period}
    if rule:
        query["rule"] = rule
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    return reverse("compliance:compliance.cell") + "?" + urlencode(query)


def _evaluate_scope(units_qs, year, as_of):
    unit_facts, rules, meetings, secretaries, held = services.load_facts(year, units_qs, as_of=as_of)
    cells = engine.evaluate(unit_facts, rules, meetings, secretaries, held, year=year, as_of=as_of)
    return unit_facts, cells, meetings, secretaries


@require_GET
def dashboard(request):
    units_qs = permissions.table_units(request.user)
    form = TableFilterForm(request.GET or None)
    form.is_valid()
    year, as_of = _year_and_as_of(getattr(form, "cleaned_data", {}), timezone.localdate())
    # Read from the kept per-branch standings; only branches that changed are judged again.
    overview = standings.overview(units_qs, year, as_of, whole_branches=permissions.whole_branches(request.user))
    page = Paginator(overview.rows, HEATMAP_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    svg = charts.heatmap_svg(
        page.object_list,
        cell_url=lambda row, month: _cell_url(row.unit_id, month, as_of=as_of),
        row_url=lambda row: reverse("compliance:unit.status", args=[row.unit_id]),
        title=_("%(year)s年各支部逐月制度落实情况") % {"year": year},
    )
    return render(
        request,
        "compliance/dashboard.html",
        {
            "year": year,
            "as_of": as_of,
            "computed_at": overview.computed_at,
            "heatmap": mark_safe(svg),  # noqa: S308  (built by charts.heatmap_svg, every text escaped)
            "page": page,
            "rates": overview.rates,
            "worst": overview.worst,
            "totals": overview.totals,
        },
    )


@require_GET
def cell(request):
    """The drill-down: ``?unit=&period=[&rule=][&as_of=]``. With a rule, that one cell; without,
    every cell of the unit and its groups whose period ends in ``period`` (a heatmap square).
    Without a unit or period: the user's topmost unit and the current month."""
    units = permissions.table_units(request.user)
    today = timezone.localdate()
    try:
        unit_id = int(request.GET["unit"]) if request.GET.get("unit") else None
        span = periods.parse_label(request.GET["period"]) if request.GET.get("period") else None
        as_of = datetime.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else None
    except ValueError:
        raise Http404 from None
    if unit_id is None:
        unit = units.filter(archived_at__isnull=True).order_by("path").first()
        if unit is None:
            raise Http404
    else:
        unit = permissions.get_visible_unit_or_404(request.user, pk=unit_id)
    span = span or periods.span_containing(periods.MONTH, today)
    rule = request.GET.get("rule", "")
    if as_of is None:
        as_of = periods.default_as_of(span.start.year, today)
    _units, cells, meetings, secretaries = _evaluate_scope(Unit.objects.subtree(unit), span.start.year, as_of)
    if rule:
        cells = [c for c in cells if c.unit_id == unit.pk and c.rule_code == rule and c.period == span.label]
        if not cells:
            raise Http404
    else:
        cells = dashboards.cells_ending_in(cells, span)
    cells = sorted(cells, key=lambda c: (-engine.SEVERITY[c.status], c.unit_name, c.rule_code, c.period_start))
    counted = {id(c): engine.counted_meetings(c, meetings, secretaries) for c in cells}
    ids = {m.id for found in counted.values() for m in found}
    rows = Meeting.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("kinds", queryset=MeetingKind.objects.only("id", "name", "sort_order"))
    )
    by_id = {m.pk: m for m in rows}
    items = [{"cell": c, "meetings": [by_id[m.id] for m in counted[id(c)] if m.id in by_id]} for c in cells]
    return render(
        request,
        "compliance/cell.html",
        {"unit": unit, "span": span, "rule": rule, "as_of": as_of, "items": items},
    )


@require_GET
def unit_status(request, pk):
    """A branch's (or group's) view: what is due this month and quarter, and what is overdue."""
    permissions.table_units(request.user)
    unit = permissions.get_visible_unit_or_404(request.user, pk=pk)
    today = timezone.localdate()
    cells = services.compliance_table(today.year, as_of=today, units=Unit.objects.subtree(unit))
    return render(
        request,
        "compliance/unit_status.html",
        {
            "unit": unit,
            "today": today,
            "agenda": dashboards.agenda(cells, today),
            "month": periods.span_containing(periods.MONTH, today),
            "quarter": periods.span_containing(periods.QUARTER, today),
        },
    )
