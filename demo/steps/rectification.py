"""Demo rectification ledger for ``seed_demo``: items in every status across the five demo branches,
some raised from the branches' 组织生活会, and last year's 民主评议党员 held at one branch's
年度组织生活会 (linked to it), voted, closed and decided, with one 基本合格 that opens an item.

Items in every status: 待整改, 整改中 (one of them sent back with a reason), 待验收, 已销号, and two
overdue. The demo member login (member1) is responsible for one item in progress, so that persona
can submit it. Everything goes through the services (so history rows and the audit log tell the
story); an item is known by its branch and problem text, so running twice adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from demo.steps.organisation import demo_committee
from meetings.models import BuiltinKind, Meeting
from members.models import Member
from organizations.models import Unit, UnitKind
from rectification import services
from rectification.models import AppraisalRound, Grade, Rectification, RoundStatus


@dataclass(frozen=True)
class DemoItem:
    branch: int  # index of the branch in tree order
    source: str
    category: str
    problem: str
    measure: str
    deadline_days: int  # from today (negative: already passed)
    moves: tuple[tuple[str, str, str], ...]  # (move, actor username, note)
    # "member1": the demo member login is responsible; else the n-th member of the branch.
    responsible: str | int = 0
    from_life_meeting: bool = False


ITEMS = (
    DemoItem(
        0,
        "life_meeting",
        "work",
        "支部“三会一课”记录不够规范，部分会议记录缺少讨论情况。",
        "制定会议记录规范，由组织委员每月检查会议记录。",
        -30,
        (
            ("start", "secretary1", ""),
            ("submit", "secretary1", "已制定《会议记录规范》，近三个月会议记录均已按规范记录并经组织委员检查。"),
            ("verify", "inspector", "抽查三次会议记录，符合规范，同意销号。"),
        ),
        from_life_meeting=True,
    ),
    DemoItem(
        0,
        "life_meeting",
        "thought",
        "个人理论学习不够系统，学习笔记不全。",
        "制定个人学习计划，每月完成学习笔记并在党小组交流。",
        40,
        (("start", "member1", "已制定个人学习计划。"),),
        responsible="member1",
        from_life_meeting=True,
    ),
    DemoItem(
        1,
        "inspection",
        "discipline",
        "党费收缴台账未按月登记，个别党员党费标准未及时调整。",
        "按月登记党费台账，对照工资变动核定缴纳标准。",
        5,
        (),
    ),
    DemoItem(
        1,
        "assessment",
        "work",
        "年度党建考核中，主题党日活动形式单一。",
        "结合业务开展主题党日，每季度至少一次实践活动。",
        20,
        (
            ("start", "staff", ""),
            ("submit", "staff", "二、三季度分别开展了志愿服务和红色教育基地参观，活动记录及照片已上传。"),
        ),
        responsible=1,
    ),
    DemoItem(
        2,
        "inspection",
        "work",
        "支部委员分工不明确，宣传委员职责未落实。",
        "支委会重新明确分工并报机关党委备案。",
        -20,
        (),
        responsible=1,
    ),
    DemoItem(
        2,
        "life_meeting",
        "style",
        "联系服务群众不够，征求意见渠道单一。",
        "设立意见箱，每季度开展一次走访。",
        30,
        (
            ("start", "staff", ""),
            ("submit", "staff", "已设立意见箱。"),
            ("return", "inspector", "整改情况只写了设立意见箱，未见走访记录，请补充走访情况后再提交。"),
        ),
        from_life_meeting=True,
    ),
    DemoItem(
        3,
        "other",
        "discipline",
        "节假日前廉洁提醒未覆盖全体党员。",
        "节假日前由纪检委员向全体党员发送廉洁提醒并留存记录。",
        -10,
        (("start", "staff", ""),),
        responsible=2,
    ),
    DemoItem(
        4,
        "inspection",
        "work",
        "发展党员档案材料不齐全，缺少政治审查材料。",
        "补齐政治审查材料，建立档案材料清单。",
        -60,
        (
            ("start", "staff", ""),
            ("submit", "staff", "已补齐三名发展对象的政治审查材料，并建立档案材料清单。"),
            ("verify", "inspector", "查阅档案，材料齐全，同意销号。"),
        ),
    ),
)

# Last year's appraisal: in this branch (tree order), the n-th graded member is 基本合格.
APPRAISAL_BRANCH = 1
SELF_ASSESSMENT = (
    "一年来认真参加支部组织生活，按时缴纳党费，完成本职工作。不足之处是理论学习不够深入，"
    "联系群众还不够紧密。今后将加强学习，严格要求自己。"
)


def _users() -> dict:
    names = ["staff", "inspector", "secretary1", "member1"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}


def _life_meetings(branches) -> dict[int, Meeting]:
    """The latest 组织生活会 of each branch, if any (one query)."""
    rows = (
        Meeting.objects.active()
        .filter(unit__in=branches, kinds__code=BuiltinKind.LIFE_MEETING)
        .order_by("unit_id", "-date", "-id")
    )
    out: dict[int, Meeting] = {}
    for meeting in rows:
        out.setdefault(meeting.unit_id, meeting)
    return out


def _members(branch, today) -> list[Member]:
    return list(Member.objects.active().in_unit_on(branch, today).order_by("name", "id"))


def _seed_items(branches, users, today) -> int:
    meetings = _life_meetings(branches)
    fallback = users.get("staff")
    made = 0
    for spec in ITEMS:
        if spec.branch >= len(branches):
            continue
        branch = branches[spec.branch]
        if Rectification.objects.filter(unit=branch, problem=spec.problem).exists():
            continue
        people = _members(branch, today)
        if spec.responsible == "member1":
            responsible = Member.objects.filter(user=users.get("member1")).first() if users.get("member1") else None
            if responsible is None or responsible not in people:
                responsible = people[0] if people else None
        else:
            responsible = people[spec.responsible % len(people)] if people else None
        origin = meetings.get(branch.pk) if spec.from_life_meeting else None
        item = services.open_item(
            unit=branch,
            source=spec.source,
            problem=spec.problem,
            measure=spec.measure,
            category=spec.category,
            responsible=responsible,
            member=responsible if spec.source == "life_meeting" and spec.responsible == "member1" else None,
            deadline=today + datetime.timedelta(days=spec.deadline_days),
            origin=origin,
            actor=users.get("staff"),
        )
        for move, username, note in spec.moves:
            actor = users.get(username) or fallback
            if move == "start" and username == "member1" and users.get("member1") is None:
                actor = fallback
            services.move_item(item, move, actor=actor, note=note)
        made += 1
    return made


def _seed_appraisal(branches, users, today) -> tuple[int, int]:
    """Last year's round in one branch, decided; returns (rounds made, items opened)."""
    if len(branches) <= APPRAISAL_BRANCH:
        return 0, 0
    branch = branches[APPRAISAL_BRANCH]
    year = today.year - 1
    if AppraisalRound.objects.filter(unit=branch, year=year).exists():
        return 0, 0
    # Held at the branch's 组织生活会 of that 年度 ("2025年度组织生活会", held in January 2026).
    meeting = (
        Meeting.objects.active()
        .filter(unit=branch, kinds__code=BuiltinKind.LIFE_MEETING, held_for_year=year)
        .order_by("-date")
        .first()
    )
    actor = users.get("staff")
    rnd = services.create_round(branch, {"year": year, "meeting": meeting}, actor=actor)
    results = list(rnd.results.select_related("member__user").order_by("member__name", "member_id"))
    graded = [r for r in results if r.graded]
    if len(graded) < 3:
        return 1, 0
    for result in results[: max(3, len(results) // 2)]:
        services.save_self_assessment(result, SELF_ASSESSMENT, actor=result.member.user or actor)
    services.open_voting(rnd, actor=actor)
    excellent, basic = graded[0], graded[-1]
    # Everyone but the last two on the roll votes (well over half of the full members).
    for voter in results[:-2] if len(results) > 4 else results:
        ballot = {}
        for r in graded:
            if r.member_id == voter.member_id:
                continue
            if r is excellent:
                ballot[r.member_id] = Grade.EXCELLENT
            elif r is basic:
                ballot[r.member_id] = Grade.BASIC
            else:
                ballot[r.member_id] = Grade.QUALIFIED
        services.cast_ballot(rnd, voter.member, ballot, actor=voter.member.user or actor)
    services.close_voting(rnd, actor=actor)
    grades = {r.member_id: Grade.QUALIFIED for r in graded}
    grades[excellent.member_id] = Grade.EXCELLENT
    grades[basic.member_id] = Grade.BASIC
    services.decide_round(rnd, grades, actor=actor)
    rnd.refresh_from_db()
    opened = 1 if rnd.status == RoundStatus.DECIDED else 0
    return 1, opened


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("整改台账：演示组织尚未载入，未添加。")
    branches = list(Unit.objects.active().subtree(committee).filter(kind=UnitKind.BRANCH).order_by("path"))
    users = _users()
    with transaction.atomic():
        items = _seed_items(branches, users, today)
        rounds, opened = _seed_appraisal(branches, users, today)
    if not items and not rounds:
        return _("整改台账：演示数据已存在，未重复添加。")
    return _(
        "整改台账：新增整改事项 %(items)s 项（各状态齐全，2 项逾期），民主评议 %(rounds)s 次（%(opened)s 项基本合格整改）。"
    ) % {
        "items": items + opened,
        "rounds": rounds,
        "opened": opened,
    }
