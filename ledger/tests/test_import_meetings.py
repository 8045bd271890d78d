"""Sheet 会议: past meetings imported through the meeting rules, all or nothing, once only."""

import datetime

import pytest
from django.utils import timezone

from common.models import AuditEntry
from ledger.services import import_ledger
from ledger.sheets.meetings import import_key
from ledger.template import build_template
from ledger.tests import helpers as h
from ledger.tests.conftest import has_error
from meetings.models import Attendance, EntrySource, Meeting, MeetingProblem
from tests import factories as f

HEADERS = ["单位", "日期", "开始时间", "类型", "主题", "主持人", "记录人", "讲课人", "出席", "缺席", "纪要", "问题数"]


def row(**changes):
    """A valid row: a combined sitting of 第一党支部 (from the personas) on 2025-03-10."""
    values = {
        "单位": "第一党支部",
        "日期": "2025-03-10",
        "开始时间": "14:30",
        "类型": "主题党日、支部党员大会、党课",
        "主题": "学习党章",
        "主持人": "甲书记",
        "记录人": "甲党员",
        "讲课人": "甲书记",
        "出席": "甲书记、甲党员",
        "缺席": "甲同事：病假",
        "纪要": "书记讲党课，党员交流。",
        "问题数": None,
    }
    values.update(changes)
    return [values[k] for k in HEADERS]


def sheet(*rows):
    return h.xlsx({"会议": [HEADERS, *rows]})


def same_workbook(*meetings, terms=False):
    """A workbook that adds the units and members of ledger/tests/helpers.py (and, with ``terms``,
    the committee of 第三党支部) as well as these meeting rows."""
    sheets = {"组织": h.unit_rows(), "党员": h.member_rows()}
    if terms:
        sheets["支委"] = h.term_rows()
    return h.xlsx({**sheets, "会议": [HEADERS, *meetings]})


def hosted_by_zhao(**changes):
    """A meeting row of the same workbook's people: 赵一 hosts, 钱二 records, no lecturer."""
    return row(**{"讲课人": None, "主持人": "赵一", "记录人": "钱二", **changes})


def valid_rows():
    return [
        row(),
        row(
            日期="2025-04-02",
            开始时间="09:00",
            类型="支委会",
            主题="研究发展党员",
            讲课人=None,
            出席="甲书记",
            缺席=None,
        ),
        row(
            单位="第一党小组",
            日期="2025-05-06",
            开始时间=datetime.time(15, 0),
            类型="党小组会",
            主题="交流学习心得",
            主持人="甲党员",
            记录人="甲同事",
            讲课人=None,
            出席="甲书记、甲党员、甲同事",
            缺席=None,
        ),
        row(
            日期=datetime.date(2025, 6, 20),
            开始时间=None,
            类型="组织生活会",
            主题="年度组织生活会",
            讲课人=None,
            出席="甲书记、甲党员、甲同事",
            缺席=None,
            问题数=2,
        ),
    ]


@pytest.fixture
def refused_meetings(refused):
    """Like ``refused``, and also no meeting, attendance or problem row stored."""

    def _refused(data: bytes, **kwargs):
        before = (Meeting.objects.count(), Attendance.objects.count(), MeetingProblem.objects.count())
        errors = refused(data, **kwargs)
        assert (Meeting.objects.count(), Attendance.objects.count(), MeetingProblem.objects.count()) == before
        return errors

    return _refused


def test_it_imports_valid_meetings_through_the_meeting_rules(personas):
    result = import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    assert [(s.name, s.rows, s.added, s.present) for s in result.sheets] == [("会议", 4, 4, 0)]
    combined = Meeting.objects.get(topic="学习党章")
    assert combined.unit == personas.org.branch_a and combined.date == datetime.date(2025, 3, 10)
    assert combined.start_time == datetime.time(14, 30)
    assert {k.code for k in combined.kinds.all()} == {"theme_day", "general_meeting", "party_lesson"}
    assert combined.host == personas.members.secretary_a and combined.recorder == personas.members.member_a
    assert combined.lecturer == personas.members.secretary_a
    assert combined.minutes == "书记讲党课，党员交流。"
    assert {(a.member.name, a.status, a.absence_reason) for a in combined.attendance.all()} == {
        ("甲书记", "present", ""),
        ("甲党员", "present", ""),
        ("甲同事", "absent", "sick"),
    }
    assert combined.source == EntrySource.IMPORT and combined.entered_by == personas.staff
    codes = ["general_meeting", "party_lesson", "theme_day"]
    assert combined.import_key == import_key(
        personas.org.branch_a.pk, combined.date, combined.start_time, codes, "学习党章"
    )
    group = Meeting.objects.get(topic="交流学习心得")
    assert group.unit == personas.org.group_a and group.start_time == datetime.time(15, 0)


