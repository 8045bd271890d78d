"""Committee staff's yearly assessment (考核), in a real browser: the year's indicator tree (its
leaves summing to 100) and the branches' scores computed from the records; a manual score refused
without its evidence (the field named in Chinese), then entered, moving the branch's total and
grade; a lost point explained down to the record behind it; the year published and frozen (no
edit buttons, an edit from a form opened before refused); the ranking downloaded as .xlsx; and the
ranking refused to a branch secretary."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments import services as assessments
from assessments.models import Choice, Score
from meetings.models import MeetingKind
from meetings.services import record_meeting
from rectification.services import open_item
from study.services import confirm_study, record_study
from tests.browser.conftest import log_in, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROBLEM = "支部会议签到表缺失，部分会议无法核实出席情况"
LEADERSHIP = "班子建设和“五带头”作用"
EVIDENCE = "查阅支委会记录和班子成员分工，实地访谈党员3人。"
COMMENT = "班子成员讲党课次数偏少。"
# The inspector's earlier scores of the other manual leaves: (leaf, branch A, branch B).
INSPECTOR_SCORES = (
    ("理论学习和读书心得交流质量", 4, 2),
    ("服务中心工作和联系服务群众", 4, 3),
    ("党建特色和示范引领", 4, 2),
    (LEADERSHIP, None, 5),
)


def _sitting(unit, day, codes, people, *, host, topic, lecturer=None, problems=()):
    """A meeting recorded the evening after it was held (so not 补录), everyone present."""
    entered = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(18)))
    data = {
        "date": day,
        "start_time": datetime.time(14, 30),
        "end_time": datetime.time(16, 30),  # two study hours where the kind counts
        "place": "三楼会议室",
        "topic": topic,
        "host": host,
        "recorder": host,
        "minutes": f"{topic}：传达学习上级精神，研究部署支部工作，与会党员结合岗位谈认识。",
    }
    if lecturer is not None:
        data["lecturer"] = lecturer
    return record_meeting(
        unit,
        data,
        actor=host.user,
        kinds=list(MeetingKind.objects.filter(code__in=codes)),
        attendance=[(m, "present", "") for m in people],
        problems=problems,
        entered_at=entered,
    )


def _year_on_record(personas, year):
    """Branch A keeps every rule of ``year`` and everyone reaches the study target, but one
    rectification item is still open past its deadline; its secretary's duty report was judged
    satisfactory. Branch B recorded nothing. The inspector has scored every manual leaf except
    branch A's "班子建设", which is left to the committee staff in the browser."""
    org, people, staff = personas.org, personas.members, personas.staff
    team = [people.secretary_a, people.member_a, people.other_a]
    sec = people.secretary_a
    for month in range(1, 13):
        _sitting(
            org.branch_a,
            datetime.date(year, month, 8),
            ["committee_meeting", "theme_day"],
            team,
            host=sec,
            topic=f"{month}月支委会暨主题党日",
        )
        _sitting(
            org.group_a, datetime.date(year, month, 18), ["group_meeting"], team, host=sec, topic=f"{month}月党小组会"
        )
    for quarter in range(4):
        _sitting(
            org.branch_a,
            datetime.date(year, 3 * quarter + 2, 20),
            ["general_meeting", "party_lesson", "reading_exchange"],
            team,
            host=sec,
            topic=f"第{quarter + 1}季度党员大会、党课暨读书交流",
            lecturer=sec,
        )
    _sitting(
        org.branch_a,
        datetime.date(year, 12, 22),
        ["life_meeting"],
        team,
        host=sec,
        topic="年度组织生活会",
        problems=["会议记录录入不及时"],
    )
    # 16 sittings count as study (theme days, party lessons) × 2 hours = 32: the members' target;
    # the secretary, a committee member (56), adds confirmed self-study.
    study = record_study(
        sec,
        {"title": "网络培训：党支部书记专题培训班", "date": datetime.date(year, 7, 15), "hours": 24},
        actor=personas.secretary_a,
        today=datetime.date(year, 12, 31),
    )
    confirm_study(study, actor=staff)
    open_item(
        unit=org.branch_a,
        source="inspection",
        problem=PROBLEM,
        measure="建立会议签到和纪要审核制度。",
        responsible=sec,
        deadline=datetime.date(year, 9, 30),
        actor=personas.inspector,
    )
    report = assessments.create_duty_report(
        org.branch_a,
        sec,
        {
            "year": year,
            "title": "第一党支部书记抓党建述职",
            "text": "一年来认真履行抓党建第一责任人职责，按时召开支委会。",
        },
        actor=personas.secretary_a,
    )
    assessments.submit_duty_report(report, actor=personas.secretary_a)
    assessments.cast_duty_vote(report, Choice.SATISFIED, actor=staff)
    assessments.cast_duty_vote(report, Choice.SATISFIED, actor=personas.member_a)
    # A third voter: a result below ZHIBU_BALLOT_MIN_VOTERS (3) is withheld and scores 不适用.
    assessments.cast_duty_vote(report, Choice.SATISFIED, actor=personas.inspector)
    assessments.close_duty_report(report, actor=staff)

    indicator_set = assessments.create_indicator_set(year, actor=staff)
    assessments.recompute_year(indicator_set, actor=staff)
    for name, points_a, points_b in INSPECTOR_SCORES:
        for branch, points in ((org.branch_a, points_a), (org.branch_b, points_b)):
            if points is None:
                continue
            score = Score.objects.get(assessment__unit=branch, indicator__name=name)
            full = points == score.indicator.weight
            assessments.enter_manual_score(
                score,
                {
                    "points": Decimal(points),
                    "evidence_text": "查阅支部台账和学习记录。",
                    "comment": "" if full else "材料不够充实。",
                },
                actor=personas.inspector,
                expected_version=score.version,
            )
    return indicator_set


