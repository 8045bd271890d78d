"""The minutes book (会议记录本) of one branch or party group for one year, as .docx.

A cover, a list of the year's meetings, then one section per meeting (each on a new page) with
every field of the record, the attendance table and, for a 组织生活会, the practical problems it
addressed and the 年度 it was held for (``Meeting.held_for_year``, the value every page reads;
the book itself lists the meetings held in the year, by date). Records entered late (补录) say
so and when. The footer carries the page number and who
exported the book when. Meetings are the unit's own, not archived, in date order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from meetings.models import Attendance, AttendanceStatus, EntrySource, Meeting, MeetingProblem
from organizations.models import Unit, UnitKind
from reports import docx as d

LIFE_MEETING = "life_meeting"


@dataclass(frozen=True)
class Export:
    """Who exports, and when (printed on the cover and in every page's footer)."""

    by: str
    at: datetime.datetime

    @property
    def note(self) -> str:
        return _("导出人：%(by)s　导出时间：%(at)s") % {
            "by": self.by,
            "at": timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M"),
        }


def book_meetings(unit: Unit, year: int):
    """The unit's meetings of ``year`` with everything the book prints (a fixed number of queries)."""
    return (
        Meeting.objects.active()
        .filter(unit=unit, date__year=year)
        .select_related("host", "recorder", "lecturer", "entered_by")
        .prefetch_related(
            "kinds",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by("-status", "member__name", "member_id"),
            ),
            Prefetch("problems", queryset=MeetingProblem.objects.order_by("sort_order", "id")),
        )
        .order_by("date", "start_time", "id")
    )


def committee_of(unit: Unit) -> Unit | None:
    """The 机关党委 above ``unit`` (the nearest unit of kind committee), or None."""
    paths = unit.ancestor_paths()[:-1]
    if not paths:
        return None
    return Unit.objects.filter(path__in=paths, kind=UnitKind.COMMITTEE).order_by("-path").first()


def kind_names(meeting: Meeting) -> str:
    kinds = sorted(meeting.kinds.all(), key=lambda k: (k.sort_order, k.pk))
    return "、".join(k.name for k in kinds)


def time_text(meeting: Meeting) -> str:
    text = d.chinese_date(meeting.date)
    if meeting.start_time and meeting.end_time:
        text += f" {meeting.start_time:%H:%M}—{meeting.end_time:%H:%M}"
    elif meeting.start_time:
        text += f" {meeting.start_time:%H:%M}"
    return text


def days_late(meeting: Meeting) -> int:
    return max(0, (timezone.localdate(meeting.entered_at) - meeting.date).days)


def late_note(meeting: Meeting) -> str:
    return _("本记录于%(day)s录入，晚于会议日期%(n)s天（补录）。") % {
        "day": timezone.localdate(meeting.entered_at).isoformat(),
        "n": days_late(meeting),
    }


def _person(member) -> str:
    return member.name if member is not None else "—"


def _counts(meeting: Meeting) -> tuple[int, int, int]:
    rows = list(meeting.attendance.all())
    present = sum(1 for a in rows if a.status == AttendanceStatus.PRESENT)
    return len(rows), present, len(rows) - present


def _absence_text(a: Attendance) -> str:
    if a.status != AttendanceStatus.ABSENT:
        return ""
    text = a.get_absence_reason_display() if a.absence_reason else ""
    if a.note:
        text = f"{text}（{a.note}）" if text else a.note
    return text


def build_minutes_book(unit: Unit, year: int, *, export: Export) -> tuple[bytes, int]:
    """The book's bytes and the number of meetings in it."""
    meetings = list(book_meetings(unit, year))
    committee = committee_of(unit)
    title = _("%(unit)s%(year)s年会议记录本") % {"unit": unit.name, "year": year}
    doc = d.new_document(title=title, author=export.by)
    d.add_footer(doc, export.note)
    _cover(doc, unit, year, committee, export)
    d.page_break(doc)
    _contents(doc, meetings, year)
    for number, meeting in enumerate(meetings, start=1):
        d.page_break(doc)
        _meeting_section(doc, number, meeting)
    return d.to_bytes(doc), len(meetings)


