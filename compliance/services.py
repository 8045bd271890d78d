"""Compliance services: the table (facts fetched set-based, judged by the pure engine) and
the rule versions committee staff add, tighten and retire."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import rules as committee_rules
from committees.models import CommitteeRole, TermMember, TermStatus
from common.audit import log_action
from common.errors import DomainError
from compliance import engine
from compliance.models import Condition, Period, Rule, UnitLevel
from meetings.models import MONTH_FIELDS, BuiltinKind, Meeting, MeetingCount, MeetingKind, MeetingProblem
from organizations.models import Unit, UnitKind

JUDGED_KINDS = (UnitKind.BRANCH, UnitKind.PARTY_GROUP)


class RuleError(DomainError):
    """A refused rule change; ``field`` names the form field the message belongs to."""


# ---------------------------------------------------------------------------------------------
# Facts for the engine: a fixed number of queries, whatever the number of units.


def unit_facts(units=None) -> list[engine.UnitFact]:
    """Branches and party groups (of ``units`` if given), not archived, sorted by name."""
    qs = (Unit.objects.all() if units is None else units).filter(kind__in=JUDGED_KINDS, archived_at__isnull=True)
    rows = qs.values_list("id", "name", "kind", "founded_on", "dissolved_on", "parent_id")
    facts = [engine.UnitFact(*row) for row in rows]
    facts.sort(key=lambda u: u.name)
    return facts


def rule_facts(rules=None) -> list[engine.RuleFact]:
    qs = Rule.objects.all() if rules is None else rules
    return [rule_fact(r) for r in qs.select_related("kind")]


def rule_fact(r: Rule) -> engine.RuleFact:
    return engine.RuleFact(
        code=r.code,
        name=r.name,
        kind_code=r.kind.code,
        kind_name=r.kind.name,
        unit_level=r.unit_level,
        period=r.period,
        min_count=r.min_count,
        effective_from=r.effective_from,
        retired_on=r.retired_on,
        condition=r.condition,
        params=r.params or {},
        id=r.pk,
    )


def meeting_facts(
    start: datetime.date, end: datetime.date, units=None, *, problem_kinds=()
) -> list[engine.MeetingFact]:
    """Meetings (not archived) dated in [start, end], with their kind codes: one query over the
    kinds' through table, and one for the problem counts of meetings of ``problem_kinds``."""
    through = Meeting.kinds.through
    rows = through.objects.filter(meeting__date__gte=start, meeting__date__lte=end, meeting__archived_at__isnull=True)
    meetings = Meeting.objects.filter(date__gte=start, date__lte=end, archived_at__isnull=True)
    if units is not None:
        rows = rows.filter(meeting__unit__in=units.values("pk"))
        meetings = meetings.filter(unit__in=units.values("pk"))
    problems = {}
    if problem_kinds:
        problems = dict(
            meetings.filter(kinds__code__in=problem_kinds)
            .annotate(problem_count=Count("problems", distinct=True))
            .values_list("id", "problem_count")
        )
    rows = rows.order_by("meeting_id").values_list(
        "meeting_id", "meeting__unit_id", "meeting__date", "meeting__lecturer_id", "meetingkind__code"
    )
    # Consecutive rows of one meeting become one fact; kind sets and dates are shared objects,
    # so a year of a large committee's meetings stays small in memory.
    kind_sets: dict[tuple, frozenset] = {}
    facts: list[engine.MeetingFact] = []
    current = None
    codes: list[str] = []

    def flush():
        key = tuple(sorted(codes))
        kinds = kind_sets.setdefault(key, frozenset(key))
        mid, unit_id, day, lecturer = current
        facts.append(engine.MeetingFact(mid, unit_id, day, kinds, lecturer, problems.get(mid, 0)))

    for mid, unit_id, day, lecturer, code in rows.iterator(chunk_size=5000):
        if current is None or current[0] != mid:
            if current is not None:
                flush()
            current = (mid, unit_id, day, lecturer)
            codes = []
        codes.append(code)
    if current is not None:
        flush()
    return facts


