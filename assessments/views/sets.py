"""Assessment pages: years and indicator trees, the ranking (committee staff only), one branch's
result with its explanation and history, manual scoring, publishing and the exports. Views fetch
through ``assessments.permissions`` and call the services."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import exports, rules, services
from assessments.forms import BandsForm, IndicatorForm, ScoreForm, SetCreateForm
from assessments.models import Assessment, AssessmentScoreChange, Indicator, IndicatorSet, Score
from assessments.permissions import can, get_assessment_or_404, visible_assessments
from assessments.views import stale_notice
from common.archiving import archive_view
from common.audit import snapshot
from common.downloads import attachment_header
from common.models import AuditEntry
from common.submission import run_action, submit_form
from reports.docx import DOCX_CONTENT_TYPE

RANKING = "assessments:assessment.ranking"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """403 when the user may not do ``action``; 404 instead when ``hide`` (not their business at all)."""
    if not can(user, action, obj):
        if hide or not can(user, "set.view"):
            raise Http404
        raise PermissionDenied


def _get_set(user, year: int, action: str = "set.view") -> IndicatorSet:
    _require(user, "set.view", hide=True)
    indicator_set = get_object_or_404(IndicatorSet, year=year)
    _require(user, action)
    return indicator_set


def _who(user) -> str:
    return user.get_full_name() or user.username


def _auto_recompute(request, indicator_set: IndicatorSet) -> None:
    """While a year is unpublished, every look at it by a scorer recomputes it from the records."""
    if indicator_set.is_published:
        return
    try:
        services.recompute_year(indicator_set, actor=request.user)
    except services.AssessmentError as exc:
        messages.warning(request, _("未能计算得分：%(error)s") % {"error": exc})


# ---------------------------------------------------------------------------------------------
# Years and the indicator tree


@require_GET
def set_list(request):
    _require(request.user, "set.view", hide=True)
    return render(
        request,
        "assessments/set_list.html",
        {
            "sets": IndicatorSet.objects.all(),
            "can_manage": can(request.user, "set.manage"),
            "can_rank": can(request.user, "ranking"),
            "form": SetCreateForm(initial={"year": timezone.localdate().year, "from_default": True}),
        },
    )


@require_POST
def set_create(request):
    _require(request.user, "set.view", hide=True)
    _require(request.user, "set.manage")
    form = SetCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度：请填写2000至2100之间的年份。"))
        return redirect("assessments:set.list")
    try:
        indicator_set = services.create_indicator_set(
            form.cleaned_data["year"], actor=request.user, from_default=form.cleaned_data["from_default"]
        )
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:set.list")
    messages.success(request, _("已建立%(year)s年度考核指标体系。") % {"year": indicator_set.year})
    return redirect("assessments:set.detail", year=indicator_set.year)


@require_GET
def set_detail(request, year):
    indicator_set = _get_set(request.user, year)
    user = request.user
    rows = services.tree(indicator_set)
    assessments = visible_assessments(user, indicator_set.assessments.select_related("unit").order_by("unit__path"))
    return render(
        request,
        "assessments/set_detail.html",
        {
            "set": indicator_set,
            "rows": rows,
            "weight_error": services.weight_error(indicator_set),
            "leaf_sum": sum((r.indicator.weight or 0) for r in rows if r.indicator.is_leaf),
            "can_manage": can(user, "set.manage") and not indicator_set.is_published,
            "can_rank": can(user, "ranking"),
            "assessments": assessments,
            "entries": AuditEntry.objects.for_object(indicator_set).select_related("actor")[:50],
        },
    )


@require_http_methods(["GET", "POST"])
def set_bands(request, year):
    indicator_set = _get_set(request.user, year, "set.manage")
    if indicator_set.is_published and request.method == "POST":
        messages.error(request, _("%(year)s年度考核已发布，指标体系和得分均已锁定，不能再修改。") % {"year": year})
        return redirect("assessments:set.detail", year=year)
    form = BandsForm(
        request.POST or None,
        initial={"version": indicator_set.version, **snapshot(indicator_set, services.BAND_FIELDS)},
    )
    outcome = submit_form(
        request,
        form,
        lambda form: services.save_bands(
            indicator_set, form.cleaned_data, actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("等次分档已保存。"),
        then=lambda _saved: ("assessments:set.detail", year),
        stale=partial(stale_notice, request),
    )
    return outcome.render(request, "assessments/set_bands.html", {"set": indicator_set})


def _indicator_form_view(request, indicator_set, indicator=None):
    if indicator_set.is_published:
        messages.error(
            request, _("%(year)s年度考核已发布，指标体系和得分均已锁定，不能再修改。") % {"year": indicator_set.year}
        )
        return redirect("assessments:set.detail", year=indicator_set.year)
    initial = {"method": "automatic", "sort_order": 0}
    if indicator is not None:
        initial = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
        initial["version"] = indicator.version
    form = IndicatorForm(request.POST or None, initial=initial, indicator_set=indicator_set, exclude=indicator)
    outcome = submit_form(
        request,
        form,
        lambda form: services.save_indicator(
            indicator_set,
            form.cleaned_data,
            actor=request.user,
            indicator=indicator,
            expected_version=form.cleaned_data.get("version") or (indicator.version if indicator else None),
        ),
        done=lambda saved: _("指标“%(name)s”已保存。") % {"name": saved.name},
        then=lambda _saved: ("assessments:set.detail", indicator_set.year),
        stale=partial(stale_notice, request),
    )
    return outcome.render(request, "assessments/indicator_form.html", {"set": indicator_set, "indicator": indicator})


@require_http_methods(["GET", "POST"])
def indicator_create(request, year):
    indicator_set = _get_set(request.user, year, "set.manage")
    return _indicator_form_view(request, indicator_set)


def _get_indicator(request, pk) -> Indicator:
    _require(request.user, "set.view", hide=True)
    indicator = get_object_or_404(Indicator.objects.select_related("indicator_set"), pk=pk, archived_at__isnull=True)
    _require(request.user, "set.manage")
    return indicator


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _get_indicator(request, pk)
    return _indicator_form_view(request, indicator.indicator_set, indicator)


indicator_archive = archive_view(
    get=_get_indicator,
    service=services.archive_indicator,
    done=lambda indicator: _("指标“%(name)s”已删除。") % {"name": indicator.name},
    then=lambda indicator: reverse("assessments:set.detail", kwargs={"year": indicator.indicator_set.year}),
)


@require_POST
def set_recompute(request, year):
    indicator_set = _get_set(request.user, year, "set.manage")
    try:
        n = services.recompute_year(indicator_set, actor=request.user)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已依据记录重新计算，%(n)s项得分有变化。") % {"n": n})
    return redirect(RANKING, year=year)


@require_POST
def set_publish(request, year):
    indicator_set = _get_set(request.user, year, "set.manage")
    done = _("%(year)s年度考核结果已发布并锁定。") % {"year": year}
    return run_action(request, indicator_set, services.publish_year, done=done, then=lambda _set: (RANKING, year))


# ---------------------------------------------------------------------------------------------
# Results


def _ranking_rows(indicator_set):
    assessments = list(indicator_set.assessments.select_related("unit").order_by("-total", "unit__name"))
    ranks = rules.ranking([(a.pk, a.total) for a in assessments])
    return assessments, ranks


@require_GET
def assessment_ranking(request, year):
    indicator_set = _get_set(request.user, year, "ranking")
    _auto_recompute(request, indicator_set)
    assessments, ranks = _ranking_rows(indicator_set)
    chart = exports.ranking_svg(
        [exports.ChartRow(a.unit.name, a.total, a.grade, a.get_grade_display(), ranks[a.pk]) for a in assessments],
        title=_("%(year)s年度党支部考核得分排名") % {"year": year},
    )
    return render(
        request,
        "assessments/assessment_ranking.html",
        {
            "set": indicator_set,
            "rows": [(ranks[a.pk], a) for a in assessments],
            "chart": mark_safe(chart),  # noqa: S308  (built by exports.ranking_svg, every text escaped)
            "missing": services.missing_manual_scores(indicator_set) if not indicator_set.is_published else [],
            "weight_error": services.weight_error(indicator_set),
        },
    )


@require_GET
def assessment_export(request, year):
    indicator_set = _get_set(request.user, year, "ranking")
    _auto_recompute(request, indicator_set)
    assessments, ranks = _ranking_rows(indicator_set)
    leaves = services.live_leaves(indicator_set)
    scores = {
        (s.assessment_id, s.indicator_id): s for s in Score.objects.filter(assessment__indicator_set=indicator_set)
    }
    now = timezone.localtime()
    data = exports.build_xlsx(
        indicator_set, leaves, assessments, scores, ranks, exported_by=_who(request.user), exported_at=now
    )
    services.record_export(indicator_set, actor=request.user, kind=_("导出各支部考核结果（.xlsx）"))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = attachment_header(
        _("%(year)s年度党支部考核结果.xlsx") % {"year": year}, f"assessment-{year}.xlsx"
    )
    return response


def _detail_rows(assessment):
    rows = services.tree(assessment.indicator_set)
    scores = {s.indicator_id: s for s in assessment.scores.select_related("entered_by", "indicator")}
    return [(r, scores.get(r.indicator.pk)) for r in rows]


def _get_assessment(request, pk) -> Assessment:
    return get_assessment_or_404(request.user, Assessment.objects.select_related("unit", "indicator_set"), pk=pk)


@require_GET
def assessment_detail(request, pk):
    assessment = _get_assessment(request, pk)
    indicator_set = assessment.indicator_set
    scorer = can(request.user, "score.enter", assessment)
    if scorer:
        _auto_recompute(request, indicator_set)
        assessment.refresh_from_db()
    changes = AssessmentScoreChange.objects.filter(score__assessment=assessment).select_related(
        "score__indicator", "actor"
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "set": indicator_set,
            "rows": _detail_rows(assessment),
            "changes": changes[:200],
            "can_score": scorer and not indicator_set.is_published,
            "entries": AuditEntry.objects.for_object(assessment).select_related("actor")[:50],
        },
    )


@require_GET
def assessment_report(request, pk):
    assessment = _get_assessment(request, pk)
    changes = list(
        AssessmentScoreChange.objects.filter(score__assessment=assessment).select_related("score__indicator")[:200]
    )
    data = exports.build_docx(
        assessment, _detail_rows(assessment), changes, exported_by=_who(request.user), exported_at=timezone.localtime()
    )
    services.record_export(
        assessment.indicator_set,
        actor=request.user,
        kind=_("导出%(unit)s考核情况（.docx）") % {"unit": assessment.unit.name},
        unit=assessment.unit,
    )
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(
        _("%(unit)s%(year)s年度党建考核.docx") % {"unit": assessment.unit.name, "year": assessment.indicator_set.year},
        f"assessment-{assessment.indicator_set.year}-{assessment.unit_id}.docx",
    )
    return response


@require_http_methods(["GET", "POST"])
def score_edit(request, pk):
    score = get_object_or_404(
        Score.objects.select_related("assessment__unit", "assessment__indicator_set", "indicator"), pk=pk
    )
    get_assessment_or_404(request.user, pk=score.assessment_id)
    if not can(request.user, "score.enter", score):
        raise PermissionDenied
    assessment = score.assessment
    if assessment.indicator_set.is_published:
        messages.error(
            request,
            _("%(year)s年度考核已发布，指标体系和得分均已锁定，不能再修改。") % {"year": assessment.indicator_set.year},
        )
        return redirect("assessments:assessment.detail", pk=assessment.pk)
    form = ScoreForm(
        request.POST or None,
        initial={
            "version": score.version,
            "points": score.points,
            "evidence_text": score.evidence_text,
            "comment": score.comment,
        },
    )
    outcome = submit_form(
        request,
        form,
        lambda form: services.enter_manual_score(
            score, form.cleaned_data, actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("“%(name)s”的评分已保存。") % {"name": score.indicator.name},
        then=lambda _saved: ("assessments:assessment.detail", assessment.pk),
        stale=partial(stale_notice, request),
    )
    return outcome.render(request, "assessments/score_form.html", {"score": score, "assessment": assessment})
