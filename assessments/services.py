"""Assessment services: the indicator tree, computing and entering scores, publishing, and the
述职评议 (duty reports, their anonymous evaluation on ``ballots``, attachments). Every change is
audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from assessments import indicators, rules
from assessments.models import (
    Assessment,
    AssessmentScoreChange,
    ChangeReason,
    Choice,
    DutyAttachment,
    DutyReport,
    Grade,
    Indicator,
    IndicatorSet,
    Method,
    ReportStatus,
    Score,
    SetStatus,
)
from ballots import services as ballots
from common.archiving import set_archived
from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version, update_with_version
from common.errors import DomainError
from common.uploads import keep_upload
from compliance import periods
from compliance.models import Rule
from members.models import Member
from organizations.models import Unit, UnitKind


class AssessmentError(DomainError):
    """A refused change; ``errors`` maps form fields to Chinese messages."""


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _root_unit():
    return (
        Unit.objects.filter(kind=UnitKind.COMMITTEE, parent__isnull=True, archived_at__isnull=True)
        .order_by("path")
        .first()
    )


def _refuse_published(indicator_set: IndicatorSet) -> None:
    if indicator_set.is_published:
        raise AssessmentError(
            _("%(year)s年度考核已发布，指标体系和得分均已锁定，不能再修改。") % {"year": indicator_set.year}
        )


# ---------------------------------------------------------------------------------------------
# The indicator tree


def live_indicators(indicator_set: IndicatorSet):
    return indicator_set.indicators.filter(archived_at__isnull=True).order_by("sort_order", "id")


def live_leaves(indicator_set: IndicatorSet) -> list[Indicator]:
    return [i for i in live_indicators(indicator_set) if i.is_leaf]


@dataclass
class TreeRow:
    indicator: Indicator
    depth: int
    rule_text: str


def rule_text_of(indicator: Indicator) -> str:
    if indicator.method == Method.MANUAL:
        return _("人工评分：督查人员或党委工作人员依据材料评分（0至%(weight)s分），须写明评分依据。") % {
            "weight": rules.fmt(indicator.weight)
        }
    if indicator.method != Method.AUTOMATIC or indicator.metric not in indicators.METRICS:
        return ""
    metric = indicators.METRICS[indicator.metric]
    text = rules.rule_text(
        metric_name=indicators.metric_label(indicator.metric, indicator.metric_param),
        unit=metric.unit,
        weight=indicator.weight or 0,
        zero_at=indicator.zero_at or 0,
        full_at=indicator.full_at or 0,
        when_empty=metric.when_empty,
    )
    return f"{text}{metric.not_assessable}" if metric.not_assessable else text


def tree(indicator_set: IndicatorSet) -> list[TreeRow]:
    """The live indicators in tree order (depth-first), each with its scoring rule in words."""
    nodes = list(live_indicators(indicator_set))
    children: dict[int | None, list[Indicator]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[TreeRow] = []

    def walk(parent_id, depth):
        for n in children.get(parent_id, []):
            out.append(TreeRow(n, depth, rule_text_of(n)))
            walk(n.pk, depth + 1)

    walk(None, 0)
    return out


def weight_error(indicator_set: IndicatorSet) -> str | None:
    return rules.leaf_weight_errors(i.weight for i in live_leaves(indicator_set))


def create_indicator_set(year: int, *, actor, from_default: bool = True) -> IndicatorSet:
    if not isinstance(year, int) or not (2000 <= year <= 2100):
        raise AssessmentError({"year": _("年度：请填写2000至2100之间的年份。")})
    if IndicatorSet.objects.filter(year=year).exists():
        raise AssessmentError({"year": _("年度：%(year)s年度的指标体系已经建立。") % {"year": year}})
    with transaction.atomic():
        indicator_set = IndicatorSet.objects.create(year=year, created_by=_user(actor))
        count = 0
        if from_default:
            count = _build_default(indicator_set)
        log_action(
            "assessments.indicatorset.created",
            actor=actor,
            obj=indicator_set,
            unit=_root_unit(),
            data={"summary": _("按默认模板建立，指标%(n)s项") % {"n": count} if from_default else _("空白指标体系")},
        )
    return indicator_set


def _build_default(indicator_set: IndicatorSet) -> int:
    count = 0

    def add(rows, parent):
        nonlocal count
        for order, (name, method, weight, metric, param, zero_at, full_at, description, children) in enumerate(rows, 1):
            node = Indicator.objects.create(
                indicator_set=indicator_set,
                parent=parent,
                name=str(name),
                method=method,
                weight=weight,
                metric=metric,
                metric_param=param,
                zero_at=zero_at,
                full_at=full_at,
                description=str(description),
                sort_order=order,
            )
            count += 1
            add(children, node)

    add(indicators.DEFAULT_TREE, None)
    return count


INDICATOR_FIELDS = (
    "parent",
    "name",
    "method",
    "weight",
    "metric",
    "metric_param",
    "zero_at",
    "full_at",
    "description",
    "sort_order",
)


def _decimal(value, field: str, label: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = _("%(label)s：请填写数字。") % {"label": label}
        return None


def _clean_indicator(indicator_set: IndicatorSet, data: dict, *, current: Indicator | None) -> dict:
    errors: dict[str, str] = {}
    values = {
        "parent": data.get("parent"),
        "name": (data.get("name") or "").strip(),
        "method": data.get("method") or "",
        "metric": data.get("metric") or "",
        "metric_param": (data.get("metric_param") or "").strip(),
        "description": (data.get("description") or "").strip(),
        "sort_order": data.get("sort_order") or 0,
    }
    values["weight"] = _decimal(data.get("weight"), "weight", _("分值"), errors)
    values["zero_at"] = _decimal(data.get("zero_at"), "zero_at", _("零分值"), errors)
    values["full_at"] = _decimal(data.get("full_at"), "full_at", _("满分值"), errors)
    if not values["name"]:
        errors["name"] = _("指标名称：请填写。")
    if values["method"] not in Method.values:
        errors["method"] = _("评分方式：请选择分类、自动计算或人工评分。")
    parent = values["parent"]
    if parent is not None:
        if parent.indicator_set_id != indicator_set.pk or parent.archived_at is not None:
            errors["parent"] = _("上级指标：须是本年度指标体系中的指标。")
        elif parent.is_leaf:
            errors["parent"] = _("上级指标：“%(name)s”是计分指标，不能再有下级；请选择分类。") % {"name": parent.name}
        elif current is not None and (parent.pk == current.pk or _is_below(parent, current)):
            errors["parent"] = _("上级指标：不能选择本指标或其下级。")
    if (
        current is not None
        and values["method"] != Method.GROUP
        and current.children.filter(archived_at__isnull=True).exists()
    ):
        errors["method"] = _("评分方式：该指标有下级指标，只能是分类。")
    if values["method"] == Method.GROUP:
        values.update(weight=None, metric="", metric_param="", zero_at=None, full_at=None)
    elif "weight" not in errors and (values["weight"] is None or not (Decimal(0) < values["weight"] <= 100)):
        errors["weight"] = _("分值：计分指标须填写大于0且不超过100的分值。")
    if values["method"] == Method.MANUAL:
        values.update(metric="", metric_param="", zero_at=None, full_at=None)
    if values["method"] == Method.AUTOMATIC:
        metric = indicators.METRICS.get(values["metric"])
        if metric is None:
            errors["metric"] = _("计算口径：自动计算的指标须选择一个计算口径。")
        else:
            if not metric.takes_param:
                values["metric_param"] = ""
            elif values["metric_param"] and not Rule.objects.filter(code=values["metric_param"]).exists():
                errors["metric_param"] = _("口径参数：没有代码为“%(code)s”的制度规则。") % {
                    "code": values["metric_param"]
                }
        for name, label in (("zero_at", _("零分值")), ("full_at", _("满分值"))):
            if values[name] is None and name not in errors:
                errors[name] = _("%(label)s：自动计算的指标须填写。") % {"label": label}
        if "zero_at" not in errors and "full_at" not in errors and values["zero_at"] == values["full_at"]:
            errors["full_at"] = _("满分值：不能与零分值相同。")
    if errors:
        raise AssessmentError(errors)
    return values


def _is_below(node: Indicator, ancestor: Indicator) -> bool:
    seen = 0
    while node.parent_id is not None and seen < 50:
        if node.parent_id == ancestor.pk:
            return True
        node = node.parent
        seen += 1
    return False


def save_indicator(
    indicator_set: IndicatorSet,
    data: dict,
    *,
    actor,
    indicator: Indicator | None = None,
    expected_version: int | None = None,
) -> Indicator:
    """Add an indicator to the tree (``indicator`` None) or change one. Refused once published."""
    _refuse_published(indicator_set)
    values = _clean_indicator(indicator_set, data, current=indicator)
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator.objects.create(indicator_set=indicator_set, **values)
            log_action(
                "assessments.indicator.created",
                actor=actor,
                obj=indicator,
                unit=_root_unit(),
                data={"summary": _("%(year)s年度：%(name)s") % {"year": indicator_set.year, "name": indicator.name}},
            )
            return indicator
        changes = update_with_version(indicator, values, INDICATOR_FIELDS, expected_version)
        log_action("assessments.indicator.changed", actor=actor, obj=indicator, unit=_root_unit(), changes=changes)
    return indicator


def archive_indicator(indicator: Indicator, *, actor) -> Indicator:
    _refuse_published(indicator.indicator_set)
    if indicator.children.filter(archived_at__isnull=True).exists():
        raise AssessmentError(_("“%(name)s”还有下级指标，请先删除下级指标。") % {"name": indicator.name})
    set_archived(
        indicator,
        True,
        actor=actor,
        action="assessments.indicator.archived",
        unit=_root_unit(),
        data={"summary": indicator.name},
    )
    return indicator


BAND_FIELDS = ("good_min", "fairly_good_min", "average_min")


def save_bands(indicator_set: IndicatorSet, data: dict, *, actor, expected_version: int) -> IndicatorSet:
    _refuse_published(indicator_set)
    errors = rules.band_errors(*(data.get(f) for f in BAND_FIELDS))
    if errors:
        raise AssessmentError(errors)
    with transaction.atomic():
        values = {f: Decimal(data[f]) for f in BAND_FIELDS}
        changes = update_with_version(indicator_set, values, BAND_FIELDS, expected_version)
        log_action(
            "assessments.indicatorset.changed", actor=actor, obj=indicator_set, unit=_root_unit(), changes=changes
        )
        _regrade(indicator_set)
    return indicator_set


def _regrade(indicator_set: IndicatorSet) -> None:
    rows = list(indicator_set.assessments.all())
    for a in rows:
        a.grade = _grade(indicator_set, a.total)
    Assessment.objects.bulk_update(rows, ["grade"])


def _grade_label(code: str) -> str:
    """A grade as people read it (好, 较好…), as the audit log keeps choices."""
    return str(Grade(code).label) if code else ""


def _grade(indicator_set: IndicatorSet, total) -> str:
    return rules.grade_for(
        total,
        good_min=indicator_set.good_min,
        fairly_good_min=indicator_set.fairly_good_min,
        average_min=indicator_set.average_min,
    )


# ---------------------------------------------------------------------------------------------
# Computing the assessment


def branches_of_year(year: int):
    """Branches (not archived) that existed at some time in ``year``."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Unit.objects.filter(kind=UnitKind.BRANCH, archived_at__isnull=True).existing_during(start, end).order_by("path")
    )


