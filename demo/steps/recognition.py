"""Demo recognition records for ``seed_demo`` on the demo organisation (管委会机关党委).

For the last full year: the 五带头 scorecards of every committee member are computed from the
demo records (nothing stored) with a few manual notes; one branch goes through the whole 四强
creation and is named (its 公示 starts on the last working day before 国庆 when the calendar has
that year, so the notice runs across the holiday week); two 党员示范岗 are named (certificates
download from their pages); one 党建示范点 is nominated and under review. Everything goes through
the services, so history and the audit log tell the story. Running twice adds nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from demo.steps.organisation import demo_committee
from members.models import Member
from organizations.models import Unit, UnitKind
from recognition import services
from recognition.models import FourStrong, FourStrongCriterion, NominationKind, WorkdayCalendar
from recognition.scorecard import seats_in_year

NOTES = (
    ("study", "坚持每周自学，撰写学习笔记，在支部学习交流中作重点发言。", False),
    ("serve", "带领党员到联系社区开展“学雷锋”志愿服务，另有社区报到服务记录未录入系统。", False),
    ("discipline", "年度个人有关事项报告按时如实填报，未发现违纪问题。", False),
)
MODEL_POSTS = (
    ("政务服务窗口党员示范岗", "窗口服务群众满意率连续三年保持第一，带头推行“一次办好”。"),
    ("项目建设一线党员示范岗", "在重点项目建设中牵头协调，带领同事攻坚克难，按期完成任务。"),
)
DEMO_SITE = ("党建与业务融合示范点", "支部以“党建+服务”推动业务提升，形成可复制的工作法。")


def _notice_start(year: int) -> datetime.date:
    """The last working day before 1 October of ``year`` if the calendar has that year's 国庆
    arrangement (the notice then runs across the holiday week); otherwise 1 December."""
    if WorkdayCalendar.objects.filter(date=datetime.date(year, 10, 1)).exists():
        day = datetime.date(year, 9, 30)
        holidays, adjusted = services.calendar_sets(datetime.date(year, 9, 1), datetime.date(year, 10, 31))
        from recognition.workdays import is_workday

        while not is_workday(day, holidays, adjusted):
            day -= datetime.timedelta(days=1)
        return day
    return datetime.date(year, 12, 1)


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("评选表彰：演示组织尚未载入，未添加。")
    year = today.year - 1
    if FourStrong.objects.filter(year=year, unit__path__startswith=committee.path).exists():
        return _("评选表彰：演示数据已存在，未重复添加。")
    User = get_user_model()
    staff = User.objects.filter(username="staff").first()
    inspector = User.objects.filter(username="inspector").first() or staff
    branches = list(
        Unit.objects.active().filter(kind=UnitKind.BRANCH, path__startswith=committee.path).order_by("path")
    )
    if staff is None or len(branches) < 2:
        return _("评选表彰：演示组织不完整，未添加。")
    with transaction.atomic():
        seats = seats_in_year(year, units=branches)
        for seat, (duty, text, flag) in zip(seats[::4], NOTES, strict=False):
            services.add_note(seat.member, year, {"duty": duty, "text": text, "needs_attention": flag}, actor=staff)

        # 四强: the first branch, all the way to naming after a notice across 国庆.
        if not FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True).exists():
            services.add_default_criteria(year, actor=staff)
        branch = branches[0]
        app = services.create_four_strong(branch, year, actor=staff)
        evidence = {
            r.criterion_id: _("对照标准逐条落实，相关会议记录、学习记录和整改台账见系统。")
            for r in app.assessments.all()
        }
        app = services.save_self_assessment(app, evidence, actor=staff, version=app.version)
        services.submit_four_strong(app, actor=staff)
        services.review_four_strong(
            app, {r.criterion_id: (True, _("符合标准。")) for r in app.assessments.all()}, actor=staff
        )
        start = _notice_start(year)
        services.start_notice(app, start, 5, actor=staff)
        services.name_recognition(app, app.notice_end + datetime.timedelta(days=1), actor=staff)

        # Two model posts named, from two branches.
        for (title, reason), unit in zip(MODEL_POSTS, branches[1:3] or branches[:2], strict=False):
            member = Member.objects.in_unit_on(unit, datetime.date(year, 12, 31)).order_by("id").first()
            if member is None:
                continue
            n = services.nominate(
                unit,
                {"kind": NominationKind.MODEL_POST, "year": year, "member": member, "title": title, "reason": reason},
                actor=staff,
            )
            services.open_review(n, actor=staff)
            services.review_nomination(n, {"points": 92, "comment": _("事迹突出。")}, actor=staff)
            services.review_nomination(n, {"points": 88, "comment": _("同意推荐。")}, actor=inspector)
            services.decide_nomination(n, actor=staff)
            services.start_notice(n, datetime.date(year, 12, 1), 5, actor=staff)
            services.name_recognition(n, n.notice_end + datetime.timedelta(days=1), actor=staff)

        # One demonstration site nominated and under review.
        site = services.nominate(
            branches[-1],
            {"kind": NominationKind.DEMO_SITE, "year": year, "title": DEMO_SITE[0], "reason": DEMO_SITE[1]},
            actor=staff,
        )
        services.open_review(site, actor=staff)
        services.review_nomination(site, {"points": 85, "comment": _("特色鲜明。")}, actor=inspector)
    return _(
        "评选表彰：%(year)s年度支委成员五带头%(cards)s份（说明%(notes)s条），四强支部1个（%(start)s起公示至%(end)s），"
        "党员示范岗2个，党建示范点1个评审中。"
    ) % {
        "year": year,
        "cards": len(seats),
        "notes": min(len(NOTES), len(seats[::4])),
        "start": app.notice_start.isoformat(),
        "end": app.notice_end.isoformat(),
    }
