"""Small builders shared by the campaigns tests and the access-matrix rows (plain ORM rows; the
services are tested on their own)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignBook,
    Material,
    MaterialTopic,
    ReadingReflection,
    Stage,
    Task,
    TaskCompletion,
)
from meetings.models import MeetingKind

D = datetime.date
LONG_TEXT = (
    "学习党章，首先要读懂党的性质和宗旨。中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。"
    "作为一名机关党员，我在工作中常常对照党章检查自己：是否把全心全意为人民服务落实在每一件具体事情上，"
    "是否在窗口服务中做到耐心细致，是否在审批工作中坚持按规矩办事。通过这次集中学习，我认识到党章不是挂在墙上的条文，"
    "而是每天都要对照的镜子。今后我要把学习党章与做好本职工作结合起来，做到学有所思、思有所得、得有所行，"
    "在项目服务一线发挥先锋模范作用，带头遵守纪律规矩，主动认领急难任务，真正把党员身份亮出来、把党员标准立起来。"
    "学习中我还把党章关于党员义务的八条逐条抄写下来，贴在办公桌前，每周对照检查一次，发现不足就记在本子上，月底向支部汇报。"
)


def campaign(unit, *, year=2025, min_chars=300) -> Campaign:
    return Campaign.objects.create(
        unit=unit,
        name="学党章、强基础、作表率",
        goal="把政治建设摆在首位",
        start_on=D(year, 1, 1),
        end_on=D(year, 12, 31),
        reflection_min_chars=min_chars,
    )


def stage(c: Campaign, *, order=1, start=None, end=None, name="学党章") -> Stage:
    year = c.start_on.year
    return Stage.objects.create(
        campaign=c, order=order, name=name, start_on=start or D(year, 1, 1), end_on=end or D(year, 4, 30)
    )


def book(s: Stage, title="中国共产党章程") -> CampaignBook:
    return CampaignBook.objects.create(stage=s, title=title)


def task(s: Stage, *, audience="branch", evidence="document", kind=None, due=None, book=None, title="上报学习计划"):
    meeting_kind = MeetingKind.objects.get(code=kind) if kind else None
    return Task.objects.create(
        stage=s,
        title=title,
        audience=audience,
        evidence=evidence,
        meeting_kind=meeting_kind,
        book=book,
        due_on=due or s.end_on,
    )


def completion(t: Task, unit, user=None) -> TaskCompletion:
    row = TaskCompletion(
        task=t,
        unit=unit,
        original_name="计划.txt",
        content_type="text/plain",
        size=6,
        sha256="0" * 64,
        completed_by=user,
    )
    row.file.save("done.txt", ContentFile("学习计划".encode()), save=False)
    row.save()
    return row


def reflection(member, unit, s: Stage, b: CampaignBook, *, text=LONG_TEXT, title="学党章心得", similar_to=None):
    return ReadingReflection.objects.create(
        member=member,
        unit=unit,
        stage=s,
        book=b,
        title=title,
        text=text,
        submitted_at=timezone.now(),
        similar_to=similar_to,
        similarity=0.93 if similar_to else None,
    )


def material(title="中国共产党章程（全文）", text="第一章 党员", topics=("constitution",)) -> Material:
    row = Material(
        title=title,
        original_name="党章.txt",
        content_type="text/plain; charset=utf-8",
        size=len(text.encode()),
        sha256="0" * 64,
        text=text,
    )
    row.file.save("m.txt", ContentFile(text.encode()), save=False)
    row.save()
    MaterialTopic.objects.bulk_create([MaterialTopic(material=row, topic=t) for t in topics])
    return row