def _explanation(indicator: Indicator, result: indicators.MetricResult, points: Decimal | None) -> str:
    metric = indicators.METRICS[indicator.metric]
    if points is None:
        return _("%(summary)s；本项不适用，不计分（满分%(weight)s分），总分按其余指标折算为百分制。") % {
            "summary": result.summary,
            "weight": rules.fmt(indicator.weight),
        }
    return _("%(summary)s；计算值%(value)s，得%(points)s分（满分%(weight)s分）。") % {
        "summary": result.summary,
        "value": rules.fmt(result.value, metric.unit),
        "points": rules.fmt(points),
        "weight": rules.fmt(indicator.weight),
    }


def recompute_year(indicator_set: IndicatorSet, *, actor, today: datetime.date | None = None) -> int:
    """Compute every branch's automatic scores from the records, then totals and grades.

    Scores whose value or points changed get an ``AssessmentScoreChange`` row saying why (the
    records that no longer, or newly, cost points); each assessment whose total changed gets an
    audit entry. Returns the number of changed scores. Refused once published or while the
    leaves' weights do not sum to 100."""
    _refuse_published(indicator_set)
    error = weight_error(indicator_set)
    if error:
        raise AssessmentError(error)
    today = today or timezone.localdate()
    leaves = live_leaves(indicator_set)
    branches = list(branches_of_year(indicator_set.year))
    now = timezone.now()
    with transaction.atomic():
        IndicatorSet.objects.select_for_update().filter(pk=indicator_set.pk).first()
        existing = {a.unit_id: a for a in indicator_set.assessments.all()}
        missing = [Assessment(indicator_set=indicator_set, unit=b) for b in branches if b.pk not in existing]
        if missing:
            Assessment.objects.bulk_create(missing)
            existing = {a.unit_id: a for a in indicator_set.assessments.all()}
        assessments = [existing[b.pk] for b in branches]
        scores = {(s.assessment_id, s.indicator_id): s for s in Score.objects.filter(assessment__in=assessments)}
        new_scores = [
            Score(assessment=a, indicator=leaf) for a in assessments for leaf in leaves if (a.pk, leaf.pk) not in scores
        ]
        if new_scores:
            Score.objects.bulk_create(new_scores)
            scores = {(s.assessment_id, s.indicator_id): s for s in Score.objects.filter(assessment__in=assessments)}
        automatic = [leaf for leaf in leaves if leaf.method == Method.AUTOMATIC]
        ctx = indicators.Context(branches, indicator_set.year, periods.default_as_of(indicator_set.year, today))
        results = indicators.compute_all(automatic, ctx)
        changed, history = [], []
        for a in assessments:
            for leaf in automatic:
                score = scores[(a.pk, leaf.pk)]
                result = results[(leaf.pk, a.unit_id)]
                metric = indicators.METRICS[leaf.metric]
                points = (
                    rules.linear_points(
                        result.value,
                        weight=leaf.weight,
                        zero_at=leaf.zero_at,
                        full_at=leaf.full_at,
                        when_empty=metric.when_empty,
                    )
                    if result.assessable
                    else None
                )
                value = None if result.value is None else rules.q2(result.value)
                explanation = _explanation(leaf, result, points)
                if (score.value, score.points, score.explanation, score.evidence) == (
                    value,
                    points,
                    explanation,
                    result.evidence,
                ):
                    continue
                if score.value != value or score.points != points:
                    first = score.points is None and not score.explanation
                    note = _("首次计算。") if first else rules.change_note(score.evidence, result.evidence)
                    history.append(
                        AssessmentScoreChange(
                            score=score,
                            old_points=score.points,
                            new_points=points,
                            old_value=score.value,
                            new_value=value,
                            reason=ChangeReason.RECOMPUTED,
                            note=note,
                            actor=_user(actor),
                            at=now,
                        )
                    )
                score.value, score.points, score.explanation, score.evidence = (
                    value,
                    points,
                    explanation,
                    result.evidence,
                )
                changed.append(score)
        if changed:
            Score.objects.bulk_update(changed, ["value", "points", "explanation", "evidence"])
        AssessmentScoreChange.objects.bulk_create(history)
        totals = {
            a.pk: _scaled_total(leaves, {leaf.pk: scores.get((a.pk, leaf.pk)) for leaf in leaves}) for a in assessments
        }
        updated = []
        for a in assessments:
            total, grade = rules.q2(totals[a.pk]), _grade(indicator_set, totals[a.pk])
            if a.total != total or a.grade != grade or a.computed_at is None:
                if a.total != total or a.grade != grade:
                    log_action(
                        "assessments.assessment.recomputed",
                        actor=actor,
                        obj=a,
                        unit=a.unit,
                        changes={
                            "total": [str(a.total), str(total)],
                            "grade": [_grade_label(a.grade), _grade_label(grade)],
                        },
                        data={
                            "summary": _("依据记录重新计算，%(n)s项得分变化")
                            % {"n": sum(1 for h in history if h.score.assessment_id == a.pk)}
                        },
                    )
                a.total, a.grade, a.computed_at = total, grade, now
                updated.append(a)
        if updated:
            Assessment.objects.bulk_update(updated, ["total", "grade", "computed_at"])
        IndicatorSet.objects.filter(pk=indicator_set.pk).update(computed_at=now)
        indicator_set.computed_at = now
    return len(history)


