"""Demo inspection for ``seed_demo``: one spot check last quarter over the demo committee.

A 随机抽查 planned in the previous calendar quarter, in progress, with one stored draw (fixed seed,
two branches, three meeting records each, from the quarter before it), three findings on the
drawn records, and two of them raised as rectification items (when the rectification app offers
``open_item``). Everything goes through the services, so the audit log tells the story too.
Running it twice adds nothing (the inspection is found by its title).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import CommitteeRole, TermMember, TermStatus
from demo.steps.organisation import demo_committee
from inspections import services
from inspections.models import Inspection, Severity
from meetings.models import Meeting
from organizations.models import Unit

SEED = 8412305719263004117  # fixed, so the demo's sample is the same on every machine
FINDINGS = (
    ("会议纪要只记录了议题，未记录讨论过程和表决情况，决议事项不具体。", Severity.SERIOUS),
    ("签到表未随记录存档，记录中的出席人数无法核对。", Severity.GENERAL),
    ("主题党日的学习内容与会议主题不符，记录内容与上一次基本相同。", Severity.SEVERE),
)
ITEMS = (
    ("规范会议记录：写明讨论过程、表决结果和具体决议事项，支部书记审核签字。", 30),
    ("每次主题党日前拟定学习内容，会后一周内上传签到表和会议纪要。", 60),
)


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = _quarter_start(today) - datetime.timedelta(days=1)
    return _quarter_start(end), end


def _user(username):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _secretary(branch: Unit):
    seat = (
        TermMember.objects.filter(term__unit=branch, term__status=TermStatus.CURRENT, role=CommitteeRole.SECRETARY)
        .select_related("member")
        .first()
    )
    return seat.member if seat else None


def seed(today: datetime.date) -> str:
    committee = demo_committee()
    if committee is None:
        return _("督查演示：未找到演示组织，未添加。")
    q_start, q_end = last_quarter(today)
    title = _("%(year)s年第%(q)s季度组织生活随机抽查") % {"year": q_start.year, "q": (q_start.month - 1) // 3 + 1}
    if Inspection.objects.filter(committee=committee, title=title).exists():
        return _("督查演示：“%(title)s”已存在，未做改动。") % {"title": title}
    inspector = _user("inspector") or _user("staff")
    staff = _user("staff") or inspector
    if inspector is None:
        return _("督查演示：未找到督查人员账号，未添加。")
    period_end = q_start - datetime.timedelta(days=1)
    period_start = _quarter_start(period_end)
    with transaction.atomic():
        inspection = services.create_inspection(
            committee,
            {
                "title": title,
                "kind": "spot_check",
                "planned_start": q_start + datetime.timedelta(days=14),
                "planned_end": q_start + datetime.timedelta(days=44),
                "inspectors": [u for u in {inspector, staff} if u is not None],
                "whole_committee": True,
                "branches": [],
                "notes": _("随机抽取两个党支部，每个党支部抽查上一季度的三次会议记录，重点看记录是否完整、真实。"),
            },
            actor=staff,
        )
        services.advance_inspection(inspection, actor=inspector)
        draw = services.draw_spot_check(
            inspection,
            {
                "record_type": "meeting",
                "period_start": period_start,
                "period_end": period_end,
                "branch_count": 2,
                "records_per_branch": 3,
                "weighted": False,
                "seed": str(SEED),
            },
            actor=inspector,
        )
        sampled = [(row["unit"], pk) for row in draw.sample for pk in row["records"]]
        # Spread the three findings over both drawn branches: first record of each, then the second.
        by_unit: dict[int, list[int]] = {}
        for unit_id, pk in sampled:
            by_unit.setdefault(unit_id, []).append(pk)
        picks = [ids[0] for ids in by_unit.values() if ids] + [ids[1] for ids in by_unit.values() if len(ids) > 1]
        meetings = Meeting.objects.select_related("unit").in_bulk(picks)
        units = Unit.objects.in_bulk(by_unit.keys())
        unit_of = {pk: units[u] for u, pks in by_unit.items() for pk in pks}
        findings = []
        for (text, severity), pk in zip(FINDINGS, picks, strict=False):
            findings.append(
                services.add_finding(
                    inspection,
                    {"unit": unit_of[pk], "meeting": meetings.get(pk), "text": text, "severity": severity},
                    actor=inspector,
                )
            )
        raised = 0
        if services.open_item_function() is not None:
            for finding, (measure, days) in zip(findings, ITEMS, strict=False):
                services.raise_item(
                    finding,
                    {
                        "problem": finding.text,
                        "measure": measure,
                        "responsible": _secretary(finding.unit),
                        "deadline": today + datetime.timedelta(days=days),
                        "category": "work",
                    },
                    actor=inspector,
                )
                raised += 1
    summary = _("督查演示：已添加“%(title)s”，随机种子 %(seed)s，抽中%(units)s，问题 %(n)d 条") % {
        "title": title,
        "seed": SEED,
        "units": "、".join(u.name for u in units.values()),
        "n": len(findings),
    }
    if raised:
        summary += _("，其中 %(k)d 条已转为整改事项。") % {"k": raised}
    else:
        summary += _("；整改台账尚不可用，未转整改事项。")
    return summary