def secretary_seats(units=None) -> dict[int, list[tuple[int, datetime.date, datetime.date | None]]]:
    """unit_id → [(member_id, first day, last day or None)] of secretaries of current and past terms.

    A past term without an end date is taken to have run its full length."""
    qs = TermMember.objects.filter(
        role=CommitteeRole.SECRETARY,
        term__status__in=(TermStatus.CURRENT, TermStatus.ENDED),
        term__archived_at__isnull=True,
    )
    if units is not None:
        qs = qs.filter(term__unit__in=units.values("pk"))
    seats: dict[int, list] = {}
    for unit_id, member_id, elected_on, ended_on, years, status in qs.values_list(
        "term__unit_id", "member_id", "term__elected_on", "term__ended_on", "term__term_years", "term__status"
    ):
        if status == TermStatus.CURRENT:
            end = ended_on
        else:
            end = ended_on or committee_rules.term_expires_on(elected_on, years)
        seats.setdefault(unit_id, []).append((member_id, elected_on, end))
    return seats


def load_facts(year: int, units=None):
    """(units, rules, meetings, secretaries) for ``year``: five queries in all."""
    rules = rule_facts()
    problem_kinds = sorted({r.kind_code for r in rules if r.condition == engine.PROBLEMS_RECORDED})
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        unit_facts(units),
        rules,
        meeting_facts(start, end, units, problem_kinds=problem_kinds),
        secretary_seats(units),
    )


def meeting_tally(year: int, rules: list[engine.RuleFact], units=None) -> engine.Tally:
    """The year's meetings (not archived), counted: two queries.

    The monthly counts per (unit, kind) are read from ``meetings.MeetingCount``, which the
    meeting services keep in step with the records; the kinds a rule with a condition counts
    (党课 for 书记讲党课, 组织生活会 for the problems recorded) are also read meeting by meeting
    (a few per unit and year), with the date, the lecturer and the number of problems recorded
    (a subquery), which the engine checks against the condition."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    wanted = sorted({r.kind_code for r in rules})
    conditional = sorted({r.kind_code for r in rules if r.condition})
    monthly: dict[tuple[int, str], tuple[int, ...]] = {}
    if wanted:
        kept = MeetingCount.objects.filter(year=year, kind__code__in=wanted).order_by()
        if units is not None:
            kept = kept.filter(unit__in=units.values("pk"))
        for unit_id, code, *months in kept.values_list("unit_id", "kind__code", *MONTH_FIELDS):
            monthly[(unit_id, code)] = (0, *months)
    details: dict[tuple[int, str], list] = {}
    if conditional:
        rows = Meeting.kinds.through.objects.filter(
            meeting__date__gte=start,
            meeting__date__lte=end,
            meeting__archived_at__isnull=True,
            meetingkind__code__in=conditional,
        ).order_by()
        if units is not None:
            rows = rows.filter(meeting__unit__in=units.values("pk"))
        problems = Subquery(
            MeetingProblem.objects.filter(meeting_id=OuterRef("meeting_id"))
            .order_by()
            .values("meeting_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        )
        needs_problems = any(r.condition == engine.PROBLEMS_RECORDED for r in rules)
        detail_rows = rows.annotate(problem_count=Coalesce(problems, 0) if needs_problems else Value(0)).values_list(
            "meeting__unit_id", "meetingkind__code", "meeting__date", "meeting__lecturer_id", "problem_count"
        )
        for unit_id, code, day, lecturer_id, problem_count in detail_rows:
            details.setdefault((unit_id, code), []).append((day, lecturer_id, problem_count, 1))
    return engine.Tally(monthly, details)


def count_facts(year: int, units=None):
    """(units, rules, counted meetings, secretaries) for ``year``, what ``engine.evaluate_counts``
    judges: five queries whatever the number of units — units, rules, the meetings counted per
    unit, kind and month (kept in meetings.MeetingCount), the meetings a conditional rule must
    look at one by one, and the secretaries' seats."""
    rules = rule_facts()
    return unit_facts(units), rules, meeting_tally(year, rules, units), secretary_seats(units)


