"""An inspector's round, in a real browser (issue 4 "Done when"): from the navigation to the
integrity dashboard and a suspicious record shown beside its near-twin in another branch; then an
inspection with a spot-check drawn from a typed seed that repeats to the same sample; a finding on
a drawn record, raised as a rectification item; the branch secretary (in a browser of their own)
works on it and submits evidence; the inspector verifies it closed and sees its history."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import MeetingKind
from meetings.services import record_meeting
from rectification.models import Rectification, Status
from tests.browser.conftest import log_in, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "20261128"
TWIN_TOPIC_A = "学习党章总纲"
TWIN_TOPIC_B = "党章总纲学习会"
TWIN_MINUTES = (
    "会议由支部书记主持，传达学习了党章总纲部分的主要内容。与会党员围绕坚持党的基本路线、"
    "全面从严治党等内容逐段研读，结合本部门承担的预算审核和政策研究工作谈了认识。"
    "大家认为，学习党章要同岗位实践结合起来，做到学而信、学而用、学而行。"
    "会议要求各党小组在月底前组织一次专题讨论，并将学习体会报送支部。"
)
# The other branch's minutes: the same text with one phrase changed (about 90 % alike).
TWIN_MINUTES_B = TWIN_MINUTES.replace("月底前", "下周内")
OTHER_MINUTES = [
    "支委会研究了第四季度发展党员工作计划，确定两名入党积极分子的培养联系人，并安排谈心谈话。",
    "主题党日赴市档案馆参观红色档案展，党员重温入党誓词，交流参观体会，观看纪录片《信仰》片段。",
    "党小组组织学习新修订的纪律处分条例，逐条对照检查，结合近期典型案例开展警示教育和讨论。",
    "组织党员志愿者开展社区垃圾分类宣传服务，共发放宣传材料两百余份，服务居民一百余人次。",
]
FINDING = "纪要与第二党支部同期记录高度雷同，会议真实性存疑。"


def _record(unit, day, topic, minutes, *, host, people):
    """A record entered the day after the meeting (so not flagged 补录)."""
    entered = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(18)))
    return record_meeting(
        unit,
        {
            "date": day,
            "start_time": datetime.time(14, 30),
            "end_time": datetime.time(16, 0),
            "place": "三楼会议室",
            "topic": topic,
            "host": host,
            "recorder": host,
            "minutes": minutes,
        },
        actor=host.user,
        kinds=[MeetingKind.objects.get(code="theme_day")],
        attendance=[(m, "present", "") for m in people],
        entered_at=entered,
    )


def _results(page):
    return page.locator("table").last


def test_an_inspector_goes_from_a_near_twin_to_a_verified_rectification(page, other_page, personas, builtin_rows):
    org, people = personas.org, personas.members
    branch_a, branch_b = org.branch_a, org.branch_b
    today = timezone.localdate()
    team_a = [people.secretary_a, people.member_a, people.other_a]
    team_b = [people.secretary_b, people.other_b]
    _record(
        branch_a,
        today - datetime.timedelta(days=10),
        TWIN_TOPIC_A,
        TWIN_MINUTES,
        host=people.secretary_a,
        people=team_a,
    )
    _record(
        branch_b,
        today - datetime.timedelta(days=9),
        TWIN_TOPIC_B,
        TWIN_MINUTES_B,
        host=people.secretary_b,
        people=team_b,
    )
    for i, days in enumerate((25, 40)):
        day = today - datetime.timedelta(days=days)
        _record(branch_a, day, f"支部活动{i + 1}", OTHER_MINUTES[i], host=people.secretary_a, people=team_a)
        _record(branch_b, day, f"组织生活{i + 1}", OTHER_MINUTES[i + 2], host=people.secretary_b, people=team_b)

    log_in(page, "inspector")

    # -- The integrity dashboard, a branch, the suspicious record, its twin beside it ----------
    nav(page, "风险提示")
    expect(page.get_by_role("heading", name=re.compile("记录可信度"))).to_be_visible()
    risk_table = page.locator("table").first
    expect(risk_table.locator("tbody tr", has_text=branch_a.name)).to_contain_text("纪要")
    shot(page, "inspector-1-integrity-dashboard")
    risk_table.get_by_role("link", name=branch_a.name).click()
    page.get_by_role("link", name=re.compile(TWIN_TOPIC_A)).first.click()
    signal = page.locator("li.integrity-signal", has_text="纪要雷同")
    expect(signal).to_contain_text(branch_b.name)
    shot(page, "inspector-2-signal")
    signal.get_by_role("link", name="对照查看").click()
    expect(page.get_by_role("heading", name=re.compile("纪要对照"))).to_contain_text("相似度")
    sides = page.locator(".compare-grid > section")
    expect(sides).to_have_count(2)
    left, right = sides.nth(0), sides.nth(1)
    expect(left).to_contain_text(branch_a.name)
    expect(right).to_contain_text(branch_b.name)
    expect(left.locator("mark.shared").first).to_be_visible()
    expect(right.locator("mark.shared").first).to_be_visible()
    expect(left.locator("mark.shared").first).to_contain_text("传达学习了党章总纲")
    shot(page, "inspector-3-compare")

    # -- A spot check: plan it, draw with a typed seed, repeat it ------------------------------
    nav(page, "督查")
    page.get_by_role("link", name="新建督查").click()
    page.get_by_label("督查名称").fill("第四季度组织生活随机抽查")
    page.get_by_label("督查方式").select_option(label="随机抽查")
    page.get_by_label("计划开始日期").fill(today.isoformat())
    page.get_by_label("计划结束日期").fill((today + datetime.timedelta(days=14)).isoformat())
    page.get_by_label(re.compile("督查员")).check()
    page.get_by_label("全体党支部").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新建督查“第四季度组织生活随机抽查”。")).to_be_visible()

    def draw(seed):
        page.get_by_role("link", name="随机抽样").click()
        page.get_by_label("随机种子").fill(seed)
        page.get_by_label("抽取党支部数").fill("2")
        page.get_by_label("每个党支部抽取记录数").fill("2")
        page.get_by_role("button", name="抽样", exact=True).click()
        expect(page.get_by_text(f"已完成随机抽样，随机种子 {seed}。")).to_be_visible()
        expect(page.locator(".seed-value")).to_have_text(seed)
        return _results(page).locator("tbody").inner_text()

    first_sample = draw(SEED)
    assert branch_a.name in first_sample and branch_b.name in first_sample
    page.get_by_role("button", name="重复抽样（复核）").click()
    expect(page.get_by_text("重复抽样完成：样本与原抽样完全一致。")).to_be_visible()
    expect(page.get_by_text("样本完全一致", exact=True)).to_be_visible()
    assert _results(page).locator("tbody").inner_text() == first_sample
    shot(page, "inspector-4-draw-repeated")
    # Anyone typing the same seed and conditions draws the same sample.
    page.locator("nav.breadcrumbs").get_by_role("link", name="第四季度组织生活随机抽查").click()
    assert draw(SEED) == first_sample

    # -- A finding on a drawn record of branch A, raised as a rectification item ---------------
    row_a = _results(page).locator("tbody tr", has_text=branch_a.name)
    drawn = row_a.locator("td div").first
    drawn_text = drawn.get_by_role("link").first.inner_text()
    drawn.get_by_role("link", name="记录问题").click()
    expect(page.get_by_label("党支部")).to_have_value(str(branch_a.pk))
    expect(page.get_by_label("涉及记录").locator("option:checked")).to_contain_text(drawn_text.split("（")[0])
    page.get_by_label("问题描述").fill(FINDING)
    page.get_by_label("严重程度").select_option(label="较重")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录问题。")).to_be_visible()
    page.get_by_role("link", name="转为整改事项").click()
    expect(page.get_by_label("问题 *", exact=True)).to_have_value(FINDING)
    page.get_by_label("整改措施").fill("核对签到表和会议照片，重新整理本次会议记录，支委会专题分析原因。")
    page.get_by_label("责任人").select_option(label="甲书记")
    page.get_by_label("整改期限").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="建立整改事项").click()
    item = Rectification.objects.get()
    expect(page.get_by_text(f"已转为整改事项（编号 {item.pk}）。")).to_be_visible()
    expect(page.locator("section.card", has_text=FINDING)).to_contain_text("待整改")
    shot(page, "inspector-5-finding-raised")

    # -- The branch secretary works on it, in a browser of their own ---------------------------
    secretary = other_page()
    log_in(secretary, "secretary_a")
    nav(secretary, "整改")
    secretary.get_by_role("link", name=FINDING).click()
    secretary.get_by_role("button", name="开始整改").click()
    expect(secretary.get_by_text("已开始整改，当前状态：整改中。")).to_be_visible()
    secretary.get_by_label("整改情况").fill(
        "已调取签到表和照片核实，重新整理会议记录，支委会专题分析并建立纪要审核制度。"
    )
    secretary.get_by_role("button", name="提交验收").click()
    expect(secretary.get_by_text("已提交验收，当前状态：待验收。")).to_be_visible()
    shot(secretary, "inspector-6-secretary-submitted")

    # -- The inspector verifies it closed ------------------------------------------------------
    nav(page, "整改")
    page.get_by_role("link", name=FINDING).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待验收")
    page.get_by_role("button", name="验收销号").click()
    expect(page.get_by_text("已验收销号，当前状态：已销号。")).to_be_visible()
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("已销号")
    history = page.locator("table").last
    expect(history.locator("tbody tr")).to_have_count(4)
    expect(history.locator("tbody tr").nth(1)).to_contain_text("待整改 → 整改中")
    expect(history.locator("tbody tr").nth(2)).to_contain_text("整改中 → 待验收")
    expect(history.locator("tbody tr").nth(2)).to_contain_text("建立纪要审核制度")
    expect(history.locator("tbody tr").nth(3)).to_contain_text("待验收 → 已销号")
    expect(history.locator("tbody tr").nth(3)).to_contain_text("督查员")
    shot(page, "inspector-7-verified")
    page.get_by_role("link", name="变更记录").click()
    audit = page.locator("table.audit")
    expect(audit.get_by_text("整改验收销号")).to_be_visible()
    expect(audit.get_by_text("提交整改验收")).to_be_visible()
    expect(audit.get_by_text("甲书记").first).to_be_visible()
    shot(page, "inspector-8-history")
    item.refresh_from_db()
    assert item.status == Status.VERIFIED