def _scaled_total(leaves: list[Indicator], scores: dict[int, Score | None]) -> Decimal:
    """The total of one assessment over the live leaves: a leaf that is not assessable (an
    automatic leaf without points) is left out and the rest rescaled (``rules.scaled_total``)."""
    rows = []
    for leaf in leaves:
        score = scores.get(leaf.pk)
        points = score.points if score is not None else None
        assessable = not (points is None and score is not None and leaf.method == Method.AUTOMATIC)
        rows.append((leaf.weight, points, assessable))
    return rules.scaled_total(rows)


def _total_of(assessment: Assessment) -> None:
    leaves = live_leaves(assessment.indicator_set)
    total = _scaled_total(leaves, {s.indicator_id: s for s in assessment.scores.all()})
    assessment.total = rules.q2(total)
    assessment.grade = _grade(assessment.indicator_set, total)
    assessment.save(update_fields=["total", "grade"])


SCORE_FIELDS = ("points", "evidence_text", "comment")


def enter_manual_score(score: Score, data: dict, *, actor, expected_version: int) -> Score:
    """An inspector's or staff member's score for a manual leaf, with its evidence."""
    indicator_set = score.assessment.indicator_set
    _refuse_published(indicator_set)
    leaf = score.indicator
    if leaf.method != Method.MANUAL:
        raise AssessmentError(_("“%(name)s”由系统依据记录自动计算，不能人工打分。") % {"name": leaf.name})
    errors = {}
    points = _decimal(data.get("points"), "points", _("得分"), errors)
    if "points" not in errors and (points is None or not (Decimal(0) <= points <= leaf.weight)):
        errors["points"] = _("得分：须在0至%(weight)s分之间。") % {"weight": rules.fmt(leaf.weight)}
    evidence_text = (data.get("evidence_text") or "").strip()
    if not evidence_text:
        errors["evidence_text"] = _("评分依据：请写明评分所依据的材料或检查情况。")
    comment = (data.get("comment") or "").strip()
    if points is not None and leaf.weight is not None and points < leaf.weight and not comment:
        errors["comment"] = _("评语：未得满分时须写明扣分原因。")
    if errors:
        raise AssessmentError(errors)
    old_points, before = score.points, snapshot(score, SCORE_FIELDS)
    with transaction.atomic():
        score.points, score.evidence_text, score.comment = rules.q2(points), evidence_text, comment
        score.entered_by, score.entered_at = _user(actor), timezone.now()
        score.explanation = _("人工评分：得%(points)s分（满分%(weight)s分）。") % {
            "points": rules.fmt(score.points),
            "weight": rules.fmt(leaf.weight),
        }
        save_with_version(score, expected_version, [*SCORE_FIELDS, "entered_by", "entered_at", "explanation"])
        if old_points != score.points or before != snapshot(score, SCORE_FIELDS):
            who = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "")
            AssessmentScoreChange.objects.create(
                score=score,
                old_points=old_points,
                new_points=score.points,
                reason=ChangeReason.MANUAL,
                note=_("%(who)s人工评分：%(comment)s") % {"who": who, "comment": comment or _("满分")},
                actor=_user(actor),
            )
        _total_of(score.assessment)
        log_action(
            "assessments.score.entered",
            actor=actor,
            obj=score.assessment,
            unit=score.assessment.unit,
            changes=diff(before, snapshot(score, SCORE_FIELDS)),
            # Logged on the branch's assessment (its 变更记录); the changed fields are the score's.
            data={"summary": leaf.name, "changes_of": "assessments.score"},
        )
    return score


