"""Study demo data on the demo organisation (管委会机关党委 and its five branches).

``seed(today)`` adds, once: the year settings of this year and last, a fixed study day for each
branch, individual study records of 30 members (most confirmed, some waiting, one returned) and
a few warning-education visits recorded as meetings with times. Running it again adds nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, RoleGrant
from demo.steps.organisation import demo_committee
from meetings.models import Meeting, MeetingKind
from members.models import Member
from organizations.models import Unit, UnitKind
from study import rules, services
from study.models import StudyDayRule, StudyRecord, StudyYear

BRANCHES = ("机关第一党支部", "机关第二党支部", "机关第三党支部", "机关第四党支部", "机关第五党支部")
# Each branch's study day: first Friday, second Wednesday, last Friday, the 15th, first Monday.
STUDY_DAYS = (
    {"mode": rules.NTH_WEEKDAY, "nth": 1, "weekday": 4},
    {"mode": rules.NTH_WEEKDAY, "nth": 2, "weekday": 2},
    {"mode": rules.LAST_WEEKDAY, "weekday": 4},
    {"mode": rules.DAY_OF_MONTH, "day": 15},
    {"mode": rules.NTH_WEEKDAY, "nth": 1, "weekday": 0},
)
MATERIALS = (
    "《中国共产党章程》全文",
    "《中国共产党支部工作条例（试行）》",
    "《中国共产党发展党员工作细则》",
    "《习近平新时代中国特色社会主义思想学习纲要》第一章",
    "《中国共产党纪律处分条例》",
    "学习强国专题课程：党史中的廉洁故事",
    "《中国共产党廉洁自律准则》",
    "《党和国家机关基层组织工作条例》",
)
# Warning-education visits: (branch index, months before today, place, topic).
VISITS = (
    (0, 2, "市廉政教育基地", "参观市廉政教育基地，接受警示教育"),
    (0, 7, "市看守所警示教育展厅", "旁听职务犯罪庭审并参观警示教育展厅"),
    (2, 4, "市廉政教育基地", "参观廉政教育基地，观看警示教育片"),
)
KEY = "study-demo-visit-%d"
PER_BRANCH = 6


def _committee():
    return demo_committee()


def _weekday_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _months_back(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    y, m = divmod(index, 12)
    return _weekday_before(datetime.date(y, m + 1, min(today.day, 20)))


def _reviewer(branch: Unit, member: Member):
    """A user holding a secretary or committee-member grant on the branch (never the member)."""
    grants = RoleGrant.objects.active().filter(unit=branch, role__in=[Role.SECRETARY, Role.COMMITTEE_MEMBER])
    for grant in grants.select_related("user").order_by("role", "id"):
        if grant.user_id != member.user_id:
            return grant.user
    return None


def _years(today: datetime.date, staff) -> int:
    added = 0
    kinds = services.default_kinds()
    for year in (today.year - 1, today.year):
        if not StudyYear.objects.filter(year=year).exists():
            services.save_study_year(
                year,
                {
                    "member_target": Decimal("32"),
                    "leader_target": Decimal("56"),
                    "default_meeting_hours": Decimal("2"),
                },
                actor=staff,
                kinds=kinds,
            )
            added += 1
    return added


def _study_days(branches: list[Unit], staff) -> int:
    added = 0
    for branch, spec in zip(branches, STUDY_DAYS, strict=False):
        if not StudyDayRule.objects.filter(unit=branch).exists():
            services.save_study_day_rule(branch, {"note": "", **spec}, actor=staff)
            added += 1
    return added


def _records(branches: list[Unit], today: datetime.date) -> int:
    if StudyRecord.objects.filter(unit__in=branches).exists():
        return 0
    start = datetime.date(today.year, 1, 1)
    span = max(1, (today - start).days)
    count = 0
    index = 0
    for branch in branches:
        members = list(Member.objects.active().in_unit_on(branch, today).order_by("id")[:PER_BRANCH])
        for member in members:
            reviewer = _reviewer(branch, member)
            # Three kinds of members: diligent (34 hours of their own: a member meets the target
            # whatever the meetings), average, behind.
            plan = (
                [Decimal("16"), Decimal("10"), Decimal("8")]
                if index % 3 == 0
                else [Decimal("2"), Decimal("1.5")]
                if index % 3 == 1
                else [Decimal("1")]
            )
            for n, hours in enumerate(plan):
                day = start + datetime.timedelta(days=(span * (n + 1)) // (len(plan) + 1) + index % 5)
                day = min(day, today)
                record = services.record_study(
                    member,
                    {
                        "title": MATERIALS[(index + n) % len(MATERIALS)],
                        "date": day,
                        "hours": hours,
                        "note": _("结合本职工作撰写学习笔记。"),
                    },
                    actor=member.user,
                    today=today,
                )
                count += 1
                last = n == len(plan) - 1
                if index == 4 and last:
                    services.return_study(record, _("请注明学习的具体章节和学习方式。"), actor=reviewer or member.user)
                elif index % 4 == 3 and last:
                    continue  # left waiting for confirmation
                elif reviewer is None or reviewer.pk != member.user_id:
                    services.confirm_study(record, actor=reviewer)
            index += 1
    return count


def _visits(branches: list[Unit], today: datetime.date, staff) -> int:
    from meetings.services import record_meeting

    kinds = {k.code: k for k in MeetingKind.objects.filter(code__in=[rules.WARNING_EDUCATION, "theme_day"])}
    added = 0
    for n, (branch_index, months, place, topic) in enumerate(VISITS):
        if branch_index >= len(branches) or Meeting.objects.filter(import_key=KEY % n).exists():
            continue
        branch = branches[branch_index]
        day = _months_back(today, months)
        roster = list(Member.objects.active().in_unit_on(branch, day).order_by("id"))
        if len(roster) < 2:
            continue
        record_meeting(
            branch,
            {
                "date": day,
                "start_time": datetime.time(9, 0),
                "end_time": datetime.time(11, 30),
                "place": place,
                "topic": topic,
                "theme_category": rules.INTEGRITY_THEME,
                "host": roster[0],
                "recorder": roster[1],
                "minutes": _("全体党员参观警示教育展览，听取讲解，对照典型案例开展交流，每人撰写心得体会。"),
            },
            actor=staff,
            kinds=[kinds[rules.WARNING_EDUCATION]],
            attendance=[(m, "present", "") for m in roster],
            import_key=KEY % n,
        )
        added += 1
    return added


def seed(today: datetime.date) -> str:
    committee = _committee()
    if committee is None:
        return _("学习教育：演示组织尚未载入，未添加数据。")
    by_name = {u.name: u for u in Unit.objects.subtree(committee).filter(kind=UnitKind.BRANCH)}
    branches = [by_name[n] for n in BRANCHES if n in by_name]
    staff = get_user_model().objects.filter(username="staff").first()
    with transaction.atomic():
        years = _years(today, staff)
        days = _study_days(branches, staff)
        records = _records(branches, today)
        visits = _visits(branches, today, staff)
    return _(
        "学习教育：年度学时要求 %(years)d 个，固定学习日 %(days)d 个，个人自学记录 %(records)d 条，警示教育 %(visits)d 次。"
    ) % {"years": years, "days": days, "records": records, "visits": visits}
