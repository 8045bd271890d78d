"""The documents themselves: re-opened with python-docx, their text, tables and fonts."""

import datetime

from django.utils import timezone
from docx.shared import Mm

from meetings.models import MeetingKind
from reports.minutes_book import Export, build_minutes_book, committee_of
from reports.notice import build_notice
from reports.tests.helpers import all_text, footer_fields, footer_text, open_docx, style_fonts
from tests import factories as f

EXPORT = Export(by="党群办", at=timezone.make_aware(datetime.datetime(2026, 1, 5, 10, 30)))


def test_styles_carry_east_asian_fonts_with_a_latin_fallback(meetings_a, personas):
    content, _n = build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)
    doc = open_docx(content)
    normal = style_fonts(doc, "Normal")
    assert (
        normal["eastAsia"] == "宋体" and normal["ascii"] == "Times New Roman" and normal["hAnsi"] == "Times New Roman"
    )
    for name in ("Heading 1", "Heading 2", "Title"):
        fonts = style_fonts(doc, name)
        assert fonts["eastAsia"] == "黑体", name
        # A theme font would win over the explicit name, so none may remain.
        assert not any(key.endswith("Theme") for key in fonts), name


def test_the_page_is_a4_with_page_numbers_and_the_exporter_in_the_footer(meetings_a, personas):
    doc = open_docx(build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)[0])
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(28)) < Mm(1)
    assert footer_fields(doc) == ["PAGE", "NUMPAGES"]
    assert "导出人：党群办" in footer_text(doc) and "2026-01-05 10:30" in footer_text(doc)


def test_the_cover_names_unit_year_committee_and_exporter(meetings_a, personas):
    doc = open_docx(build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)[0])
    text = all_text(doc)
    assert "第一党支部" in text and "会议记录本" in text and "（2025年度）" in text
    assert "测试机关党委" in text and "2026年1月5日" in text and "党群办" in text
    assert doc.core_properties.title == "第一党支部2025年会议记录本"


def test_the_book_holds_the_years_active_meetings_in_date_order(meetings_a, personas):
    content, count = build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)
    doc = open_docx(content)
    assert count == 2
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "会议目录",
        "1. 支部党员大会、党课、主题党日（2025年3月10日）",
        "2. 组织生活会（2025年6月20日）",
    ]
    contents = doc.tables[1]
    assert [c.text for c in contents.rows[0].cells] == ["序号", "会议日期", "会议类型", "主题", "备注"]
    assert [c.text for c in contents.rows[2].cells] == ["2", "2025-06-20", "组织生活会", "年度组织生活会", "补录"]
    text = all_text(doc)
    for absent in ("已归档的会议", "去年的会议", "乙支部的会议"):
        assert absent not in text


def test_each_meeting_section_has_every_field_and_the_attendance_table(meetings_a, personas):
    doc = open_docx(build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)[0])
    fields = {row.cells[0].text: row.cells[1].text for row in doc.tables[2].rows}
    assert fields["时间"] == "2025年3月10日 14:30—16:00"
    assert fields["地点"] == "三楼会议室"
    assert fields["主持人"] == "甲书记" and fields["记录人"] == "甲党员" and fields["讲课人"] == "甲书记"
    assert fields["应到/实到/缺席"] == "应到3人，实到2人，缺席1人"
    assert fields["主题"] == "学习二十届三中全会精神" and fields["主题类别"] == "党建"
    attendance = [[c.text for c in row.cells] for row in doc.tables[3].rows]
    assert attendance[0] == ["姓名", "出席情况", "缺席原因"]
    assert ["甲同事", "缺席", "病假"] in attendance and ["甲党员", "出席", ""] in attendance
    text = all_text(doc)
    assert "李局长、王处长" in text
    assert "书记领学全会公报。" in text and "党员逐一交流学习体会。" in text
    assert "每名党员撰写心得一篇。" in text
    assert "录入人：甲书记　录入时间：2025-03-10 18:00" in text


def test_a_late_life_meeting_shows_its_problems_and_the_late_entry_note(meetings_a, personas):
    doc = open_docx(build_minutes_book(personas.org.branch_a, 2025, export=EXPORT)[0])
    text = all_text(doc)
    assert "本记录于2025-07-10录入，晚于会议日期20天（补录）。" in text
    fields = {row.cells[0].text: row.cells[1].text for row in doc.tables[4].rows}
    assert "讲课人" not in fields and fields["时间"] == "2025年6月20日 09:00"
    problems = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert problems == [["序号", "问题", "整改措施"], ["1", "学习制度执行不严", "建立学习台账"]]
    # The on-time meeting carries no 补录 note.
    assert text.count("补录）") == 1


def test_a_year_without_meetings_still_gives_a_book_that_says_so(personas):
    content, count = build_minutes_book(personas.org.branch_a, 2023, export=EXPORT)
    assert count == 0
    assert "2023年没有会议记录。" in all_text(open_docx(content))


def test_the_committee_of_a_party_group_is_found_above_its_branch(personas):
    assert committee_of(personas.org.group_a) == personas.org.committee
    assert committee_of(personas.org.committee) is None


def test_the_notice_names_unit_kinds_time_place_attendees_and_requirements(meetings_a, personas):
    doc = open_docx(build_notice(meetings_a.combined, export=EXPORT))
    text = all_text(doc)
    assert "会议通知" in text and "关于召开支部党员大会、党课、主题党日的通知" in text
    assert "经第一党支部研究，定于2025年3月10日（星期一）14:30—16:00召开支部党员大会、党课、主题党日" in text
    assert "一、会议主题\n学习二十届三中全会精神" in text
    assert "三、会议地点\n三楼会议室" in text
    assert "甲书记、甲党员、甲同事；列席：李局长、王处长" in text
    assert "会议要求" in text and "半数以上正式党员" in text and "学习笔记本" in text
    # Signature: the unit and the date the notice was printed.
    assert [p.text for p in doc.paragraphs if p.text][-2:] == ["第一党支部", "2026年1月5日"]
    assert style_fonts(doc, "Normal")["eastAsia"] == "宋体"
    assert footer_fields(doc) == ["PAGE", "NUMPAGES"]


def test_a_notice_without_attendance_invites_all_members(personas):
    meeting = f.MeetingFactory(unit=personas.org.branch_a, place="", kinds=[MeetingKind.objects.get(code="theme_day")])
    text = all_text(open_docx(build_notice(meeting, export=EXPORT)))
    assert "第一党支部全体党员" in text and "另行通知" in text


def test_a_life_meeting_held_in_january_prints_the_year_it_was_held_for(personas):
    """One 年度 per 组织生活会: the book prints the value stored on the record."""
    meeting = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2026, 1, 20), kinds=["life_meeting"])
    meeting.held_for_year = 2025
    meeting.save()
    text = all_text(open_docx(build_minutes_book(personas.org.branch_a, 2026, export=EXPORT)[0]))
    assert "所属年度" in text and "2025年度" in text
