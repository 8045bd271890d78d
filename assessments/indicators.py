"""The metric registry: what an automatic leaf is computed from.

Each metric computes, for every branch at once (a fixed number of queries whatever the number of
branches), a value and the records behind every lost point, straight from the records of the
year — never from numbers typed into a form:

=====================  ==========================================================  =========
code                   value                                                       unit
=====================  ==========================================================  =========
compliance_rate        met / (met + missed) periods of the compliance table (all     %
                       rules, or the rule named by ``metric_param``), branch and
                       its party groups; "due" periods are not counted yet
closure_rate           closed / due: items with a deadline in the year that is past   %
                       on the scoring day (or closed already); closed = verified
                       on or before the scoring day. An item not yet due and not
                       closed is not counted
overdue_count          items due in the year not verified by their deadline          项
participation_rate     members' present / expected at the branch's and its groups'    %
                       meetings (``compliance.participation``)
study_target_share     members meeting the year's study-hours target (``study``)     %
late_entry_share       meetings entered late (补录) / all meetings of the year       %
duty_satisfaction      (满意 + 基本满意) / all votes on the secretary's duty report    %
=====================  ==========================================================  =========
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import rules
from compliance.engine import MET, MISSED
from compliance.models import Rule
from compliance.participation import attendance_rate, load_facts
from compliance.services import compliance_table
from meetings.models import Meeting
from members.models import BranchMembership
from organizations.models import Unit
from rectification.models import Rectification, Status
from study.services import load_ledgers

EVIDENCE_LIMIT = 60


@dataclass
class MetricResult:
    value: Decimal | None
    summary: str
    evidence: list[dict] = field(default_factory=list)
    # False: the records cannot judge this branch on this leaf (a 述职评议 whose result is not
    # published): no points, and the total is rescaled over the other leaves (docs/ballots.md).
    assessable: bool = True


@dataclass(frozen=True)
class Context:
    branches: Sequence  # Unit rows (branches)
    year: int
    as_of: datetime.date
    cache: dict = field(default_factory=dict, compare=False)

    @property
    def branch_ids(self) -> list[int]:
        return [b.pk for b in self.branches]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


@dataclass(frozen=True)
class Metric:
    code: str
    name: object  # lazy Chinese
    unit: str
    when_empty: str
    compute: Callable[[Context, str], dict[int, MetricResult]]
    takes_param: bool = False
    # When a branch is not assessable on the metric (``MetricResult.assessable``), in words.
    not_assessable: object = ""


def _ev(text: str, url: str = "") -> dict:
    return {"text": text, "url": url}


def _limit(items: list[dict]) -> list[dict]:
    if len(items) <= EVIDENCE_LIMIT:
        return items
    rest = len(items) - EVIDENCE_LIMIT
    return [*items[:EVIDENCE_LIMIT], _ev(_("……另有%(n)s条，未逐条列出") % {"n": rest})]


def _units_of(ctx: Context) -> dict[int, int]:
    """unit id → branch id, for the branches and their party groups (one query, cached)."""
    if "units" not in ctx.cache:
        ids = ctx.branch_ids
        rows = Unit.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).values_list("pk", "parent_id")
        ctx.cache["units"] = {pk: (pk if pk in ids else parent) for pk, parent in rows}
    return ctx.cache["units"]


# ---------------------------------------------------------------------------------------------
# Metrics


def compliance_rate(ctx: Context, rule_code: str) -> dict[int, MetricResult]:
    unit_map = _units_of(ctx)
    if "cells" not in ctx.cache:
        units = Unit.objects.filter(pk__in=list(unit_map))
        ctx.cache["cells"] = compliance_table(ctx.year, as_of=ctx.as_of, units=units)
    cell_url = reverse("compliance:compliance.cell")
    counts = {b: [0, 0, []] for b in ctx.branch_ids}
    for cell in ctx.cache["cells"]:
        branch = unit_map.get(cell.unit_id)
        if branch is None or (rule_code and cell.rule_code != rule_code):
            continue
        if cell.status == MET:
            counts[branch][0] += 1
        elif cell.status == MISSED:
            counts[branch][1] += 1
            counts[branch][2].append(
                _ev(
                    _("%(unit)s：%(text)s") % {"unit": cell.unit_name, "text": cell.explanation},
                    # The cell judged on the same day as the score, so the drill-down agrees with it.
                    f"{cell_url}?unit={cell.unit_id}&period={cell.period}&rule={cell.rule_code}"
                    f"&as_of={ctx.as_of.isoformat()}",
                )
            )
    out = {}
    for branch, (met, missed, evidence) in counts.items():
        value = rules.rate(met, met + missed)
        out[branch] = MetricResult(
            value,
            _("应落实%(all)s个周期，已落实%(met)s个，未落实%(missed)s个")
            % {"all": met + missed, "met": met, "missed": missed},
            _limit(evidence),
        )
    return out


def _items_due_in_year(ctx: Context):
    return Rectification.objects.filter(
        unit_id__in=ctx.branch_ids, archived_at__isnull=True, deadline__gte=ctx.start, deadline__lte=ctx.end
    ).order_by("deadline", "id")


def closure_rate(ctx: Context, _param: str) -> dict[int, MetricResult]:
    """Closed / due, as of the scoring day: an item whose deadline has not passed cannot count
    against closure (it counts for it once closed), and each item moves the rate by its share."""
    counts = {b: [0, 0, 0, []] for b in ctx.branch_ids}
    for pk, unit_id, problem, status, deadline, verified_at in _items_due_in_year(ctx).values_list(
        "pk", "unit_id", "problem", "status", "deadline", "verified_at"
    ):
        row = counts[unit_id]
        closed = status == Status.VERIFIED and verified_at is not None and timezone.localdate(verified_at) <= ctx.as_of
        if closed:
            row[0] += 1
            row[1] += 1
        elif deadline >= ctx.as_of:
            row[2] += 1  # not due yet: neither closed nor late
        else:
            row[1] += 1
            row[3].append(
                _ev(
                    _("整改事项“%(problem)s”（期限%(deadline)s）到期尚未销号，当前状态：%(status)s")
                    % {"problem": _short(problem), "deadline": deadline, "status": Status(status).label},
                    reverse("rectification:item.detail", args=[pk]),
                )
            )
    out = {}
    for b, (closed, total, pending, evidence) in counts.items():
        summary = _("本年度已到期或已销号的整改事项%(total)s项，已销号%(closed)s项") % {
            "total": total,
            "closed": closed,
        }
        if pending:
            summary += _("；尚未到期的%(n)s项不计") % {"n": pending}
        out[b] = MetricResult(rules.rate(closed, total), summary, _limit(evidence))
    return out


def overdue_count(ctx: Context, _param: str) -> dict[int, MetricResult]:
    counts = {b: [] for b in ctx.branch_ids}
    rows = _items_due_in_year(ctx).filter(deadline__lt=ctx.as_of)
    for pk, unit_id, problem, status, deadline, verified_at in rows.values_list(
        "pk", "unit_id", "problem", "status", "deadline", "verified_at"
    ):
        closed_on = timezone.localdate(verified_at) if verified_at and status == Status.VERIFIED else None
        if closed_on is not None and closed_on <= deadline:
            continue
        if closed_on is None:
            text = _("整改事项“%(problem)s”期限%(deadline)s已过，尚未销号") % {
                "problem": _short(problem),
                "deadline": deadline,
            }
        else:
            text = _("整改事项“%(problem)s”期限%(deadline)s，逾期至%(closed)s才销号") % {
                "problem": _short(problem),
                "deadline": deadline,
                "closed": closed_on,
            }
        counts[unit_id].append(_ev(text, reverse("rectification:item.detail", args=[pk])))
    return {
        b: MetricResult(Decimal(len(evidence)), _("逾期整改事项%(n)s项") % {"n": len(evidence)}, _limit(evidence))
        for b, evidence in counts.items()
    }


def participation_rate(ctx: Context, _param: str) -> dict[int, MetricResult]:
    unit_map = _units_of(ctx)
    end = min(ctx.end, ctx.as_of)
    rows = (
        BranchMembership.objects.filter(unit_id__in=ctx.branch_ids, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=ctx.start))
        .filter(member__archived_at__isnull=True)
        .order_by("member__name", "member_id")
        .values_list("member_id", "member__name")
        .distinct()
    )
    names = dict(rows)
    facts = load_facts(list(names), ctx.start, end)
    per_branch: dict[int, dict[int, list]] = {b: {} for b in ctx.branch_ids}
    for member_id, mf in facts.items():
        for fact in mf.facts:
            branch = unit_map.get(fact.unit_id)
            if branch is not None:
                per_branch[branch].setdefault(member_id, []).append(fact)
    out = {}
    for branch, by_member in per_branch.items():
        present = expected = 0
        evidence = []
        for member_id, member_facts in sorted(by_member.items(), key=lambda kv: names.get(kv[0], "")):
            r = attendance_rate(member_facts)
            present += r.present
            expected += r.expected
            if r.absent:
                evidence.append(
                    _ev(
                        _("%(name)s：应参加%(expected)s次，缺席%(absent)s次（其中公差、病假%(excused)s次）")
                        % {
                            "name": names.get(member_id, ""),
                            "expected": r.expected,
                            "absent": r.absent,
                            "excused": r.excused,
                        },
                        reverse("compliance:participation.member", args=[member_id]),
                    )
                )
        out[branch] = MetricResult(
            rules.rate(present, expected),
            _("党员应参加组织生活%(expected)s人次，实到%(present)s人次") % {"expected": expected, "present": present},
            _limit(evidence),
        )
    return out


def study_target_share(ctx: Context, _param: str) -> dict[int, MetricResult]:
    settings, ledgers = load_ledgers(ctx.branches, ctx.year)
    out = {}
    for ledger in ledgers:
        summary = ledger.summary
        evidence = [
            _ev(
                _("%(name)s：%(hours)s学时，未达到%(target)s学时")
                % {"name": r.name, "hours": rules.fmt(r.total), "target": rules.fmt(r.target)},
                reverse("study:ledger.member", args=[r.member_id]) + f"?year={ctx.year}",
            )
            for r in ledger.rows
            if not r.met
        ]
        out[ledger.branch.pk] = MetricResult(
            rules.rate(summary.met, summary.total),
            _("党员%(total)s人，学时达标%(met)s人") % {"total": summary.total, "met": summary.met},
            _limit(evidence),
        )
    return out


def late_entry_share(ctx: Context, _param: str) -> dict[int, MetricResult]:
    unit_map = _units_of(ctx)
    counts = {b: [0, []] for b in ctx.branch_ids}
    rows = Meeting.objects.filter(
        unit_id__in=list(unit_map), archived_at__isnull=True, date__gte=ctx.start, date__lte=min(ctx.end, ctx.as_of)
    ).order_by("date", "id")
    for pk, unit_id, day, topic, late, entered_at in rows.values_list(
        "pk", "unit_id", "date", "topic", "late_entry", "entered_at"
    ):
        row = counts[unit_map[unit_id]]
        row[0] += 1
        if late:
            row[1].append(
                _ev(
                    _("%(date)s“%(topic)s”为补录（录入于%(entered)s）")
                    % {"date": day, "topic": topic, "entered": timezone.localdate(entered_at) if entered_at else "—"},
                    reverse("meetings:meeting.detail", args=[pk]),
                )
            )
    return {
        b: MetricResult(
            rules.rate(len(late), total),
            _("本年度会议记录%(total)s条，其中补录%(late)s条") % {"total": total, "late": len(late)},
            _limit(late),
        )
        for b, (total, late) in counts.items()
    }


def duty_satisfaction(ctx: Context, _param: str) -> dict[int, MetricResult]:
    """From the published result of the anonymous evaluation only: a report still open, or one
    closed with fewer voters than the minimum, has no rate (its totals are never shown) and is
    not assessable — neither 0 nor full marks, since nobody's satisfaction can be read from it
    (docs/ballots.md). A secretary who submitted no report has a rate of nothing: 0 points."""
    from assessments.models import DutyReport, ReportStatus
    from assessments.services import tallies

    reports = {
        r.unit_id: r
        for r in DutyReport.objects.filter(
            unit_id__in=ctx.branch_ids,
            year=ctx.year,
            archived_at__isnull=True,
            status__in=(ReportStatus.OPEN, ReportStatus.CLOSED),
        ).select_related("ballot")
    }
    counts = tallies(reports.values())
    out = {}
    for b in ctx.branch_ids:
        report = reports.get(b)
        if report is None:
            out[b] = MetricResult(None, _("本年度尚无提交的书记述职报告"), [_ev(_("书记尚未提交本年度抓党建述职报告"))])
            continue
        url = reverse("assessments:duty.detail", args=[report.pk])
        c = counts[report.pk]
        if c is None:
            text = (
                _("述职评议尚未结束，票数不公开")
                if report.status == ReportStatus.OPEN
                else _("述职评议投票人数少于公布所需的最少人数，不公布票数")
            )
            out[b] = MetricResult(None, text, [_ev(text, url)], assessable=False)
            continue
        text = _("述职评议：满意%(s)s票，基本满意%(b)s票，不满意%(u)s票") % {
            "s": c.get("satisfied", 0),
            "b": c.get("basically", 0),
            "u": c.get("unsatisfied", 0),
        }
        value = rules.satisfaction_rate(c)
        evidence = [_ev(text, url)] if value is None or value < rules.HUNDRED else []
        out[b] = MetricResult(value, text, evidence)
    return out


def _short(text: str, limit: int = 30) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "compliance_rate", gettext_lazy("组织生活制度落实率"), "%", rules.FULL_WHEN_EMPTY, compliance_rate, True
        ),
        Metric("closure_rate", gettext_lazy("整改事项销号率"), "%", rules.FULL_WHEN_EMPTY, closure_rate),
        Metric("overdue_count", gettext_lazy("逾期整改事项数"), "项", rules.FULL_WHEN_EMPTY, overdue_count),
        Metric(
            "participation_rate", gettext_lazy("党员参加组织生活出勤率"), "%", rules.ZERO_WHEN_EMPTY, participation_rate
        ),
        Metric("study_target_share", gettext_lazy("党员学时达标率"), "%", rules.ZERO_WHEN_EMPTY, study_target_share),
        Metric("late_entry_share", gettext_lazy("会议记录补录比例"), "%", rules.ZERO_WHEN_EMPTY, late_entry_share),
        Metric(
            "duty_satisfaction",
            gettext_lazy("书记述职评议满意率"),
            "%",
            rules.ZERO_WHEN_EMPTY,
            duty_satisfaction,
            not_assessable=gettext_lazy(
                "述职评议未结束或投票人数少于公布所需的最少人数（结果不公布）时本项不适用，总分按其余指标折算为百分制。"
            ),
        ),
    )
}


def metric_choices() -> list[tuple[str, str]]:
    return [(code, str(m.name)) for code, m in METRICS.items()]


def metric_label(code: str, param: str = "") -> str:
    m = METRICS.get(code)
    if m is None:
        return code
    if param:
        return _("%(name)s（规则：%(rule)s）") % {"name": m.name, "rule": _rule_name(param)}
    return str(m.name)


def _rule_name(code: str) -> str:
    """A rule's name (its newest version) for people; the code only if no such rule exists."""
    return Rule.objects.filter(code=code).order_by("-effective_from").values_list("name", flat=True).first() or code