def missing_manual_scores(indicator_set: IndicatorSet) -> list[Score]:
    return list(
        Score.objects.filter(
            assessment__indicator_set=indicator_set,
            indicator__method=Method.MANUAL,
            indicator__archived_at__isnull=True,
            points__isnull=True,
        ).select_related("assessment__unit", "indicator")
    )


def publish_year(indicator_set: IndicatorSet, *, actor, today: datetime.date | None = None) -> IndicatorSet:
    """Recompute once more, check every manual leaf is scored, then lock the year."""
    _refuse_published(indicator_set)
    recompute_year(indicator_set, actor=actor, today=today)
    missing = missing_manual_scores(indicator_set)
    if missing:
        names = "、".join(f"{s.assessment.unit.name}“{s.indicator.name}”" for s in missing[:6])
        more = _("等%(n)s项") % {"n": len(missing)} if len(missing) > 6 else ""
        raise AssessmentError(_("还有人工评分指标未评分：%(names)s%(more)s。") % {"names": names, "more": more})
    with transaction.atomic():
        indicator_set.status = SetStatus.PUBLISHED
        indicator_set.published_at = timezone.now()
        indicator_set.published_by = _user(actor)
        indicator_set.save(update_fields=["status", "published_at", "published_by"])
        log_action(
            "assessments.indicatorset.published",
            actor=actor,
            obj=indicator_set,
            unit=_root_unit(),
            data={"summary": _("%(n)s个党支部的考核结果已发布") % {"n": indicator_set.assessments.count()}},
        )
    return indicator_set


