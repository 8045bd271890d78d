"""Demo 组织生活会 package for ``seed_demo``: one branch's full package for the year its latest
组织生活会 reviews.

The branch is the first demo branch (by the tree's order) with a 组织生活会 on record. Talks cover
most required pairs but not all (so the coverage grid shows gaps); every committee member has a
submitted 对照检查材料; the meeting has criticism and self-criticism entries and four personal
problems with root causes, two of them raised as rectification items (when
``rectification.services.open_item`` is there; a later run raises them once it is). Everything
goes through the services, so the audit log tells the story. Running it twice adds nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from demo.steps.organisation import demo_committee
from lifemeetings import rules, services
from lifemeetings.models import CriticismEntry, HeartTalk, PersonalProblem, ReviewMaterial
from meetings.models import BuiltinKind, Meeting
from members.models import Member
from organizations.models import Unit, UnitKind

# Every MISSING_EVERY-th required pair (in a fixed order) has no talk, so the grid shows gaps.
MISSING_EVERY = 7

TALK_SUMMARIES = (
    "交流近期思想和工作情况，对照党员标准查找差距，对方就加强理论学习提出了建议。",
    "围绕本部门业务与党建融合谈了认识，互相指出在工作作风上需要改进的地方。",
    "听取对支委会工作的意见建议，重点谈了主题党日形式单一的问题和改进办法。",
    "谈了家庭和工作中的困难，表达了关心；就遵守廉洁纪律相互提醒。",
    "征求对本人在组织生活会上对照检查的意见，对方指出调查研究不够深入。",
)
MATERIAL_TEXT = (
    "一、学习贯彻情况：按照支部安排参加集中学习，撰写学习心得，但学习的系统性、深入性还不够。\n"
    "二、查摆的问题：理论学习有时满足于读原文，联系实际思考不够；深入基层调查研究不多；"
    "对分管同志的思想动态掌握不及时。\n"
    "三、原因剖析：理想信念的“总开关”拧得还不够紧，党性锻炼有所放松，群众观念有所淡化。\n"
    "四、整改措施：制定个人学习计划，每季度至少开展一次专题调研，每半年与分管同志谈心谈话一次。"
)
SELF_CRITICISM = (
    "自己在理论学习上满足于完成规定动作，学用结合不够，指导实践的能力还需要提高。",
    "工作中有时存在重业务轻党建的倾向，履行一岗双责不够到位。",
    "深入群众不够，听取意见多在会上，会后跟踪落实不够。",
    "对自己要求不够严格，有时对苗头性问题提醒不及时。",
)
RECEIVED_CRITICISM = (
    "建议在组织支部学习时多结合业务实际，避免照本宣科。",
    "希望多下沉到一线了解情况，对年轻党员的关心还要加强。",
    "布置工作时有时要求不够具体，时间节点不够明确。",
    "开展批评时有“好人主义”倾向，指出问题不够直接。",
)
PROBLEMS = (
    (
        "thought",
        "理论学习的系统性不够，学用结合不紧。",
        "对理论学习重要性认识不足，满足于完成规定学习任务。",
        "制定个人年度学习计划，每月撰写一篇学习体会，在支部学习中交流。",
    ),
    (
        "work",
        "党建与业务融合不够，示范岗作用发挥不明显。",
        "一岗双责意识不强，把党建当作软任务。",
        "结合科室业务设立党员示范岗，每季度在支委会上报告履职情况。",
    ),
    (
        "style",
        "深入基层调查研究不够，听取群众意见渠道单一。",
        "群众观念有所淡化，习惯于在办公室听汇报。",
        "每季度至少开展一次专题调研，形成调研报告并推动问题解决。",
    ),
    (
        "discipline",
        "对分管同志廉洁提醒不够经常。",
        "管党治党责任意识不够强，存在“好人主义”思想。",
        "每半年与分管同志开展一次廉政谈话，节假日前发送廉洁提醒。",
    ),
)
# How many of the problems become rectification items, and their deadlines (days from today).
RAISED_DEADLINES = (45, 90)


def _actor():
    users = get_user_model().objects.filter(username__in=["secretary1", "staff"], is_active=True)
    found = {u.username: u for u in users}
    return found.get("secretary1") or found.get("staff")


def _life_meeting(committee: Unit):
    """The first branch (tree order) with a 组织生活会 on record, and its latest one."""
    meetings = (
        Meeting.objects.active()
        .filter(unit__path__startswith=committee.path, unit__kind=UnitKind.BRANCH, kinds__code=BuiltinKind.LIFE_MEETING)
        .select_related("unit")
        .order_by("unit__path", "-date", "-id")
    )
    return meetings.first()


def _talk_day(meeting: Meeting, i: int, count: int, today: datetime.date) -> datetime.date:
    """Spread the talks over the 50 days before the meeting."""
    span = 50
    day = meeting.date - datetime.timedelta(days=3 + (span * i) // max(count, 1))
    return min(day, today)


def _seed_talks(unit, year, meeting, actor, today) -> int:
    if HeartTalk.objects.filter(unit=unit, year=year).exists():
        return 0
    view = services.talk_coverage(unit, year)
    committee = {m.pk for m in view.committee}
    pairs = sorted(view.coverage.required)
    wanted = [p for k, p in enumerate(pairs) if k % MISSING_EVERY != MISSING_EVERY - 1]
    made = 0
    for i, (a, b) in enumerate(wanted):
        initiator, counterpart = (a, b) if a in committee else (b, a)
        try:
            services.record_talk(
                unit,
                {
                    "year": year,
                    "date": _talk_day(meeting, i, len(wanted), today),
                    "initiator": Member.objects.get(pk=initiator),
                    "counterpart": Member.objects.get(pk=counterpart),
                    "summary": TALK_SUMMARIES[i % len(TALK_SUMMARIES)],
                },
                actor=actor,
            )
        except services.LifeMeetingError:
            continue  # one of the two was not in the branch that day
        made += 1
    return made


def _seed_materials(unit, year, actor) -> int:
    made = 0
    for member in services.talk_coverage(unit, year).committee:
        if ReviewMaterial.objects.filter(unit=unit, year=year, member=member).exists():
            continue
        material = services.create_material(unit, year, member, {"text": MATERIAL_TEXT}, actor=actor)
        services.submit_material(material, actor=actor)
        made += 1
    return made


def _seed_meeting(unit, year, meeting, actor) -> tuple[int, int]:
    if (
        CriticismEntry.objects.filter(meeting=meeting).exists()
        or PersonalProblem.objects.filter(meeting=meeting).exists()
    ):
        return 0, 0
    present = set(Member.objects.in_unit_on(unit, meeting.date).values_list("pk", flat=True))
    committee = [m for m in services.talk_coverage(unit, year).committee if m.pk in present]
    entries = problems = 0
    for i, person in enumerate(committee):
        services.record_criticism(
            meeting,
            {"subject": person, "kind": "self", "text": SELF_CRITICISM[i % len(SELF_CRITICISM)]},
            actor=actor,
        )
        entries += 1
        if len(committee) > 1:
            by = committee[(i + 1) % len(committee)]
            services.record_criticism(
                meeting,
                {
                    "subject": person,
                    "kind": "received",
                    "by_member": by,
                    "text": RECEIVED_CRITICISM[i % len(RECEIVED_CRITICISM)],
                },
                actor=actor,
            )
            entries += 1
    for i, (category, text, cause, measure) in enumerate(PROBLEMS):
        if not committee:
            break
        services.record_problem(
            meeting,
            {
                "member": committee[i % len(committee)],
                "category": category,
                "problem": text,
                "root_cause": cause,
                "measure": measure,
            },
            actor=actor,
        )
        problems += 1
    return entries, problems


def _raise_items(meeting, actor, today) -> int | None:
    """Raise the first problems as rectification items; None when the rectification app can't."""
    if not services.rectification_available():
        return None
    raised = 0
    chosen = PersonalProblem.objects.filter(meeting=meeting).select_related("meeting__unit", "member").order_by("id")
    for problem, days in zip(chosen[: len(RAISED_DEADLINES)], RAISED_DEADLINES, strict=False):
        _p, _item, created = services.raise_item(
            problem, {"deadline": today + datetime.timedelta(days=days)}, actor=actor
        )
        raised += int(created)
    return raised


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("组织生活会：演示组织尚未载入，未添加。")
    meeting = _life_meeting(committee)
    if meeting is None:
        return _("组织生活会：演示支部尚无组织生活会记录，未添加。")
    unit, year, actor = meeting.unit, rules.package_year(meeting.date), _actor()
    with transaction.atomic():
        talks = _seed_talks(unit, year, meeting, actor, today)
        materials = _seed_materials(unit, year, actor)
        entries, problems = _seed_meeting(unit, year, meeting, actor)
        raised = _raise_items(meeting, actor, today)
    coverage = services.talk_coverage(unit, year).coverage
    summary = _(
        "组织生活会：%(unit)s %(year)s年度，新增谈心谈话 %(talks)s 次（覆盖 %(percent)s%%，尚缺 %(missing)s 对），"
        "对照检查材料 %(materials)s 份，批评与自我批评 %(entries)s 条，查摆问题 %(problems)s 个"
    ) % {
        "unit": unit.name,
        "year": year,
        "talks": talks,
        "percent": coverage.percent,
        "missing": len(coverage.missing),
        "materials": materials,
        "entries": entries,
        "problems": problems,
    }
    if raised is None:
        return summary + _("；整改台账模块未启用，暂未转整改事项（再次运行时补上）。")
    return summary + _("，转整改事项 %(n)s 项。") % {"n": raised}