def compute_all(leaves: Sequence, ctx: Context) -> dict[tuple[int, int], MetricResult]:
    """{(indicator id, branch id): result} for every automatic leaf; each metric (and parameter)
    runs once for all branches."""
    results: dict[tuple[str, str], dict[int, MetricResult]] = {}
    out = {}
    for leaf in leaves:
        key = (leaf.metric, leaf.metric_param if METRICS[leaf.metric].takes_param else "")
        if key not in results:
            results[key] = METRICS[leaf.metric].compute(ctx, key[1])
        for branch_id, result in results[key].items():
            out[(leaf.pk, branch_id)] = result
    return out


# ---------------------------------------------------------------------------------------------
# The default tree (written for this app; committee staff adapt it per year). Weights sum to 100.
# (name, method, weight, metric, param, zero_at, full_at, description, children)


def _group(name, *children) -> tuple:
    """A group of the tree: no method, weight or metric of its own."""
    return (name, "", None, "", "", None, None, "", children)


def _automatic(name, weight, metric, param, zero_at, full_at, description) -> tuple:
    """A leaf scored by ``metric``: ``zero_at`` scores 0, ``full_at`` full marks."""
    return (name, "automatic", weight, metric, param, zero_at, full_at, description, ())


def _manual(name, weight, description) -> tuple:
    """A leaf scored by hand, with the basis in ``description``."""
    return (name, "manual", weight, "", "", None, None, description, ())


