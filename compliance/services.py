"""Compliance services: the table (facts fetched set-based, judged by the pure engine) and
the rule versions committee staff add, tighten and retire."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from committees import rules as committee_rules
from committees.models import CommitteeRole, TermMember, TermStatus
from common.audit import log_action
from common.errors import DomainError
from compliance import engine, periods
from compliance.models import AnnualDeadline, Condition, Period, Rule, UnitLevel
from meetings.models import MONTH_FIELDS, BuiltinKind, Meeting, MeetingCount, MeetingKind, MeetingProblem
from meetings.rules import ANNUAL_KINDS, default_held_for_year
from organizations.models import Unit, UnitKind

JUDGED_KINDS = (UnitKind.BRANCH, UnitKind.PARTY_GROUP)


class RuleError(DomainError):
    """A refused rule change; ``field`` names the form field the message belongs to."""


# ---------------------------------------------------------------------------------------------
# Facts for the engine: a fixed number of queries, whatever the number of units.


def unit_facts(units=None) -> list[engine.UnitFact]:
    """Branches and party groups (of ``units`` if given), not archived, sorted by name."""
    qs = (Unit.objects.all() if units is None else units).filter(kind__in=JUDGED_KINDS, archived_at__isnull=True)
    rows = qs.values_list("id", "name", "kind", "founded_on", "dissolved_on", "parent_id", "path")
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
        annual=r.kind.code in ANNUAL_KINDS and r.period == Period.YEAR,
    )


def held_for_year_q(year: int, prefix: str = "") -> Q:
    """Meetings held for the 年度 ``year``: stored so, or (a record written without it, e.g. by
    SQL) held in January or February of the next year, the default."""
    early = (datetime.date(year + 1, 1, 1), periods.last_day_of_month(year + 1, 2))
    return Q(**{f"{prefix}held_for_year": year}) | Q(
        **{f"{prefix}held_for_year__isnull": True, f"{prefix}date__range": early}
    )


def meeting_facts(
    start: datetime.date, end: datetime.date, units=None, *, problem_kinds=(), held_for: int | None = None
) -> list[engine.MeetingFact]:
    """Meetings (not archived) dated in [start, end] — and, with ``held_for``, the 组织生活会
    held for that 年度 whatever their date — with their kind codes: one query over the kinds'
    through table, and one for the problem counts of meetings of ``problem_kinds``."""
    through = Meeting.kinds.through
    dated = Q(meeting__date__gte=start, meeting__date__lte=end)
    if held_for is not None:
        dated |= held_for_year_q(held_for, "meeting__")
    rows = through.objects.filter(dated, meeting__archived_at__isnull=True)
    if units is not None:
        rows = rows.filter(meeting__unit__in=units.values("pk"))
    meetings = Meeting.objects.filter(pk__in=rows.values("meeting_id"))
    problems = {}
    if problem_kinds:
        problems = dict(
            meetings.filter(kinds__code__in=problem_kinds)
            .annotate(problem_count=Count("problems", distinct=True))
            .values_list("id", "problem_count")
        )
    rows = rows.order_by("meeting_id").values_list(
        "meeting_id",
        "meeting__unit_id",
        "meeting__date",
        "meeting__lecturer_id",
        "meeting__held_for_year",
        "meetingkind__code",
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
        mid, unit_id, day, lecturer, year_for = current
        facts.append(engine.MeetingFact(mid, unit_id, day, kinds, lecturer, problems.get(mid, 0), year_for))

    for mid, unit_id, day, lecturer, year_for, code in rows.iterator(chunk_size=5000):
        if current is None or current[0] != mid:
            if current is not None:
                flush()
            current = (mid, unit_id, day, lecturer, year_for)
            codes = []
        codes.append(code)
    if current is not None:
        flush()
    return facts


def term_facts(units=None):
    """(secretaries, terms) from the seats of current and past terms, one query.

    ``secretaries``: unit_id → [(member_id, first day, last day or None)] of the secretaries.
    ``terms``: unit_id → [(first day, last day or None, seats)] of the terms in office (whether
    the branch has a 支部委员会). A past term without an end date is taken to have run its full
    length."""
    qs = TermMember.objects.filter(
        term__status__in=(TermStatus.CURRENT, TermStatus.ENDED),
        term__archived_at__isnull=True,
    )
    if units is not None:
        qs = qs.filter(term__unit__in=units.values("pk"))
    secretaries: dict[int, list] = {}
    spans: dict[int, tuple] = {}
    sizes: dict[int, int] = {}
    for term_id, unit_id, member_id, role, elected_on, ended_on, years, status in qs.order_by().values_list(
        "term_id",
        "term__unit_id",
        "member_id",
        "role",
        "term__elected_on",
        "term__ended_on",
        "term__term_years",
        "term__status",
    ):
        if status == TermStatus.CURRENT:
            end = ended_on
        else:
            end = ended_on or committee_rules.term_expires_on(elected_on, years)
        spans[term_id] = (unit_id, elected_on, end)
        sizes[term_id] = sizes.get(term_id, 0) + 1
        if role == CommitteeRole.SECRETARY:
            secretaries.setdefault(unit_id, []).append((member_id, elected_on, end))
    terms: dict[int, list] = {}
    for term_id, (unit_id, start, end) in sorted(spans.items(), key=lambda item: (item[1][1], item[0])):
        terms.setdefault(unit_id, []).append((start, end, sizes[term_id]))
    return secretaries, terms


def secretary_seats(units=None) -> dict[int, list[tuple[int, datetime.date, datetime.date | None]]]:
    """unit_id → [(member_id, first day, last day or None)] of secretaries of current and past terms."""
    return term_facts(units)[0]


def campaign_spans(year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """(unit path, first day, last day) of the 主题实践活动 (not archived) running in ``year``."""
    return list(
        Campaign.objects.filter(
            archived_at__isnull=True,
            start_on__lte=datetime.date(year, 12, 31),
            end_on__gte=datetime.date(year, 1, 1),
        ).values_list("unit__path", "start_on", "end_on")
    )


def annual_deadline(year: int) -> datetime.date:
    """The day the 年度 ``year`` is judged at: the committee's, or the documented default."""
    found = AnnualDeadline.objects.filter(year=year).values_list("deadline", flat=True).first()
    return found or periods.default_annual_deadline(year)