def record_export(indicator_set: IndicatorSet, *, actor, kind: str, unit=None) -> None:
    log_action(
        "assessments.assessment.exported",
        actor=actor,
        obj=indicator_set,
        unit=unit or _root_unit(),
        data={"summary": kind, "year": indicator_set.year},
    )


# ---------------------------------------------------------------------------------------------
# 述职评议

REPORT_FIELDS = ("title", "text")


def _clean_report(data: dict) -> dict:
    errors = {}
    values = {"title": (data.get("title") or "").strip(), "text": (data.get("text") or "").strip()}
    if not values["title"]:
        errors["title"] = _("标题：请填写。")
    if len(values["text"]) < 20:
        errors["text"] = _("述职内容：请写明抓党建工作情况（不少于20字）。")
    if errors:
        raise AssessmentError(errors)
    return values


def create_duty_report(unit: Unit, reporter, data: dict, *, actor) -> DutyReport:
    values = _clean_report(data)
    year = data.get("year")
    if not isinstance(year, int):
        raise AssessmentError({"year": _("年度：请选择年度。")})
    if DutyReport.objects.active().filter(unit=unit, year=year).exists():
        raise AssessmentError(
            {"year": _("年度：%(unit)s%(year)s年度的述职报告已经存在。") % {"unit": unit.name, "year": year}}
        )
    with transaction.atomic():
        report = DutyReport.objects.create(unit=unit, year=year, reporter=reporter, created_by=_user(actor), **values)
        log_action("assessments.dutyreport.created", actor=actor, obj=report, unit=unit, data={"summary": report.title})
    return report


