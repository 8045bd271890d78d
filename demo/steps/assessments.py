"""Demo assessment for ``seed_demo``: last year (``today.year - 1``) assessed and published, and
this year's indicator set open (unpublished).

For last year: the default indicator tree; every branch secretary's duty report, submitted and
evaluated (the committee's staff and inspector, and the branch members who have a login), then
closed — four branches have at least the three voters a published result needs (docs/ballots.md)
and show their counts and satisfaction rate; 机关第五党支部, whose only login is its secretary, has
two and its result is withheld, so its satisfaction leaf is 不适用 and its total is rescaled; the
automatic leaves computed from the demo records; the manual leaves scored by the inspector with
evidence and a comment; the year published. Everything goes through the services,
so the score history and the audit log tell the story. Running twice adds nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import permissions, services
from assessments.models import Choice, DutyReport, IndicatorSet, Method, Score
from committees.models import CommitteeRole, TermMember, TermStatus
from demo.steps.organisation import demo_committee
from organizations.models import Unit, UnitKind

REPORT_TEXT = (
    "一、履行第一责任人职责情况。年初召开支委会研究制定支部年度党建工作计划，"
    "按月召开支委会，按季度召开党员大会和讲授党课，主题党日每月开展。\n"
    "二、抓理论学习情况。依托支部固定学习日组织党员集中学习党章和《中国共产党支部工作条例（试行）》，"
    "开展读书心得交流。\n"
    "三、存在的问题。个别月份会议记录录入不及时，部分党员学时未达到要求，整改事项跟踪还不够紧。\n"
    "四、下一步打算。严格落实“三会一课”，加强会议记录规范，督促整改事项按期销号。"
)

# Manual scores per branch (by tree order) as a share of the leaf's weight, with the inspector's note.
MANUAL = (
    (1.0, "理论学习扎实，心得体会质量较高。", ""),
    (0.8, "查阅学习记录和心得，内容较充实。", "个别心得体会篇幅较短，联系实际不够。"),
    (0.9, "实地指导中查看班子分工和“五带头”记录。", "班子成员讲党课次数偏少。"),
    (0.7, "调研访谈党员3人，查阅志愿服务记录。", "服务群众活动形式较单一。"),
    (0.6, "查阅支部工作台账。", "党建特色工作尚未形成品牌，示范引领作用不明显。"),
)
# How the committee's staff and inspector vote on each branch's report (by tree order).
VOTES = (
    (Choice.SATISFIED, Choice.SATISFIED),
    (Choice.SATISFIED, Choice.BASICALLY),
    (Choice.BASICALLY, Choice.SATISFIED),
    (Choice.SATISFIED, Choice.SATISFIED),
    (Choice.BASICALLY, Choice.UNSATISFIED),
)
# How the branch's members with a login vote (by tree order): in 机关第二党支部 one is not satisfied.
MEMBER_VOTES = (Choice.SATISFIED, Choice.UNSATISFIED, Choice.SATISFIED, Choice.BASICALLY, Choice.SATISFIED)


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("考核评价：演示组织尚未载入，未添加。")
    User = get_user_model()
    staff = User.objects.filter(username="staff").first()
    inspector = User.objects.filter(username="inspector").first()
    if staff is None or inspector is None:
        return _("考核评价：缺少演示账号 staff / inspector，未添加。")
    year = today.year - 1
    added_current = False
    if not IndicatorSet.objects.filter(year=today.year).exists():
        services.create_indicator_set(today.year, actor=staff)
        added_current = True
    if IndicatorSet.objects.filter(year=year).exists():
        if added_current:
            return _("考核评价：已建立%(year)s年度指标体系（未发布）。") % {"year": today.year}
        return _("考核评价：演示考核已存在，未重复添加。")
    branches = list(Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH).active().order_by("path"))
    with transaction.atomic():
        reports = _duty_reports(branches, year, staff, inspector)
        indicator_set = services.create_indicator_set(year, actor=staff)
        services.recompute_year(indicator_set, actor=staff, today=today)
        _manual_scores(indicator_set, branches, inspector)
        services.publish_year(indicator_set, actor=staff, today=today)
    return _(
        "考核评价：%(year)s年度%(n)s个党支部考核已发布（自动指标依据记录计算，人工指标附评分依据），"
        "书记述职报告%(reports)s份并完成评议；%(current)s年度指标体系未发布。"
    ) % {"year": year, "n": len(branches), "reports": reports, "current": today.year}


def _duty_reports(branches, year: int, staff, inspector) -> int:
    User = get_user_model()
    count = 0
    for index, branch in enumerate(branches):
        seat = (
            TermMember.objects.filter(
                term__unit=branch,
                term__status__in=(TermStatus.CURRENT, TermStatus.ENDED),
                role=CommitteeRole.SECRETARY,
                member__user__isnull=False,
            )
            .select_related("member__user")
            .order_by("-term__elected_on")
            .first()
        )
        if seat is None or DutyReport.objects.active().filter(unit=branch, year=year).exists():
            continue
        reporter = seat.member
        report = services.create_duty_report(
            branch,
            reporter,
            {
                "year": year,
                "title": _("%(unit)s书记%(year)s年度抓党建工作述职报告") % {"unit": branch.name, "year": year},
                "text": REPORT_TEXT,
            },
            actor=reporter.user,
        )
        services.submit_duty_report(report, actor=reporter.user)
        staff_choice, inspector_choice = VOTES[index % len(VOTES)]
        services.cast_duty_vote(report, staff_choice, actor=staff)
        services.cast_duty_vote(report, inspector_choice, actor=inspector)
        # The branch's members who have a login (not the reporter) vote.
        for user in User.objects.filter(member__isnull=False).exclude(pk=reporter.user_id).order_by("username"):
            if permissions.can(user, "duty.vote", report):
                services.cast_duty_vote(report, MEMBER_VOTES[index % len(MEMBER_VOTES)], actor=user)
        services.close_duty_report(report, actor=staff)
        count += 1
    return count


def _manual_scores(indicator_set, branches, inspector) -> None:
    order = {b.pk: i for i, b in enumerate(branches)}
    scores = (
        Score.objects.filter(assessment__indicator_set=indicator_set, indicator__method=Method.MANUAL)
        .select_related("indicator", "assessment")
        .order_by("assessment__unit__path", "indicator__sort_order", "indicator_id")
    )
    for n, score in enumerate(scores):
        share, evidence, comment = MANUAL[(order.get(score.assessment.unit_id, 0) + n) % len(MANUAL)]
        points = (score.indicator.weight * Decimal(str(share))).quantize(Decimal("0.1"))
        services.enter_manual_score(
            score,
            {
                "points": points,
                "evidence_text": evidence,
                "comment": comment if points < score.indicator.weight else "",
            },
            actor=inspector,
            expected_version=score.version,
        )