def circumstances(year: int, terms) -> engine.Circumstances:
    """What decides applicability and the 年度 beyond the meetings: the terms in office (from
    ``term_facts``), and two queries — the campaigns of the year and the year's deadline."""
    return engine.Circumstances(terms=terms, campaigns=campaign_spans(year), deadline=annual_deadline(year))


def load_facts(year: int, units=None, *, as_of: datetime.date | None = None):
    """(units, rules, meetings, secretaries, circumstances) for ``year``: the meetings held by
    ``as_of`` dated in the year or held for its 年度."""
    rules = rule_facts()
    problem_kinds = sorted({r.kind_code for r in rules if r.condition == engine.PROBLEMS_RECORDED})
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    secretaries, terms = term_facts(units)
    held = circumstances(year, terms)
    last = max(end, held.deadline)
    if as_of is not None:
        last = min(last, as_of)
    meetings = [
        m
        for m in meeting_facts(start, max(end, held.deadline), units, problem_kinds=problem_kinds, held_for=year)
        if m.date <= last and (m.date.year == year or m.year_held_for == year)
    ]
    return (unit_facts(units), rules, meetings, secretaries, held)


def meeting_tally(
    year: int, rules: list[engine.RuleFact], units=None, *, as_of: datetime.date | None = None
) -> engine.Tally:
    """The year's meetings (not archived) held by ``as_of``, counted: two queries, three when
    ``as_of`` falls inside the year before today.

    The monthly counts per (unit, kind) are read from ``meetings.MeetingCount``, which the
    meeting services keep in step with the records; the kinds a rule with a condition or a 年度
    counts (党课 for 书记讲党课, 组织生活会 for the problems recorded and its 年度) are also read
    meeting by meeting (a few per unit and year), with the date, the lecturer, the number of
    problems recorded (a subquery) and the 年度, which the engine checks. The month containing
    ``as_of`` loses the meetings held after it (the table as of a day shows what the records say
    about that day); none can be dated after today, so as of today nothing is subtracted."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    wanted = sorted({r.kind_code for r in rules})
    detailed = sorted({r.kind_code for r in rules if r.condition or r.annual})
    monthly: dict[tuple[int, str], tuple[int, ...]] = {}
    if wanted:
        kept = MeetingCount.objects.filter(year=year, kind__code__in=wanted).order_by()
        if units is not None:
            kept = kept.filter(unit__in=units.values("pk"))
        for unit_id, code, *months in kept.values_list("unit_id", "kind__code", *MONTH_FIELDS):
            monthly[(unit_id, code)] = (0, *months)
        if as_of is not None and start <= as_of < min(end, timezone.localdate()):
            month_end = periods.last_day_of_month(year, as_of.month)
            later = Meeting.kinds.through.objects.filter(
                meeting__date__gt=as_of,
                meeting__date__lte=month_end,
                meeting__archived_at__isnull=True,
                meetingkind__code__in=wanted,
            ).order_by()
            if units is not None:
                later = later.filter(meeting__unit__in=units.values("pk"))
            for unit_id, code, n in later.values_list("meeting__unit_id", "meetingkind__code").annotate(n=Count("pk")):
                months = list(monthly.get((unit_id, code), (0,) * 13))
                months[as_of.month] -= n
                monthly[(unit_id, code)] = tuple(months)
    details: dict[tuple[int, str], list] = {}
    if detailed:
        dated = Q(meeting__date__gte=start, meeting__date__lte=end) | held_for_year_q(year, "meeting__")
        rows = Meeting.kinds.through.objects.filter(
            dated, meeting__archived_at__isnull=True, meetingkind__code__in=detailed
        ).order_by()
        if as_of is not None:
            rows = rows.filter(meeting__date__lte=as_of)
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
            "meeting__unit_id",
            "meetingkind__code",
            "meeting__date",
            "meeting__lecturer_id",
            "problem_count",
            "meeting__held_for_year",
        )
        for unit_id, code, day, lecturer_id, problem_count, held_for in detail_rows:
            if held_for is None:
                held_for = default_held_for_year(day)
            details.setdefault((unit_id, code), []).append((day, lecturer_id, problem_count, held_for, 1))
    return engine.Tally(monthly, details)


def count_facts(year: int, units=None, *, as_of: datetime.date | None = None):
    """(units, rules, counted meetings, secretaries, circumstances) for ``year``, what
    ``engine.evaluate_counts`` judges: seven queries whatever the number of units — units,
    rules, the meetings counted per unit, kind and month (kept in meetings.MeetingCount), the
    meetings a conditional or 年度 rule must look at one by one, the committee seats (the
    secretaries and the size of each term), the campaigns and the 年度 deadline; one more for
    an ``as_of`` before today inside the year (the meetings held after it in its month)."""
    rules = rule_facts()
    secretaries, terms = term_facts(units)
    return (
        unit_facts(units),
        rules,
        meeting_tally(year, rules, units, as_of=as_of),
        secretaries,
        circumstances(year, terms),
    )


def compliance_table(year: int, *, as_of: datetime.date, units=None) -> list[engine.Cell]:
    """Every cell of ``year`` up to ``as_of``'s period, sorted by unit name, rule code, period.

    ``units`` restricts to a Unit queryset (e.g. a subtree); by default every unit. A fixed
    number of queries (``count_facts``)."""
    return engine.evaluate_counts(*count_facts(year, units, as_of=as_of), year=year, as_of=as_of)


@transaction.atomic
def set_annual_deadline(year: int, deadline: datetime.date, *, actor, note: str = "") -> AnnualDeadline:
    """Set the day the 年度 ``year``'s 组织生活会 is judged at (committee staff). It lies between
    the 年度's last day and the end of the next year. The standings of that year are judged
    again (``compliance.receivers``)."""
    if not isinstance(deadline, datetime.date):
        raise RuleError(_("请填写截止日期。"), "deadline")
    if not (datetime.date(year, 12, 31) <= deadline <= datetime.date(year + 1, 12, 31)):
        raise RuleError(
            _("截止日期应在%(first)s至%(last)s之间：%(year)s年度的组织生活会最早在年底、最迟在次年召开。")
            % {"first": datetime.date(year, 12, 31), "last": datetime.date(year + 1, 12, 31), "year": year},
            "deadline",
        )
    row = AnnualDeadline.objects.select_for_update().filter(year=year).first()
    before = row.deadline if row is not None else periods.default_annual_deadline(year)
    if row is None:
        row = AnnualDeadline(year=year)
    row.deadline = deadline
    row.note = (note or "").strip()
    row.set_by = actor if getattr(actor, "pk", None) else None
    row.save()
    log_action(
        "compliance.deadline.set",
        actor=actor,
        obj=row,
        changes={"deadline": [before.isoformat(), deadline.isoformat()]},
        data={"year": year, **({"note": row.note} if row.note else {})},
    )
    return row


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