def update_duty_report(report: DutyReport, data: dict, *, actor, expected_version: int) -> DutyReport:
    if report.status != ReportStatus.DRAFT:
        raise AssessmentError(_("述职报告已提交评议，不能再修改。"))
    values = _clean_report(data)
    with transaction.atomic():
        changes = update_with_version(report, values, REPORT_FIELDS, expected_version)
        log_action("assessments.dutyreport.changed", actor=actor, obj=report, unit=report.unit, changes=changes)
    return report


# Who evaluates a secretary's duty report: the branch's members (with a login) and the
# committee's staff and inspectors over the branch — never the reporter.
DUTY_SCORERS = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
DUTY_ITEM = "report"


def duty_electorate(report: DutyReport) -> list[dict]:
    """The electorate of ``report``'s evaluation, fixed when it is submitted."""
    reporter_user = report.reporter.user_id
    people: dict[int, dict] = {}
    for member_id, name, user_id in (
        Member.objects.active()
        .filter(
            branch_memberships__unit=report.unit,
            branch_memberships__end_on__isnull=True,
            user__isnull=False,
        )
        .exclude(pk=report.reporter_id)
        .values_list("pk", "name", "user_id")
        .distinct()
    ):
        people.setdefault(user_id, {"name": name, "user_id": user_id, "member_id": member_id})
    grants = (
        RoleGrant.objects.active()
        .filter(role__in=DUTY_SCORERS, unit__path__in=report.unit.ancestor_paths(), user__is_active=True)
        .select_related("user")
    )
    for grant in grants:
        user = grant.user
        if user.pk == reporter_user or user.pk in people:
            continue
        member = Member.objects.filter(user_id=user.pk).values_list("pk", "name").first()
        name = member[1] if member else (user.get_full_name() or user.get_username())
        people[user.pk] = {"name": name, "user_id": user.pk, "member_id": member[0] if member else None}
    return list(people.values())