DEFAULT_TREE = (
    _group(
        gettext_lazy("一、组织生活"),
        _automatic(
            gettext_lazy("“三会一课”、主题党日等制度落实"),
            20,
            "compliance_rate",
            "",
            60,
            100,
            gettext_lazy("以年度制度落实表为准，支部及所属党小组每个应落实周期计一次。"),
        ),
        _automatic(
            gettext_lazy("组织生活会召开并解决实际问题"),
            5,
            "compliance_rate",
            "life_meeting",
            0,
            100,
            gettext_lazy("组织生活会每年至少召开1次，并记录解决1至2个实际问题。"),
        ),
        _automatic(
            gettext_lazy("党员参加组织生活"),
            10,
            "participation_rate",
            "",
            60,
            95,
            gettext_lazy("按党员在支部及党小组会议的出缺席记录计算。"),
        ),
        _automatic(
            gettext_lazy("会议记录及时规范"),
            5,
            "late_entry_share",
            "",
            30,
            0,
            gettext_lazy("会后超过规定天数才录入的会议记录为补录，补录越少越好。"),
        ),
    ),
    _group(
        gettext_lazy("二、学习教育"),
        _automatic(
            gettext_lazy("党员学时达标"),
            10,
            "study_target_share",
            "",
            50,
            100,
            gettext_lazy("党员每年不少于32学时，支部委员不少于56学时。"),
        ),
        _manual(
            gettext_lazy("理论学习和读书心得交流质量"), 5, gettext_lazy("督查人员查阅学习记录、心得体会，按质量评分。")
        ),
    ),
    _group(
        gettext_lazy("三、整改落实"),
        _automatic(
            gettext_lazy("整改事项销号"),
            10,
            "closure_rate",
            "",
            0,
            100,
            gettext_lazy(
                "期限在本年度内、截至评分日已到期的整改事项（及已提前销号的事项），按截至评分日已验收销号的"
                "比例计分，得分与销号比例成正比；尚未到期且未销号的事项不计入，不因此扣分。"
            ),
        ),
        _automatic(
            gettext_lazy("整改按期完成"),
            5,
            "overdue_count",
            "",
            3,
            0,
            gettext_lazy("到期未销号或逾期才销号的整改事项，每项扣分。"),
        ),
    ),
    _group(
        gettext_lazy("四、班子建设和述职评议"),
        _automatic(
            gettext_lazy("书记抓党建述职评议"),
            10,
            "duty_satisfaction",
            "",
            60,
            95,
            gettext_lazy("党员和党委对书记述职的评议，满意和基本满意票占比。"),
        ),
        _manual(
            gettext_lazy("班子建设和“五带头”作用"),
            10,
            gettext_lazy("督查人员结合实地指导、调研访谈情况评分，须写明依据。"),
        ),
    ),
    _group(
        gettext_lazy("五、作用发挥"),
        _manual(gettext_lazy("服务中心工作和联系服务群众"), 5, gettext_lazy("结合志愿服务、为群众办实事等情况评分。")),
        _manual(gettext_lazy("党建特色和示范引领"), 5, gettext_lazy("党建品牌、示范点、示范岗创建情况。")),
    ),
)
