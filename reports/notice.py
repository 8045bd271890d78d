"""The meeting notice (会议通知) of one meeting, as .docx.

Built from the meeting record: unit, kinds, topic, date and time, place, the people asked to
attend (every member with an attendance row, present or absent, plus the invited guests), the
usual requirements, and a signature with the unit's name and the date the notice was printed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from common import calendar_words
from meetings.models import Meeting
from reports import docx as d
from reports.minutes_book import Export, kind_names

NUMERALS = "一二三四五六七八九十"


def when_text(meeting: Meeting) -> str:
    text = _("%(date)s（%(weekday)s）") % {
        "date": d.chinese_date(meeting.date),
        "weekday": calendar_words.WEEKDAYS[meeting.date.weekday()],
    }
    if meeting.start_time:
        text += f"{meeting.start_time:%H:%M}"
        if meeting.end_time:
            text += f"—{meeting.end_time:%H:%M}"
    return text


def requirements(meeting: Meeting) -> list[str]:
    codes = {k.code for k in meeting.kinds.all()}
    items = [
        _("请参会同志提前10分钟到达会场签到，会议期间将手机调至静音。"),
        _("因公差、病假等原因不能参加的，请于会前向支部书记请假，并说明缺席原因；会后及时补学会议内容。"),
        _("请围绕会议主题提前学习相关材料，做好发言准备。"),
    ]
    if "party_lesson" in codes:
        items.append(_("请携带学习笔记本，认真听课并做好记录。"))
    if "life_meeting" in codes:
        items.append(_("请会前认真查摆问题，准备对照检查发言提纲，开展批评和自我批评。"))
    if "general_meeting" in codes:
        items.append(_("支部党员大会须有半数以上正式党员到会方可召开，请全体党员准时参加。"))
    return items


def build_notice(meeting: Meeting, *, export: Export, issued_on: datetime.date | None = None) -> bytes:
    unit = meeting.unit
    kinds = kind_names(meeting)
    issued_on = issued_on or timezone.localtime(export.at).date()
    doc = d.new_document(title=_("会议通知"), author=export.by)
    d.add_footer(doc, export.note)

    d.paragraph(doc, _("会议通知"), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    d.paragraph(
        doc,
        _("关于召开%(kinds)s的通知") % {"kinds": kinds},
        size=Pt(16),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    doc.add_paragraph()
    d.paragraph(doc, _("各位党员同志："))
    intro = d.paragraph(
        doc,
        _("经%(unit)s研究，定于%(when)s召开%(kinds)s，现将有关事项通知如下：")
        % {"unit": unit.name, "when": when_text(meeting), "kinds": kinds},
    )
    intro.paragraph_format.first_line_indent = Pt(24)

    invited = [line.strip() for line in (meeting.invited or "").splitlines() if line.strip()]
    attendees = [a.member.name for a in meeting.attendance.all()]
    people = "、".join(attendees) if attendees else _("%(unit)s全体党员") % {"unit": unit.name}
    if invited:
        people += _("；列席：%(names)s") % {"names": "、".join(invited)}
    sections = [
        (_("会议主题"), [meeting.topic]),
        (_("会议时间"), [when_text(meeting)]),
        (_("会议地点"), [meeting.place or _("另行通知")]),
        (_("参会人员"), [people]),
    ]
    if meeting.host_id:
        sections.append((_("主持人"), [meeting.host.name]))
    if meeting.lecturer_id:
        sections.append((_("讲课人"), [meeting.lecturer.name]))
    sections.append((_("会议要求"), [f"{i}. {item}" for i, item in enumerate(requirements(meeting), start=1)]))
    for number, (title, lines) in enumerate(sections):
        n = NUMERALS[number] if (get_language() or "zh").startswith("zh") else str(number + 1)
        d.paragraph(doc, _("%(n)s、%(title)s") % {"n": n, "title": title}, bold=True)
        for line in lines:
            p = d.paragraph(doc, line)
            p.paragraph_format.first_line_indent = Pt(24)

    for _i in range(2):
        doc.add_paragraph()
    d.paragraph(doc, unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    d.paragraph(doc, d.chinese_date(issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return d.to_bytes(doc)


def filename(meeting: Meeting) -> str:
    return _("%(unit)s-%(date)s-会议通知.docx") % {"unit": meeting.unit.name, "date": meeting.date.isoformat()}
