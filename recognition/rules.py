"""Pure rules of recognition (no ORM): the 五带头 judgements, the status moves, the default 四强
sub-criteria, the review decision and the 四强 standing (named, due for re-review, lapsed).

五带头 thresholds (the committee's local practice; documented here so a reader sees them):

* 带头加强学习 — at least ``STUDY_MIN_ITEMS`` pieces of evidence in the year: confirmed study
  records (个人学习记录, 已确认) and reading reflections (读书心得) together.
* 带头讲党课 — lectured at least one meeting (讲课人) in the year.
* 带头参加支部组织生活 — attended at least ``ATTENDANCE_MIN_RATE`` of their branch's meetings of the
  year (present ÷ the branch's meetings); a year without branch meetings needs attention.
* 带头服务群众 — present at least once at a volunteer-service activity: a meeting of the kind
  ``volunteer_service`` (志愿服务, added by the committee as a meeting kind) or a 主题党日 whose
  topic mentions 志愿.
* 带头严于律己 — no open rectification item of category 纪律 concerning them.

Any duty with a manual note marked 需关注 needs attention whatever the records say.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STUDY_MIN_ITEMS = 2
ATTENDANCE_MIN_RATE = Decimal("0.9")
VOLUNTEER_KIND_CODE = "volunteer_service"
VOLUNTEER_WORD = "志愿"

MET = "met"
ATTENTION = "attention"

DUTIES = ("study", "lecture", "attend", "serve", "discipline")
DUTY_LABELS = {
    "study": gettext_lazy("带头加强学习"),
    "lecture": gettext_lazy("带头讲党课"),
    "attend": gettext_lazy("带头参加支部组织生活"),
    "serve": gettext_lazy("带头服务群众"),
    "discipline": gettext_lazy("带头严于律己"),
}


@dataclass(frozen=True)
class Evidence:
    """One record behind a judgement: its date, a description and (optionally) its page."""

    date: datetime.date | None
    text: str
    url: str = ""


@dataclass(frozen=True)
class NoteFact:
    text: str
    needs_attention: bool


@dataclass
class Judgement:
    duty: str
    status: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[NoteFact] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.status == MET

    @property
    def label(self) -> str:
        return str(DUTY_LABELS[self.duty])


def _apply_notes(judgement: Judgement, notes) -> Judgement:
    judgement.notes = list(notes)
    flagged = [n for n in judgement.notes if n.needs_attention]
    if flagged:
        judgement.status = ATTENTION
        judgement.summary = _("%(summary)s；有需关注的说明") % {"summary": judgement.summary}
    return judgement


def judge_study(records: list[Evidence], reflections: list[Evidence], notes=()) -> Judgement:
    count = len(records) + len(reflections)
    summary = _("已确认学习记录 %(records)s 条，读书心得 %(reflections)s 篇") % {
        "records": len(records),
        "reflections": len(reflections),
    }
    status = MET if count >= STUDY_MIN_ITEMS else ATTENTION
    return _apply_notes(Judgement("study", status, summary, [*records, *reflections]), notes)


def judge_lecture(lectures: list[Evidence], notes=()) -> Judgement:
    summary = _("讲党课 %(count)s 次") % {"count": len(lectures)}
    status = MET if lectures else ATTENTION
    return _apply_notes(Judgement("lecture", status, summary, list(lectures)), notes)


def attendance_rate(present: int, held: int) -> Decimal | None:
    if held <= 0:
        return None
    return (Decimal(present) / Decimal(held)).quantize(Decimal("0.001"))


def judge_attend(present: int, held: int, absences: list[Evidence], notes=()) -> Judgement:
    rate = attendance_rate(present, held)
    if rate is None:
        return _apply_notes(Judgement("attend", ATTENTION, _("本年度支部无会议记录")), notes)
    summary = _("支部会议 %(held)s 次，出席 %(present)s 次，出席率 %(rate)s%%") % {
        "held": held,
        "present": present,
        "rate": f"{rate * 100:.0f}",
    }
    status = MET if rate >= ATTENDANCE_MIN_RATE else ATTENTION
    return _apply_notes(Judgement("attend", status, summary, list(absences)), notes)


def is_volunteer_activity(kind_codes, topic: str) -> bool:
    """A volunteer-service activity: a meeting of the 志愿服务 kind, or a 主题党日 about 志愿 work."""
    codes = set(kind_codes)
    return VOLUNTEER_KIND_CODE in codes or ("theme_day" in codes and VOLUNTEER_WORD in (topic or ""))


def judge_serve(activities: list[Evidence], notes=()) -> Judgement:
    summary = _("参加志愿服务活动 %(count)s 次") % {"count": len(activities)}
    status = MET if activities else ATTENTION
    return _apply_notes(Judgement("serve", status, summary, list(activities)), notes)


def judge_discipline(open_items: list[Evidence], notes=()) -> Judgement:
    if open_items:
        summary = _("有 %(count)s 项纪律方面的整改事项尚未销号") % {"count": len(open_items)}
        return _apply_notes(Judgement("discipline", ATTENTION, summary, list(open_items)), notes)
    return _apply_notes(Judgement("discipline", MET, _("无未销号的纪律方面整改事项")), notes)


# ---------------------------------------------------------------------------------------------
# Status moves (the only way to move is the service, which checks this table)

FOUR_STRONG_MOVES = {
    "submit": ({"draft"}, "submitted"),
    "return": ({"submitted"}, "draft"),
    "review": ({"submitted"}, None),  # passed or failed, by the review
    "notice": ({"passed"}, "noticed"),
    "object": ({"noticed"}, "objected"),
    "name": ({"noticed"}, "named"),
    "reject": ({"objected", "passed"}, "failed"),
    "lapse": ({"named"}, "lapsed"),
}

NOMINATION_MOVES = {
    "open_review": ({"nominated"}, "reviewing"),
    "review": ({"reviewing"}, None),  # scoring / voting while reviewing
    "decide": ({"reviewing"}, None),  # passed or failed
    "notice": ({"passed"}, "noticed"),
    "object": ({"noticed"}, "objected"),
    "name": ({"noticed"}, "named"),
    "reject": ({"objected", "passed"}, "failed"),
}


def move_allowed(table: dict, move: str, status: str) -> bool:
    sources, _target = table[move]
    return status in sources


def naming_errors(*, status: str, notice_end: datetime.date | None, objection: str, today: datetime.date) -> list[str]:
    """Why a record may not be named today (empty: it may). Named only after the notice ended
    (the day after its last working day) with no objection recorded."""
    errors = []
    if objection.strip() or status == "objected":
        errors.append(_("公示期间有异议，不能命名。"))
    elif status != "noticed":
        errors.append(_("尚未公示，不能命名。"))
    elif notice_end is None or today <= notice_end:
        errors.append(
            _("公示期至 %(end)s 结束，公示期满后方可命名。") % {"end": notice_end.isoformat() if notice_end else "—"}
        )
    return errors


# ---------------------------------------------------------------------------------------------
# Review of nominations


@dataclass(frozen=True)
class ReviewTally:
    count: int
    average: Decimal | None
    agree: int
    disagree: int
    passed: bool


def tally(method: str, points: list[int], votes: list[bool], pass_mark: int) -> ReviewTally:
    """Scoring passes when the average reaches ``pass_mark``; voting when more than half agree."""
    if method == "vote":
        agree = sum(1 for v in votes if v)
        disagree = len(votes) - agree
        return ReviewTally(len(votes), None, agree, disagree, bool(votes) and agree * 2 > len(votes))
    if not points:
        return ReviewTally(0, None, 0, 0, False)
    average = (Decimal(sum(points)) / Decimal(len(points))).quantize(Decimal("0.1"))
    return ReviewTally(len(points), average, 0, 0, average >= pass_mark)


# ---------------------------------------------------------------------------------------------
# 四强: the default sub-criteria and the standing of a named branch

DEFAULT_CRITERIA = {
    "political": (
        gettext_lazy("坚持把党的政治建设摆在首位，认真落实“第一议题”制度，及时传达学习上级重要会议和文件精神。"),
        gettext_lazy("严格执行“三会一课”、主题党日、组织生活会等制度，组织生活规范、记录完整。"),
        gettext_lazy("全年无违反政治纪律和政治规矩的问题，意识形态工作责任制落实到位。"),
    ),
    "leadership": (
        gettext_lazy("支部委员会按期换届，职数配备齐全，分工明确，书记履行第一责任人职责。"),
        gettext_lazy("支委成员落实“五带头”要求，年度学时达到规定要求。"),
        gettext_lazy("支委会每月至少召开一次，重要事项集体研究决定。"),
    ),
    "team": (
        gettext_lazy("党员教育管理规范，开展民主评议党员，党员参加组织生活出席率较高。"),
        gettext_lazy("按规定发展党员、转接组织关系，党费按时足额收缴。"),
        gettext_lazy("开展读书心得交流等学习活动，党员学习记录完整。"),
    ),
    "role": (
        gettext_lazy("党建与业务工作深度融合，本部门年度重点工作任务完成良好。"),
        gettext_lazy("设立党员示范岗或开展志愿服务，党员在急难险重任务中发挥先锋模范作用。"),
        gettext_lazy("组织生活会查摆的问题整改到位，整改事项按期销号。"),
    ),
}

NAMED = "named"
DUE = "due"
LAPSED = "lapsed"


def four_strong_standing(named_years: set[int], year: int) -> tuple[str | None, int | None]:
    """The 四强 standing of a branch in ``year`` given the years it was named for.

    A branch named for year Y holds the title through Y+1, in which it must be re-reviewed (and
    named again for Y+1). Returns (NAMED, Y) when named for ``year``; (DUE, Y) when named for
    ``year`` − 1 only (re-review due this year); (LAPSED, Y) when its last naming Y is older;
    (None, None) if never named.
    """
    past = [y for y in named_years if y <= year]
    if not past:
        return None, None
    last = max(past)
    if last == year:
        return NAMED, last
    if last == year - 1:
        return DUE, last
    return LAPSED, last


def lapses_on(named_year: int, renamed_years: set[int], today: datetime.date) -> bool:
    """A naming for ``named_year`` lapses once the re-review year (``named_year`` + 1) is over
    without a naming for it."""
    return today.year > named_year + 1 and (named_year + 1) not in renamed_years