def _row(page, name):
    """The row of the indicator ``name`` in the page's indicator table (its first cell starts
    with the name; the scoring rule follows under it)."""
    first_cell = page.locator("td:first-child", has_text=re.compile("^" + re.escape(name)))
    return page.locator("table.indicator-tree tbody tr", has=first_cell)


def _stat(page, label):
    return page.locator(".card.stat", has_text=label).locator("strong")


def test_staff_score_publish_and_export_the_year(page, other_page, personas, builtin_rows):
    year = timezone.localdate().year - 1  # the last full year, as the committee assesses it
    _year_on_record(personas, year)
    branch_a, branch_b = personas.org.branch_a, personas.org.branch_b

    log_in(page, "staff")

    # -- The year: its indicator tree, the leaves summing to 100 ------------------------------
    nav(page, "考核评价")
    page.get_by_role("link", name=f"{year}年度", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"{year}年度党建考核")
    expect(heading.locator(".badge")).to_have_text("未发布")
    tree = page.locator("table.indicator-tree")
    expect(tree.locator("tr.indicator-group td:first-child")).to_have_text(
        ["一、组织生活", "二、学习教育", "三、整改落实", "四、班子建设和述职评议", "五、作用发挥"]
    )
    leaves = tree.locator("tbody tr:not(.indicator-group)")
    expect(leaves).to_have_count(12)
    weights = [Decimal(w) for w in leaves.locator("td:nth-child(2)").all_inner_texts()]
    assert sum(weights) == 100
    expect(page.get_by_text("末级指标分值合计100.0分。")).to_be_visible()
    expect(_row(page, LEADERSHIP)).to_contain_text("人工评分")
    # Unpublished, the tree can still be changed.
    expect(page.get_by_role("link", name="新增指标")).to_be_visible()
    expect(_row(page, LEADERSHIP).get_by_role("link", name="修改")).to_be_visible()
    shot(page, "assessment-1-year")

    # -- The branches' scores, computed from the records ---------------------------------------
    page.get_by_role("link", name="考核结果与排名").first.click()
    expect(page.get_by_text("还有1项人工评分未完成。")).to_be_visible()
    ranking = page.locator("table").last.locator("tbody tr")
    expect(ranking).to_have_count(2)
    # Rank, branch, total, grade.
    expect(ranking.nth(0).locator("td:nth-child(-n+4)")).to_have_text(["1", branch_a.name, "75.33", "一般"])
    expect(ranking.nth(1).locator("td:nth-child(-n+4)")).to_have_text(["2", branch_b.name, "27.00", "差"])
    shot(page, "assessment-2-ranking")
    ranking.nth(0).get_by_role("link", name=branch_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{branch_a.name} {year}年度党建考核")
    expect(_stat(page, "总分")).to_have_text("75.33")
    expect(_stat(page, "等次")).to_have_text("一般")
    for name, points in (
        ("“三会一课”、主题党日等制度落实", "20.00"),
        ("党员学时达标", "10.00"),
        ("整改事项销号", "0.00"),
        ("整改按期完成", "3.33"),
        ("书记抓党建述职评议", "10.00"),
    ):
        expect(_row(page, name).locator("td").nth(2)).to_have_text(points)
    expect(_row(page, LEADERSHIP).locator("td").nth(2)).to_have_text("未评分")
    shot(page, "assessment-3-branch")

    # -- A manual score: refused without evidence, then entered ---------------------------------
    _row(page, LEADERSHIP).get_by_role("link", name="评分", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"人工评分：{LEADERSHIP}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(branch_a.name)
    page.get_by_label("得分").fill("9")
    page.get_by_label("评语").fill(COMMENT)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("没有保存，请按提示修改。")).to_be_visible()
    expect(page.locator(".form-row.has-error")).to_have_count(1)
    expect(page.locator(".form-row.has-error")).to_contain_text("评分依据：请写明评分所依据的材料或检查情况。")
    expect(page.get_by_label("得分")).to_have_value("9")
    expect(page.get_by_label("评语")).to_have_value(COMMENT)
    shot(page, "assessment-4-evidence-refused")
    page.get_by_label("评分依据").fill(EVIDENCE)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"“{LEADERSHIP}”的评分已保存。")).to_be_visible()

    # -- The total and grade move; the score's history says who and why ------------------------
    expect(_stat(page, "总分")).to_have_text("84.33")
    expect(_stat(page, "等次")).to_have_text("较好")
    scored = _row(page, LEADERSHIP)
    expect(scored.locator("td").nth(2)).to_have_text("9.00")
    expect(scored).to_contain_text(f"评分依据：{EVIDENCE}")
    expect(scored).to_contain_text(f"评语：{COMMENT}")
    expect(scored).to_contain_text("党群办")
    history = page.locator("section.card", has_text="得分变化记录").locator("tbody tr").first
    expect(history).to_contain_text(LEADERSHIP)
    expect(history).to_contain_text(f"人工评分：党群办人工评分：{COMMENT}")
    shot(page, "assessment-5-scored")

    # -- A lost point, down to the record behind it ----------------------------------------------
    closure = _row(page, "整改事项销号")
    expect(closure).to_contain_text("本年度已到期或已销号的整改事项1项，已销号0项；计算值0%，得0分（满分10分）。")
    closure.get_by_role("link", name=re.compile(PROBLEM)).click()
    item_heading = page.get_by_role("heading", level=1)
    expect(item_heading).to_contain_text(PROBLEM)
    expect(item_heading).to_contain_text("待整改")
    expect(item_heading).to_contain_text("逾期")
    expect(page.get_by_text(f"{branch_a.name} · 督查 · 整改期限 {year}-09-30")).to_be_visible()
    shot(page, "assessment-6-lost-point-record")
    page.go_back()

    # Meanwhile the score's form is left open in another tab, from before the year is published.
    late_tab = page.context.new_page()
    late_tab.goto(page.url)
    _row(late_tab, LEADERSHIP).get_by_role("link", name="修改评分").click()
    expect(late_tab.get_by_label("得分")).to_have_value("9.00")

    # -- Publish: the year is frozen --------------------------------------------------------------
    page.locator("nav.breadcrumbs").get_by_role("link", name=f"{year}年度").click()
    page.get_by_role("link", name="考核结果与排名").first.click()
    expect(page.get_by_text("还有1项人工评分未完成。")).to_have_count(0)
    expect(page.locator("table").last.locator("tbody tr").first.locator("td:nth-child(-n+4)")).to_have_text(
        ["1", branch_a.name, "84.33", "较好"]
    )
    page.once("dialog", lambda dialog: dialog.accept())  # 发布后……确定发布？
    page.get_by_role("button", name="发布结果").click()
    expect(page.get_by_text(f"{year}年度考核结果已发布并锁定。")).to_be_visible()
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("已发布")
    expect(page.get_by_role("button", name="发布结果")).to_have_count(0)
    expect(page.get_by_role("button", name="重新计算")).to_have_count(0)
    shot(page, "assessment-7-published")
    page.locator("nav.breadcrumbs").get_by_role("link", name=f"{year}年度").click()
    expect(page.get_by_text(re.compile(r"已于.+发布，指标体系和得分均已锁定。"))).to_be_visible()
    for action in ("新增指标", "等次分档", "修改"):
        expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="删除")).to_have_count(0)
    page.get_by_role("link", name=branch_a.name).click()
    expect(_stat(page, "状态")).to_have_text("已发布")
    expect(page.get_by_role("link", name=re.compile("评分$"))).to_have_count(0)
    shot(page, "assessment-8-frozen")

    # The form opened before publication is refused, and the score stays.
    late_tab.get_by_label("得分").fill("10")
    late_tab.get_by_label("评语").fill("")
    late_tab.get_by_role("button", name="保存").click()
    expect(late_tab.get_by_text(f"{year}年度考核已发布，指标体系和得分均已锁定，不能再修改。")).to_be_visible()
    expect(_stat(late_tab, "总分")).to_have_text("84.33")
    expect(_row(late_tab, LEADERSHIP).locator("td").nth(2)).to_have_text("9.00")
    shot(late_tab, "assessment-9-edit-refused")
    late_tab.close()

    # -- The ranking as a workbook: a row per branch ---------------------------------------------
    page.locator("nav.breadcrumbs").get_by_role("link", name=f"{year}年度").click()
    page.get_by_role("link", name="考核结果与排名").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename == f"{year}年度党支部考核结果.xlsx"
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert sheet["A1"].value == f"{year}年度党支部党建工作考核结果"
    rows = [row[:4] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert rows == [(1, branch_a.name, 84.33, "较好"), (2, branch_b.name, 27.0, "差")]

    # -- The ranking is not for a branch secretary ----------------------------------------------
    secretary = other_page()
    log_in(secretary, "secretary_a")
    response = secretary.goto(f"{secretary.base_url}/assessments/{year}/ranking/")
    assert response.status == 403
    expect(secretary.get_by_role("heading", name="没有权限进行此操作")).to_be_visible()
    expect(secretary.get_by_text(branch_b.name)).to_have_count(0)
    shot(secretary, "assessment-10-secretary-refused")