def compliance_table(year: int, *, as_of: datetime.date, units=None) -> list[engine.Cell]:
    """Every cell of ``year`` up to ``as_of``'s period, sorted by unit name, rule code, period.

    ``units`` restricts to a Unit queryset (e.g. a subtree); by default every unit. Five queries
    (``count_facts``)."""
    return engine.evaluate_counts(*count_facts(year, units), year=year, as_of=as_of)


# ---------------------------------------------------------------------------------------------
# Rules as data.

VERSION_FIELDS = ("name", "period", "min_count", "condition", "params", "source", "effective_from", "note")


def _check_rule_data(data: dict, *, today: datetime.date) -> None:
    if not (data.get("name") or "").strip():
        raise RuleError(_("请填写规则名称。"), "name")
    if data.get("period") not in Period.values:
        raise RuleError(_("请选择周期（每月、每季度或每年）。"), "period")
    if not isinstance(data.get("min_count"), int) or data["min_count"] < 1:
        raise RuleError(_("最少次数至少为1次。"), "min_count")
    if (data.get("condition") or "") not in Condition.values:
        raise RuleError(_("附加条件无法识别。"), "condition")
    if not (data.get("source") or "").strip():
        raise RuleError(_("请填写规则依据（文件或讲话出处）。"), "source")
    params = data.get("params") or {}
    if data.get("condition") == Condition.PROBLEMS_RECORDED:
        low, high = params.get("min"), params.get("max")
        if low is None and high is None:
            raise RuleError(_("“记录解决的实际问题”须填写问题数的下限或上限。"), "params")
        if low is not None and high is not None and low > high:
            raise RuleError(_("问题数下限不能大于上限。"), "params")
    effective_from = data.get("effective_from")
    if not isinstance(effective_from, datetime.date):
        raise RuleError(_("请填写生效日期。"), "effective_from")
    if effective_from < today:
        raise RuleError(
            _("生效日期不能早于今天（%(today)s）：已过去的周期按当时施行的规则评判。") % {"today": today},
            "effective_from",
        )


def _version_values(data: dict) -> dict:
    values = {f: data.get(f) for f in VERSION_FIELDS}
    values["name"] = values["name"].strip()
    values["source"] = values["source"].strip()
    values["params"] = data.get("params") or {}
    values["condition"] = data.get("condition") or ""
    values["note"] = data.get("note") or ""
    return values


def _rule_changes(before: Rule | None, after: Rule) -> dict:
    fields = ("code", "kind", "unit_level", *VERSION_FIELDS)
    out = {}
    for f in fields:
        old = getattr(before, f, None) if before is not None else None
        new = getattr(after, f)
        if f == "kind":
            old, new = (str(old) if old is not None else None), str(new)
        if old != new:
            out[f] = [old, new]
    return out


@transaction.atomic
def create_rule(data: dict, *, actor, today: datetime.date | None = None) -> Rule:
    """A new rule (its first version). ``data``: code, name, kind (MeetingKind), period,
    min_count, condition, params, source, effective_from, note. The unit level follows the kind."""
    today = today or timezone.localdate()
    code = (data.get("code") or "").strip()
    if not code:
        raise RuleError(_("请填写规则代码。"), "code")
    if Rule.objects.filter(code=code).exists():
        raise RuleError(_("规则代码“%(code)s”已被使用，请换一个，或为该规则增加新版本。") % {"code": code}, "code")
    kind = data.get("kind")
    if not isinstance(kind, MeetingKind):
        raise RuleError(_("请选择会议类型。"), "kind")
    _check_rule_data(data, today=today)
    level = UnitLevel.PARTY_GROUP if kind.unit_kind == UnitKind.PARTY_GROUP else UnitLevel.BRANCH
    rule = Rule.objects.create(
        code=code,
        kind=kind,
        unit_level=level,
        created_by=actor if getattr(actor, "pk", None) else None,
        **_version_values(data),
    )
    log_action("compliance.rule.created", actor=actor, obj=rule, changes=_rule_changes(None, rule))
    return rule


def current_version(code: str) -> Rule | None:
    """The latest version of ``code`` (the one a new version is compared with)."""
    return Rule.objects.filter(code=code).select_related("kind").order_by("-effective_from").first()