def test_imported_records_keep_the_import_time_and_old_ones_show_as_late(personas):
    before = timezone.now()
    import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    entered = set(Meeting.objects.values_list("entered_at", flat=True))
    assert len(entered) == 1 and before <= entered.pop() <= timezone.now()
    assert all(Meeting.objects.values_list("late_entry", flat=True))


def test_a_recent_meeting_is_not_late(personas):
    day = timezone.localdate() - datetime.timedelta(days=2)
    import_ledger(h.upload(sheet(row(日期=day.isoformat()))), actor=personas.staff)
    assert Meeting.objects.get().late_entry is False


def test_the_problem_count_becomes_placeholder_problems(personas):
    import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    life = Meeting.objects.get(topic="年度组织生活会")
    assert list(life.problems.values_list("text", flat=True)) == [
        "（台账导入：问题1，详见会议纪要）",
        "（台账导入：问题2，详见会议纪要）",
    ]
    assert not Meeting.objects.get(topic="学习党章").problems.exists()


def test_each_imported_meeting_has_its_recorded_entry_and_the_summary_counts_it(personas):
    import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    entries = AuditEntry.objects.filter(action="meetings.meeting.recorded")
    assert entries.count() == 4 and {e.data["source"] for e in entries} == {"import"}
    summary = AuditEntry.objects.get(action="ledger.workbook.imported")
    assert summary.data["sheets"]["会议"] == {"rows": 4, "added": 4, "present": 0}


def test_importing_twice_adds_nothing(personas):
    import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    counts = (Meeting.objects.count(), Attendance.objects.count(), MeetingProblem.objects.count())
    again = import_ledger(h.upload(sheet(*valid_rows())), actor=personas.staff)
    assert [(s.added, s.present) for s in again.sheets] == [(0, 4)]
    assert (Meeting.objects.count(), Attendance.objects.count(), MeetingProblem.objects.count()) == counts


def test_a_meeting_already_recorded_by_hand_counts_as_present(personas):
    f.MeetingFactory(
        unit=personas.org.branch_a, date=datetime.date(2025, 3, 10), start_time=datetime.time(14, 30), topic="学习党章"
    )
    result = import_ledger(h.upload(sheet(row())), actor=personas.staff)
    assert [(s.added, s.present) for s in result.sheets] == [(0, 1)]
    assert Meeting.objects.count() == 1


def test_it_imports_meetings_of_units_and_members_added_by_the_same_workbook(personas):
    people = "赵一、钱二、孙三、李四、周五"
    workbook = same_workbook(
        hosted_by_zhao(单位="第三党支部", 类型="支部党员大会", 出席=people, 缺席="吴六:公差、郑七:事假、王八:其他"),
        hosted_by_zhao(
            单位="第三党支部", 类型="支委会", 主题="支委会", 记录人="李四", 出席="赵一、李四", 缺席="周五:病假"
        ),
        terms=True,
    )
    result = import_ledger(h.upload(workbook), actor=personas.staff)
    assert {s.name: s.added for s in result.sheets}["会议"] == 2
    meeting = Meeting.objects.get(unit__name="第三党支部", topic="学习党章")
    assert meeting.attendance.filter(status="present").count() == 5


def test_a_same_workbook_committee_meeting_without_quorum_is_refused(refused_meetings):
    meeting = hosted_by_zhao(单位="第三党支部", 类型="支委会", 出席="赵一、钱二", 缺席="李四:公差、周五:病假")
    errors = refused_meetings(same_workbook(meeting, terms=True))
    assert has_error(errors, "会议", 2, "出席", "支委会须有半数以上支委到会，应到支委3人，实到1人")


# Rows the meeting rules refuse: (changes to the valid row, column, message).
REFUSED_ROWS = [
    pytest.param({"单位": "第九党支部"}, "单位", "单位“第九党支部”不存在", id="an_unknown_unit"),
    pytest.param({"单位": "测试机关党委"}, "单位", "不是党支部或党小组", id="the_committee_as_the_meetings_unit"),
    pytest.param(
        {"类型": "主题党日、三会"},
        "类型",
        "“三会”不是会议类型，应为：支委会、党小组会、支部党员大会",
        id="an_unknown_kind_name",
    ),
    pytest.param(
        {"出席": "甲书记、甲党员、乙书记"},
        "出席",
        "“乙书记”在2025-03-10不是“第一党支部”的党员",
        id="a_name_that_is_not_a_member_of_the_unit",
    ),
    pytest.param(
        {"出席": "甲书记", "缺席": "甲党员:公差、甲同事:病假"},
        "出席",
        "支部党员大会须有半数以上正式党员到会，应到正式党员3人，实到1人",
        id="a_general_meeting_without_quorum",
    ),
    pytest.param({"讲课人": None}, "讲课人", "党课须填写讲课人", id="a_party_lesson_without_lecturer"),
    pytest.param(
        {"类型": "组织生活会", "讲课人": None, "问题数": 0},
        "问题数",
        "组织生活会须记录解决的实际问题",
        id="a_life_meeting_without_problems",
    ),
    pytest.param({"缺席": "甲党员:事假、甲同事:病假"}, "出席", "甲党员 重复登记", id="someone_both_present_and_absent"),
    pytest.param(
        {"单位": "第一党小组", "类型": "支委会", "讲课人": None, "缺席": None},
        "类型",
        "支委会和支部党员大会只能由党支部召开",
        id="a_branch_only_kind_for_a_party_group",
    ),
]