def submit_duty_report(report: DutyReport, *, actor) -> DutyReport:
    if report.status != ReportStatus.DRAFT:
        raise AssessmentError(_("述职报告已经提交。"))
    with transaction.atomic():
        report.status, report.submitted_at = ReportStatus.OPEN, timezone.now()
        report.ballot = ballots.create_round(
            unit=report.unit,
            title=str(report),
            options=list(Choice.values),
            items=[{"key": DUTY_ITEM, "label": report.title}],
            electors=duty_electorate(report),
            actor=actor,
        )
        ballots.open_round(report.ballot, actor=actor)
        report.save(update_fields=["status", "submitted_at", "ballot"])
        log_action("assessments.dutyreport.submitted", actor=actor, obj=report, unit=report.unit)
    return report


def close_duty_report(report: DutyReport, *, actor) -> DutyReport:
    if report.status != ReportStatus.OPEN:
        raise AssessmentError(_("该述职报告不在评议中。"))
    with transaction.atomic():
        report.status, report.closed_at = ReportStatus.CLOSED, timezone.now()
        report.save(update_fields=["status", "closed_at"])
        ballots.close_round(report.ballot, actor=actor)
        log_action(
            "assessments.dutyreport.closed",
            actor=actor,
            obj=report,
            unit=report.unit,
            data={"summary": _("共%(n)s人参加评议") % {"n": ballots.voter_count(report.ballot)}},
        )
    return report


def cast_duty_vote(report: DutyReport, choice: str, *, actor) -> None:
    """Put ``actor``'s choice in the report's anonymous ballot box, once (``ballots.cast_vote``:
    who voted is kept apart from the marks; the audit entry has neither the choice nor an IP)."""
    if report.status != ReportStatus.OPEN or report.is_archived or report.ballot is None:
        raise AssessmentError(_("该述职报告不在评议中。"))
    if choice not in Choice.values:
        raise AssessmentError({"choice": _("评议意见：请选择满意、基本满意或不满意。")})
    try:
        ballots.cast_vote(report.ballot, {DUTY_ITEM: choice}, actor=actor)
    except ballots.BallotError as exc:
        raise AssessmentError(exc.errors) from exc


def tally(report: DutyReport) -> dict[str, int] | None:
    """{choice: count} once the evaluation is closed with enough voters; None before (or below
    the minimum), so no running total ever shows."""
    return tallies([report])[report.pk]


def tallies(reports) -> dict[int, dict[str, int] | None]:
    """``tally`` of many reports in a fixed number of queries: {report id: counts or None}."""
    reports = list(reports)
    outcomes = ballots.results_for([r.ballot for r in reports if r.ballot is not None])
    out = {}
    for report in reports:
        outcome = outcomes.get(report.ballot_id)
        item = outcome.item(DUTY_ITEM) if outcome is not None else None
        out[report.pk] = dict(item.counts) if item is not None and item.counts is not None else None
    return out


def add_duty_attachment(report: DutyReport, uploaded_file, *, actor) -> DutyAttachment:
    """A file of a draft report: checked and stored by ``common.uploads`` (type judged by
    content, size limited, generated storage name, SHA-256 checksum)."""
    if report.status != ReportStatus.DRAFT:
        raise AssessmentError({"file": _("附件：述职报告已提交评议，不能再上传附件。")})
    return keep_upload(
        DutyAttachment(report=report),
        uploaded_file,
        label=_("附件"),
        error=AssessmentError,
        actor=actor,
        action="assessments.attachment.added",
        data=lambda a: {"summary": a.original_name, "size": a.size, "sha256": a.sha256},
        obj=report,
        unit=report.unit,
    )
