"""State changes of recognition: every one checks its preconditions, runs in a transaction, writes
the audit entry and returns the object. Moves follow the tables in ``recognition.rules``."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import holidays
from common.archiving import set_archived
from common.audit import log_action, snapshot
from common.concurrency import save_with_version, update_with_version
from common.errors import DomainError
from common.workflow import move_status
from members.models import Member
from recognition import record_figures, rules, workdays
from recognition.certificate import certificate_docx
from recognition.models import (
    DEFAULT_NOTICE_DAYS,
    Duty,
    FiveLeadsNote,
    FourStrong,
    FourStrongAssessment,
    FourStrongCriterion,
    Nomination,
    NominationKind,
    NominationReview,
    NoticeStatus,
    ReviewMethod,
    WorkdayCalendar,
)
from recognition.scorecard import branch_of_seat


class RecognitionError(DomainError):
    """A refused change; ``field`` names the form field it concerns ("" for the whole form)."""


def _unit_of(obj):
    return obj.unit


# ---------------------------------------------------------------------------------------------
# Working-day calendar


def calendar_sets(start: datetime.date, end: datetime.date) -> tuple[set[datetime.date], set[datetime.date]]:
    """(holidays, adjusted workdays) between ``start`` and ``end`` (``common.holidays``)."""
    return holidays.calendar_sets(start, end)


def compute_notice_end(start: datetime.date, days: int) -> datetime.date:
    """Last day of a notice of ``days`` working days from ``start`` under the calendar."""
    holidays, adjusted = calendar_sets(start, start + datetime.timedelta(days=days * 3 + 30))
    return workdays.notice_end(start, days, holidays, adjusted)


CALENDAR_FIELDS = ["date", "is_workday", "note"]


def save_calendar_day(day: WorkdayCalendar | None, data: dict, *, actor, version: int | None = None) -> WorkdayCalendar:
    with transaction.atomic():
        if day is None:
            if WorkdayCalendar.objects.filter(date=data["date"]).exists():
                raise RecognitionError(_("日期：%(date)s 已有安排，请修改该条。") % {"date": data["date"]}, "date")
            day = WorkdayCalendar.objects.create(**{k: data[k] for k in CALENDAR_FIELDS})
            log_action("recognition.calendar.created", actor=actor, obj=day, data=snapshot(day, CALENDAR_FIELDS))
            return day
        if data["date"] != day.date and WorkdayCalendar.objects.filter(date=data["date"]).exclude(pk=day.pk).exists():
            raise RecognitionError(_("日期：%(date)s 已有安排，请修改该条。") % {"date": data["date"]}, "date")
        values = {k: data[k] for k in CALENDAR_FIELDS}
        changes = update_with_version(day, values, CALENDAR_FIELDS, version if version is not None else day.version)
        log_action("recognition.calendar.changed", actor=actor, obj=day, changes=changes)
        return day


# ---------------------------------------------------------------------------------------------
# 五带头 notes


def add_note(member, year: int, data: dict, *, actor) -> FiveLeadsNote:
    text = (data.get("text") or "").strip()
    if not text:
        raise RecognitionError(_("说明：请填写说明。"), "text")
    if data.get("duty") not in Duty.values:
        raise RecognitionError(_("带头事项：请选择带头事项。"), "duty")
    with transaction.atomic():
        note = FiveLeadsNote.objects.create(
            member=member,
            year=year,
            duty=data["duty"],
            text=text,
            needs_attention=bool(data.get("needs_attention")),
            author=actor,
        )
        log_action(
            "recognition.note.created",
            actor=actor,
            obj=note,
            unit=branch_of_seat(member, year),
            data=snapshot(note, ["member", "year", "duty", "text", "needs_attention"]),
        )
        return note


def archive_note(note: FiveLeadsNote, *, actor) -> FiveLeadsNote:
    return set_archived(
        note,
        True,
        actor=actor,
        action="recognition.note.archived",
        unit=branch_of_seat(note.member, note.year),
        error=RecognitionError,
        already=_("该说明已撤回。"),
    )


# ---------------------------------------------------------------------------------------------
# 四强: criteria

CRITERION_FIELDS = ["dimension", "text", "order"]


def add_default_criteria(year: int, *, actor) -> list[FourStrongCriterion]:
    """The default sub-criteria (``rules.DEFAULT_CRITERIA``) for a year that has none."""
    if FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True).exists():
        raise RecognitionError(_("年度：%(year)s 年度已有标准，不能再载入默认标准。") % {"year": year}, "year")
    with transaction.atomic():
        rows = [
            FourStrongCriterion.objects.create(year=year, dimension=dim, text=str(text), order=i)
            for dim, texts in rules.DEFAULT_CRITERIA.items()
            for i, text in enumerate(texts, start=1)
        ]
        log_action("recognition.criteria.defaulted", actor=actor, data={"year": year, "count": len(rows)})
        return rows


def add_criterion(year: int, data: dict, *, actor) -> FourStrongCriterion:
    _check_year_editable(year)
    with transaction.atomic():
        c = FourStrongCriterion.objects.create(year=year, **{k: data[k] for k in CRITERION_FIELDS})
        log_action("recognition.criterion.created", actor=actor, obj=c, data=snapshot(c, ["year", *CRITERION_FIELDS]))
        return c


def edit_criterion(c: FourStrongCriterion, data: dict, *, actor, version: int) -> FourStrongCriterion:
    _check_year_editable(c.year)
    with transaction.atomic():
        changes = update_with_version(c, {k: data[k] for k in CRITERION_FIELDS}, CRITERION_FIELDS, version)
        log_action("recognition.criterion.changed", actor=actor, obj=c, changes=changes)
        return c


def archive_criterion(c: FourStrongCriterion, *, actor) -> FourStrongCriterion:
    _check_year_editable(c.year)
    return set_archived(c, True, actor=actor, action="recognition.criterion.archived")


def _check_year_editable(year: int) -> None:
    """Criteria are fixed once a branch of the year has submitted its self-assessment."""
    if FourStrong.objects.filter(year=year).exclude(status=NoticeStatus.DRAFT).exists():
        raise RecognitionError(_("标准：%(year)s 年度已有支部提交自评，标准不能再修改。") % {"year": year})


# ---------------------------------------------------------------------------------------------
# 四强: the branch's application


def create_four_strong(unit, year: int, *, actor) -> FourStrong:
    criteria = list(FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True))
    if not criteria:
        raise RecognitionError(_("年度：%(year)s 年度尚未设定四强支部标准。") % {"year": year}, "year")
    previous = FourStrong.objects.filter(unit=unit, year=year - 1, status=NoticeStatus.NAMED).first()
    try:
        with transaction.atomic():
            app = FourStrong.objects.create(
                unit=unit, year=year, status=NoticeStatus.DRAFT, review_of=previous, created_by=actor
            )
            FourStrongAssessment.objects.bulk_create(
                FourStrongAssessment(application=app, criterion=c) for c in criteria
            )
            log_action(
                "recognition.fourstrong.created",
                actor=actor,
                obj=app,
                unit=unit,
                data={"year": year, "rereview": previous is not None},
            )
            return app
    except IntegrityError as exc:
        raise RecognitionError(_("年度：本支部 %(year)s 年度已申报四强支部。") % {"year": year}, "year") from exc


def save_self_assessment(app: FourStrong, evidence: dict[int, str], *, actor, version: int) -> FourStrong:
    if app.status != NoticeStatus.DRAFT:
        raise RecognitionError(_("状态：只有自评中的申报可以修改自评。"), "status")
    with transaction.atomic():
        changes = {}
        for row in app.assessments.select_related("criterion"):
            new = (evidence.get(row.criterion_id) or "").strip()
            if new != row.evidence:
                changes[str(row.criterion)] = [row.evidence, new]
                row.evidence = new
                row.save(update_fields=["evidence"])
        save_with_version(app, version, [])
        log_action("recognition.fourstrong.self_assessed", actor=actor, obj=app, unit=app.unit, changes=changes)
        return app


def _table(obj):
    return rules.FOUR_STRONG_MOVES if isinstance(obj, FourStrong) else rules.NOMINATION_MOVES


def _code(obj) -> str:
    return "fourstrong" if isinstance(obj, FourStrong) else "nomination"


def _move(obj, move: str, target: str, done: str, *, actor, data: dict | None = None, fields=()):
    """Move ``obj`` (a 四强 application or a nomination) by ``move`` of its table to ``target``
    and log ``recognition.<fourstrong|nomination>.<done>``."""
    old = obj.get_status_display()
    with transaction.atomic():
        move_status(
            obj,
            target,
            moves={(source, target) for source in _table(obj)[move][0]},
            actor=actor,
            error=RecognitionError,
            refused=_("状态：当前状态“%(status)s”不能进行此操作。"),
            field="status",
            fields=fields,
        )
        log_action(
            f"recognition.{_code(obj)}.{done}",
            actor=actor,
            obj=obj,
            unit=_unit_of(obj),
            changes={"status": [old, obj.get_status_display()]},
            data=data or {},
        )
    return obj


def submit_four_strong(app: FourStrong, *, actor) -> FourStrong:
    missing = [str(r.criterion) for r in app.assessments.select_related("criterion") if not r.evidence.strip()]
    if missing:
        raise RecognitionError(
            _("自评情况及佐证：以下标准尚未填写自评：%(items)s") % {"items": "；".join(missing)}, "evidence"
        )
    return _move(app, "submit", NoticeStatus.SUBMITTED, "submitted", actor=actor)


def return_four_strong(app: FourStrong, reason: str, *, actor) -> FourStrong:
    if not reason.strip():
        raise RecognitionError(_("处理意见：退回须说明理由。"), "reason")
    app.decision_note = reason.strip()
    return _move(
        app,
        "return",
        NoticeStatus.DRAFT,
        "returned",
        actor=actor,
        data={"reason": reason.strip()},
        fields=["decision_note"],
    )


def review_four_strong(app: FourStrong, results: dict[int, tuple[bool | None, str]], *, actor) -> FourStrong:
    """The committee's review: pass / not pass per sub-criterion with a comment. All passed →
    审核通过 (then 公示); any not passed → 未通过."""
    if not rules.move_allowed(rules.FOUR_STRONG_MOVES, "review", app.status):
        raise RecognitionError(_("状态：只有待审核的申报可以审核。"), "status")
    rows = list(app.assessments.select_related("criterion"))
    undecided = [str(r.criterion) for r in rows if results.get(r.criterion_id, (None, ""))[0] is None]
    if undecided:
        raise RecognitionError(
            _("审核结果：以下标准尚未给出审核结果：%(items)s") % {"items": "；".join(undecided)}, "review"
        )
    failed_without_comment = [
        str(r.criterion) for r in rows if results[r.criterion_id][0] is False and not results[r.criterion_id][1].strip()
    ]
    if failed_without_comment:
        raise RecognitionError(
            _("审核意见：未通过的标准须写明意见：%(items)s") % {"items": "；".join(failed_without_comment)}, "review"
        )
    # A pass the records contradict (record_figures) stands only with the reviewer's reason.
    against = record_figures.contradicted(record_figures.criterion_figures(app))
    passed_against = [r for r in rows if r.criterion_id in against and results[r.criterion_id][0] is True]
    unexplained = [str(r.criterion) for r in passed_against if not results[r.criterion_id][1].strip()]
    if unexplained:
        raise RecognitionError(
            _("审核意见：以下标准的记录数据与“通过”不符，判定通过须写明理由：%(items)s")
            % {"items": "；".join(unexplained)},
            "review",
        )
    with transaction.atomic():
        for r in rows:
            r.review_passed, comment = results[r.criterion_id]
            r.review_comment = comment.strip()
            r.save(update_fields=["review_passed", "review_comment"])
        passed = all(results[r.criterion_id][0] for r in rows)
        target = NoticeStatus.PASSED if passed else NoticeStatus.FAILED
        return _move(
            app,
            "review",
            target,
            "reviewed",
            actor=actor,
            data={
                "passed": sum(1 for r in rows if r.review_passed),
                "total": len(rows),
                **({"passed_against_records": [r.criterion.text for r in passed_against]} if passed_against else {}),
            },
        )


def lapse_unreviewed(today: datetime.date, *, actor=None) -> list[FourStrong]:
    """Mark 已失效 every naming whose re-review year is over without a naming for that year."""
    named = list(FourStrong.objects.filter(status=NoticeStatus.NAMED, year__lt=today.year - 1).select_related("unit"))
    renamed = set(FourStrong.objects.filter(status=NoticeStatus.NAMED).values_list("unit_id", "year"))
    lapsed = []
    with transaction.atomic():
        for app in named:
            if rules.lapses_on(app.year, {y for u, y in renamed if u == app.unit_id}, today):
                _move(
                    app,
                    "lapse",
                    NoticeStatus.LAPSED,
                    "lapsed",
                    actor=actor,
                    data={"rereview_year": app.year + 1},
                )
                lapsed.append(app)
    return lapsed


# ---------------------------------------------------------------------------------------------
# Public notice (公示) and naming, shared by 四强 and nominations


def start_notice(obj, start: datetime.date, days: int = DEFAULT_NOTICE_DAYS, *, actor):
    if days < 1 or days > 30:
        raise RecognitionError(_("公示期（工作日）：须在 1 至 30 个工作日之间。"), "notice_days")
    obj.notice_start = start
    obj.notice_days = days
    obj.notice_end = compute_notice_end(start, days)
    return _move(
        obj,
        "notice",
        NoticeStatus.NOTICED,
        "noticed",
        actor=actor,
        data={"notice_start": start.isoformat(), "notice_days": days, "notice_end": obj.notice_end.isoformat()},
        fields=["notice_start", "notice_days", "notice_end"],
    )


def record_objection(obj, text: str, *, actor):
    if not text.strip():
        raise RecognitionError(_("公示异议：请填写异议内容。"), "objection")
    obj.objection = text.strip()
    obj.objection_at = timezone.now()
    return _move(
        obj,
        "object",
        NoticeStatus.OBJECTED,
        "objected",
        actor=actor,
        data={"objection": obj.objection},
        fields=["objection", "objection_at"],
    )


def name_recognition(obj, today: datetime.date, *, actor):
    errors = rules.naming_errors(status=obj.status, notice_end=obj.notice_end, objection=obj.objection, today=today)
    if errors:
        raise RecognitionError(errors[0], "status")
    obj.named_on = today
    return _move(
        obj,
        "name",
        NoticeStatus.NAMED,
        "named",
        actor=actor,
        data={"named_on": today.isoformat()},
        fields=["named_on"],
    )


def reject(obj, reason: str, *, actor):
    if not reason.strip():
        raise RecognitionError(_("处理意见：请说明不予命名的理由。"), "reason")
    obj.decision_note = reason.strip()
    return _move(
        obj,
        "reject",
        NoticeStatus.FAILED,
        "rejected",
        actor=actor,
        data={"reason": obj.decision_note},
        fields=["decision_note"],
    )


# ---------------------------------------------------------------------------------------------
# Demonstration sites and model posts

NOMINATION_FIELDS = ["kind", "unit", "year", "member", "title", "reason", "evidence", "method", "pass_mark"]


def nominate(unit, data: dict, *, actor) -> Nomination:
    kind = data.get("kind")
    member = data.get("member")
    if kind == NominationKind.MODEL_POST and member is None:
        raise RecognitionError(_("党员：推荐党员示范岗须选择党员。"), "member")
    if kind == NominationKind.DEMO_SITE:
        member = None
    if member is not None:
        day = datetime.date(data["year"], 12, 31)
        if not Member.objects.in_unit_on(unit, min(day, timezone.localdate())).filter(pk=member.pk).exists():
            raise RecognitionError(_("党员：%(name)s 不是本支部党员。") % {"name": member.name}, "member")
    if not (data.get("reason") or "").strip():
        raise RecognitionError(_("推荐理由：请填写推荐理由。"), "reason")
    with transaction.atomic():
        n = Nomination.objects.create(
            unit=unit,
            year=data["year"],
            kind=kind,
            member=member,
            title=data["title"].strip(),
            reason=data["reason"].strip(),
            evidence=(data.get("evidence") or "").strip(),
            method=data.get("method") or ReviewMethod.SCORE,
            pass_mark=data.get("pass_mark") or 80,
            status=NoticeStatus.NOMINATED,
            created_by=actor,
        )
        log_action("recognition.nomination.created", actor=actor, obj=n, unit=unit, data=snapshot(n, NOMINATION_FIELDS))
        return n


def open_review(n: Nomination, *, actor) -> Nomination:
    return _move(n, "open_review", NoticeStatus.REVIEWING, "review_opened", actor=actor)


def review_nomination(n: Nomination, data: dict, *, actor) -> NominationReview:
    """A reviewer's points (0–100) or vote; one per reviewer, changeable while reviewing."""
    if not rules.move_allowed(rules.NOMINATION_MOVES, "review", n.status):
        raise RecognitionError(_("状态：只有评审中的推荐可以打分或表决。"), "status")
    values = {"comment": (data.get("comment") or "").strip(), "points": None, "agree": None}
    if n.method == ReviewMethod.SCORE:
        points = data.get("points")
        if points is None or not 0 <= points <= 100:
            raise RecognitionError(_("分数：请填写 0 至 100 之间的分数。"), "points")
        values["points"] = points
    else:
        if data.get("agree") not in (True, False):
            raise RecognitionError(_("同意：请选择同意或不同意。"), "agree")
        values["agree"] = data["agree"]
    with transaction.atomic():
        review, created = NominationReview.objects.update_or_create(nomination=n, reviewer=actor, defaults=values)
        log_action(
            "recognition.nomination.reviewed",
            actor=actor,
            obj=n,
            unit=n.unit,
            data={"points": values["points"], "agree": values["agree"], "again": not created},
        )
        return review