@pytest.mark.parametrize(("changes", "column", "message"), REFUSED_ROWS)
def test_it_refuses_a_row(changes, column, message, refused_meetings):
    errors = refused_meetings(sheet(row(**changes)))
    assert has_error(errors, "会议", 2, column, message)


def test_it_refuses_a_unit_outside_the_importers_scope(personas, refused_meetings):
    other = f.CommitteeUnitFactory(name="另一机关党委")
    f.UnitFactory(name="外单位党支部", parent=other)
    errors = refused_meetings(sheet(row(单位="外单位党支部")))
    assert has_error(errors, "会议", 2, "单位", "不在您的管理范围内")


def test_it_refuses_a_member_who_joined_the_branch_after_the_meeting(personas, refused_meetings):
    f.member_in(personas.org.branch_a, name="新同志", start_on=datetime.date(2025, 6, 1))
    errors = refused_meetings(sheet(row(出席="甲书记、甲党员、新同志")))
    assert has_error(errors, "会议", 2, "出席", "“新同志”在2025-03-10不是“第一党支部”的党员")


def test_it_asks_to_tell_apart_two_members_of_the_same_name(personas, refused_meetings):
    twin = f.member_in(personas.org.branch_a, name="甲党员")
    errors = refused_meetings(sheet(row()))
    assert has_error(errors, "会议", 2, "记录人", "有2名党员叫“甲党员”，请写成“甲党员（公民身份号码后四位）”")
    assert has_error(errors, "会议", 2, "出席", "有2名党员叫“甲党员”")
    # Told apart by the last four characters of the ID number, the row imports.
    other = personas.members.member_a
    import_ledger(
        h.upload(
            sheet(
                row(
                    记录人=f"甲党员（{other.id_number[-4:]}）",
                    出席=f"甲书记、甲党员({other.id_number[-4:]})、甲党员（{twin.id_number[-4:]}）",
                )
            )
        ),
        actor=personas.staff,
    )
    meeting = Meeting.objects.get()
    assert meeting.recorder == other
    assert set(meeting.attendance.values_list("member_id", flat=True)) >= {other.pk, twin.pk}


def test_it_refuses_a_future_date(refused_meetings):
    day = timezone.localdate() + datetime.timedelta(days=3)
    errors = refused_meetings(sheet(row(日期=day.isoformat())))
    assert has_error(errors, "会议", 2, "日期", "已召开的会议不能晚于今天")


@pytest.mark.parametrize("value", ["25:00", "14点半", "9:7"])
def test_it_refuses_a_bad_time(value, refused_meetings):
    errors = refused_meetings(sheet(row(开始时间=value)))
    assert has_error(errors, "会议", 2, "开始时间", f"“{value}”不是时间")


@pytest.mark.parametrize(
    ("value", "text"),
    [("甲同事:出差", "缺席原因“出差”不是允许的值，应为：公差、病假、事假、其他"), ("甲同事", "应写成 姓名:缺席原因")],
)
def test_it_refuses_a_bad_absence(value, text, refused_meetings):
    errors = refused_meetings(sheet(row(缺席=value)))
    assert has_error(errors, "会议", 2, "缺席", text)


def test_it_refuses_the_same_meeting_twice_in_the_file(refused_meetings):
    errors = refused_meetings(sheet(row(), row(纪要="另一份纪要")))
    assert has_error(errors, "会议", 3, "主题", "与第2行是同一次会议")


def test_a_bad_meeting_row_stores_nothing_of_the_other_sheets(personas, refused_meetings):
    workbook = h.xlsx({"组织": h.unit_rows(), "会议": [HEADERS, *valid_rows(), row(单位="第九党支部")]})
    errors = refused_meetings(workbook)
    assert [(e.sheet, e.row, e.column) for e in errors] == [("会议", 6, "单位")]


def test_a_bad_row_of_another_sheet_stores_no_meeting(refused_meetings):
    workbook = h.xlsx(
        {
            "组织": [h.UNIT_HEADERS, ["第三党支部", "党支部", "没有的党委", "2020-01-01", None]],
            "会议": [HEADERS, *valid_rows()],
        }
    )
    errors = refused_meetings(workbook)
    assert [e.sheet for e in errors] == ["组织"]