def _cover(doc, unit: Unit, year: int, committee: Unit | None, export: Export) -> None:
    for _i in range(4):
        doc.add_paragraph()
    if committee is not None:
        d.paragraph(doc, committee.name, size=Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER)
    d.paragraph(doc, unit.name, size=Pt(22), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph()
    d.paragraph(doc, _("会议记录本"), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    d.paragraph(doc, _("（%(year)s年度）") % {"year": year}, size=Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER)
    for _i in range(6):
        doc.add_paragraph()
    pairs = [
        (_("单位"), unit.name),
        (_("年度"), _("%(year)s年") % {"year": year}),
        (_("所属党委"), committee.name if committee else "—"),
        (_("打印日期"), d.chinese_date(timezone.localtime(export.at).date())),
        (_("导出人"), export.by),
    ]
    d.field_table(doc, pairs, label_width_mm=30, value_width_mm=80)


def _contents(doc, meetings: list[Meeting], year: int) -> None:
    d.heading(doc, _("会议目录"), 1)
    if not meetings:
        d.paragraph(doc, _("%(year)s年没有会议记录。") % {"year": year})
        return
    rows = [[_("序号"), _("会议日期"), _("会议类型"), _("主题"), _("备注")]]
    for number, m in enumerate(meetings, start=1):
        rows.append([str(number), m.date.isoformat(), kind_names(m), m.topic, _("补录") if m.late_entry else ""])
    d.table(doc, rows, widths_mm=[12, 26, 42, 62, 14])
    d.paragraph(doc, _("共%(n)s次会议。") % {"n": len(meetings)}, size=Pt(10))


def _meeting_section(doc, number: int, meeting: Meeting) -> None:
    kinds = kind_names(meeting)
    d.heading(
        doc, _("%(n)s. %(kinds)s（%(date)s）") % {"n": number, "kinds": kinds, "date": d.chinese_date(meeting.date)}, 1
    )
    if meeting.late_entry:
        p = d.paragraph(doc, late_note(meeting), bold=True)
        p.runs[0].font.color.rgb = RGBColor(0xA6, 0x26, 0x1E)
    due, present, absent = _counts(meeting)
    pairs = [
        (_("时间"), time_text(meeting)),
        (_("地点"), meeting.place or "—"),
        (_("会议类型"), kinds),
        (_("主持人"), _person(meeting.host)),
        (_("记录人"), _person(meeting.recorder)),
    ]
    if meeting.lecturer_id:
        pairs.append((_("讲课人"), _person(meeting.lecturer)))
    if meeting.held_for_year:
        # The 年度 stored on the record (a 组织生活会 held in January may be last year's).
        pairs.append((_("所属年度"), _("%(year)s年度") % {"year": meeting.held_for_year}))
    pairs += [
        (
            _("应到/实到/缺席"),
            _("应到%(due)s人，实到%(present)s人，缺席%(absent)s人")
            % {"due": due, "present": present, "absent": absent},
        ),
        (_("主题"), meeting.topic),
        (_("主题类别"), meeting.get_theme_category_display() or "—"),
    ]
    d.field_table(doc, pairs)

    d.heading(doc, _("出席情况"), 2)
    rows = [[_("姓名"), _("出席情况"), _("缺席原因")]]
    for a in meeting.attendance.all():
        rows.append([a.member.name, a.get_status_display(), _absence_text(a)])
    if len(rows) == 1:
        rows.append([_("（未登记）"), "", ""])
    d.table(doc, rows, widths_mm=[50, 40, 66])

    d.heading(doc, _("列席人员"), 2)
    invited = [line.strip() for line in (meeting.invited or "").splitlines() if line.strip()]
    d.paragraph(doc, "、".join(invited) if invited else _("无"))

    d.heading(doc, _("会议纪要"), 2)
    d.text_block(doc, meeting.minutes, empty=_("（未填写）"))

    d.heading(doc, _("决议事项"), 2)
    d.text_block(doc, meeting.resolutions, empty=_("无"))

    codes = {k.code for k in meeting.kinds.all()}
    problems = list(meeting.problems.all())
    if LIFE_MEETING in codes or problems:
        d.heading(doc, _("解决的实际问题"), 2)
        if problems:
            rows = [[_("序号"), _("问题"), _("整改措施")]]
            rows += [[str(i), p.text, p.measure or "—"] for i, p in enumerate(problems, start=1)]
            d.table(doc, rows, widths_mm=[12, 80, 64])
        else:
            d.paragraph(doc, _("（未填写）"))

    entered_by = meeting.entered_by
    who = (entered_by.get_full_name() or entered_by.get_username()) if entered_by else "—"
    source = _("（台账导入）") if meeting.source == EntrySource.IMPORT else ""
    d.paragraph(
        doc,
        _("录入人：%(who)s　录入时间：%(at)s%(source)s")
        % {"who": who, "at": timezone.localtime(meeting.entered_at).strftime("%Y-%m-%d %H:%M"), "source": source},
        size=Pt(10),
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )


def filename(unit: Unit, year: int) -> str:
    return _("%(unit)s-%(year)s-会议记录本.docx") % {"unit": unit.name, "year": year}