def nomination_tally(n: Nomination) -> rules.ReviewTally:
    rows = list(n.reviews.values_list("points", "agree"))
    return rules.tally(
        n.method, [p for p, _a in rows if p is not None], [a for _p, a in rows if a is not None], n.pass_mark
    )


def decide_nomination(n: Nomination, *, actor) -> Nomination:
    if not rules.move_allowed(rules.NOMINATION_MOVES, "decide", n.status):
        raise RecognitionError(_("状态：只有评审中的推荐可以确定评审结果。"), "status")
    result = nomination_tally(n)
    if result.count == 0:
        raise RecognitionError(_("评审意见：尚无评审人打分或表决。"), "reviews")
    with transaction.atomic():
        target = NoticeStatus.PASSED if result.passed else NoticeStatus.FAILED
        return _move(
            n,
            "decide",
            target,
            "decided",
            actor=actor,
            data={
                "count": result.count,
                "average": str(result.average) if result.average is not None else None,
                "agree": result.agree,
                "passed": result.passed,
            },
        )


def export_certificate(n: Nomination, *, actor) -> bytes:
    if n.status != NoticeStatus.NAMED:
        raise RecognitionError(_("状态：命名后才能打印荣誉证书。"), "status")
    content = certificate_docx(n, exported_by=actor, exported_at=timezone.localtime())
    log_action("recognition.nomination.exported", actor=actor, obj=n, unit=n.unit, data={"format": "docx"})
    return content