def test_every_bad_row_is_reported_at_once(refused_meetings):
    errors = refused_meetings(sheet(row(单位="第九党支部"), row(类型="三会"), row(开始时间="99:99", 主题="另一主题")))
    assert [(e.row, e.column) for e in errors] == [(2, "单位"), (3, "类型"), (4, "开始时间")]


def test_the_template_has_the_meetings_sheet_after_the_committees(personas):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames[-1] == "会议"
    assert [c.value for c in wb["会议"][1]] == [*HEADERS, "年度"]
    guide = [str(c.value) for r in wb["说明"].iter_rows() for c in r if c.value]
    assert "工作表“会议”" in guide
    assert any("以导入时间为录入时间" in v for v in guide)


def test_a_refusal_at_write_time_rolls_back_the_whole_workbook(personas, monkeypatch, refused_meetings):
    """Should the stored data differ from what the check saw, record_meeting's refusal is reported
    against the row and nothing at all is kept (the units sheet's rows included)."""
    from meetings import services

    def refuse(*args, **kwargs):
        raise services.MeetingError({"attendance": "出席情况：测试拒绝。"})

    monkeypatch.setattr(services, "record_meeting", refuse)
    workbook = h.xlsx({"组织": h.unit_rows(), "会议": [HEADERS, row()]})
    errors = refused_meetings(workbook)
    assert has_error(errors, "会议", 2, "出席", "测试拒绝")


def group_meeting_workbook(**changes):
    """Units and members from the same workbook, and a 党小组会 of their 第三党小组 hosted by 赵一."""
    return same_workbook(hosted_by_zhao(单位="第三党小组", 类型="党小组会", 缺席=None, **changes))


def test_it_imports_group_meetings_of_members_the_same_workbook_puts_in_the_group(personas):
    workbook = group_meeting_workbook(主题="交流学习心得", 出席="赵一、钱二")
    result = import_ledger(h.upload(workbook), actor=personas.staff)
    assert {s.name: s.added for s in result.sheets}["会议"] == 1
    meeting = Meeting.objects.get(unit__name="第三党小组")
    assert {a.member.name for a in meeting.attendance.all()} == {"赵一", "钱二"}


def test_a_member_of_the_branch_outside_the_group_is_not_taken_for_a_group_member(personas, refused_meetings):
    errors = refused_meetings(group_meeting_workbook(出席="赵一、孙三"))
    assert has_error(errors, "会议", 2, "出席", "“孙三”在2025-03-10不是“第三党小组”的党员")


def test_host_and_recorder_may_be_left_empty_as_the_template_says(personas):
    import_ledger(h.upload(sheet(row(主持人=None, 记录人=None))), actor=personas.staff)
    meeting = Meeting.objects.get(topic="学习党章")
    assert meeting.host is None and meeting.recorder is None


def _with_year(year, **changes):
    return [*row(**changes), year]


def test_the_optional_year_column_sets_a_life_meetings_year(personas):
    """The 会议 sheet's optional 年度 column: a 组织生活会 of 2026-01-20 for 2025 (the default for
    January) or, written so, for 2026; blank takes the default; a wrong year is refused."""
    life = {"类型": "组织生活会", "讲课人": None, "出席": "甲书记、甲党员、甲同事", "缺席": None, "问题数": 1}
    data = h.xlsx(
        {
            "会议": [
                [*HEADERS, "年度"],
                _with_year(None, 日期="2026-01-20", 主题="2025年度组织生活会", **life),
                _with_year(2026, 日期="2026-01-21", 主题="2026年度组织生活会", **life),
            ]
        }
    )
    import_ledger(h.upload(data), actor=personas.staff)
    assert Meeting.objects.get(topic="2025年度组织生活会").held_for_year == 2025
    assert Meeting.objects.get(topic="2026年度组织生活会").held_for_year == 2026


def test_a_year_outside_the_meeting_or_on_another_kind_is_refused(personas, refused_meetings):
    life = {"类型": "组织生活会", "讲课人": None, "出席": "甲书记、甲党员、甲同事", "缺席": None, "问题数": 1}
    data = h.xlsx(
        {
            "会议": [
                [*HEADERS, "年度"],
                _with_year(2023, 日期="2025-06-20", **life),
                _with_year(2025, 日期="2025-06-21"),
            ]
        }
    )
    errors = refused_meetings(data)
    assert has_error(errors, "会议", 2, "年度", "所属年度")
    assert has_error(errors, "会议", 3, "年度", "只有组织生活会")


def test_the_template_documents_the_year_column():
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(build_template()))
    assert "年度" in [c.value for c in book["会议"][1]]
    guide = "\n".join(str(c.value) for r in book["说明"].iter_rows() for c in r if c.value)
    assert "组织生活会所属年度" in guide