@transaction.atomic
def add_rule_version(code: str, data: dict, *, actor, today: datetime.date | None = None) -> Rule:
    """Tighten (or otherwise change) a rule from a date on: a new row with a later
    effective_from. Earlier versions stay, so past periods keep being judged by them."""
    today = today or timezone.localdate()
    latest = Rule.objects.select_for_update().filter(code=code).order_by("-effective_from").first()
    if latest is None:
        raise RuleError(_("规则“%(code)s”不存在。") % {"code": code}, "code")
    _check_rule_data(data, today=today)
    if data["effective_from"] <= latest.effective_from:
        raise RuleError(
            _("新版本的生效日期须晚于现行版本的生效日期（%(date)s）。") % {"date": latest.effective_from},
            "effective_from",
        )
    values = _version_values(data)
    if all(values[f] == getattr(latest, f) for f in VERSION_FIELDS if f not in ("effective_from", "note")) and (
        latest.retired_on is None
    ):
        raise RuleError(_("新版本与现行版本完全相同，请修改周期、次数或条件。"), "__all__")
    rule = Rule.objects.create(
        code=code,
        kind=latest.kind,
        unit_level=latest.unit_level,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    log_action(
        "compliance.rule.changed",
        actor=actor,
        obj=rule,
        changes={k: v for k, v in _rule_changes(latest, rule).items() if k not in ("code", "kind", "unit_level")},
        data={"code": code, "previous_version": latest.pk},
    )
    return rule


@transaction.atomic
def retire_rule(code: str, on: datetime.date, *, actor, today: datetime.date | None = None) -> Rule:
    """Stop applying a rule to periods starting on or after ``on``; its versions stay."""
    today = today or timezone.localdate()
    versions = list(Rule.objects.select_for_update().filter(code=code).order_by("effective_from"))
    if not versions:
        raise RuleError(_("规则“%(code)s”不存在。") % {"code": code}, "code")
    if not isinstance(on, datetime.date):
        raise RuleError(_("请填写停止日期。"), "retired_on")
    if on < today:
        raise RuleError(
            _("停止日期不能早于今天（%(today)s）：已过去的周期按当时施行的规则评判。") % {"today": today},
            "retired_on",
        )
    latest = versions[-1]
    if latest.retired_on is not None and latest.retired_on <= on:
        raise RuleError(_("该规则已于%(date)s停止执行。") % {"date": latest.retired_on}, "retired_on")
    for v in versions:
        if v.retired_on is None or v.retired_on > on:
            v.retired_on = on
            v.save(update_fields=["retired_on"])
    log_action(
        "compliance.rule.retired",
        actor=actor,
        obj=latest,
        changes={"retired_on": [None, on]},
        data={"code": code},
    )
    return latest


# ---------------------------------------------------------------------------------------------
# The study-day rule, offered on the study dashboard (``compliance.study_panel``).

STUDY_DAY_RULE_CODE = "study_day"


def require_study_day(*, actor, today: datetime.date | None = None) -> Rule:
    """Add the rule 固定学习日每月至少开展1次 (branches, monthly, ≥1 meeting of kind study_day),
    in force from the first day of next month."""
    today = today or timezone.localdate()
    kind = MeetingKind.objects.filter(code=BuiltinKind.STUDY_DAY).first()
    if kind is None:
        raise RuleError(_("会议类型：缺少“固定学习日”会议类型。"))
    first_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return create_rule(
        {
            "code": STUDY_DAY_RULE_CODE,
            "name": _("固定学习日每月至少开展1次"),
            "kind": kind,
            "period": Period.MONTH,
            "min_count": 1,
            "condition": "",
            "params": {},
            "source": _("讲话二（三）：支部固定学习日"),
            "effective_from": first_next,
            "note": _("由“固定学习日”页面添加；记为“固定学习日”类型的会议即视为开展。"),
        },
        actor=actor,
        today=today,
    )


def study_day_rule_exists() -> bool:
    return Rule.objects.filter(code=STUDY_DAY_RULE_CODE).exists()
