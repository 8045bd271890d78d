"""A branch secretary records a combined sitting (主题党日 + 支部党员大会 + 党课) in a real browser:
the quorum refusal in Chinese with the input kept, the saved record with its three kinds, the
branch's compliance table counting the period as met, and the minutes book as a .docx."""

import io
import re

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from tests import factories as f
from tests.browser.conftest import log_in, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "学习贯彻党章 争做合格党员"
KINDS = ("主题党日", "支部党员大会", "党课")


def _attendance(page, name: str, status: str, reason: str = "") -> None:
    row = page.locator("tbody tr").filter(has=page.get_by_text(name, exact=True))
    row.get_by_label(status, exact=True).check()
    if reason:
        page.get_by_label(f"{name}的缺席原因").select_option(label=reason)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_secretary_records_a_combined_sitting_and_sees_it_counted(page, personas, builtin_rows):
    branch_a = personas.org.branch_a
    # Six full members in branch A on the day: the three of the personas and three more.
    for name in ("林晓峰", "周敏", "王立新"):
        f.member_in(branch_a, name=name)
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"

    log_in(page, "secretary_a")

    # From the navigation to the record form; the secretary chooses the branch (not its group).
    nav(page, "组织生活")
    page.get_by_role("link", name="录入会议").click()
    page.get_by_label("召开单位").select_option(label=branch_a.name)
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name=re.compile("录入会议"))).to_contain_text(branch_a.name)

    for kind in KINDS:
        page.get_by_label(kind, exact=True).check()
    page.get_by_label("会议日期").fill(today.isoformat())
    page.get_by_label("开始时间").fill("14:30")
    page.get_by_label("结束时间").fill("16:30")
    page.get_by_label("地点").fill("三楼党员活动室")
    page.get_by_label("主题 *", exact=True).fill(TOPIC)
    page.get_by_label("主题类别").select_option(label="党建")
    page.get_by_label("主持人").select_option(label="甲书记")
    page.get_by_label("记录人").select_option(label="甲党员")
    page.get_by_label("讲课人").select_option(label="甲书记")
    page.get_by_label("会议纪要").fill("书记讲授专题党课，与会党员逐章学习党章，结合岗位谈体会。")
    page.get_by_label("决议事项").fill("各党小组本月内完成党章学习交流。")
    # First attempt: most members away, so the 党员大会 has no quorum (2 of 6 present).
    _attendance(page, "甲党员", "缺席", "公差")
    _attendance(page, "甲同事", "缺席", "事假")
    _attendance(page, "林晓峰", "缺席", "公差")
    _attendance(page, "周敏", "缺席", "病假")
    shot(page, "meeting-1-form")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("会议记录没有保存，请按提示修改。")).to_be_visible()
    expect(
        page.get_by_text("出席情况：支部党员大会须有半数以上正式党员到会，应到正式党员6人，实到2人，未过半数。")
    ).to_be_visible()
    # What the secretary typed is all still there.
    expect(page.get_by_label("主题 *", exact=True)).to_have_value(TOPIC)
    for kind in KINDS:
        expect(page.get_by_label(kind, exact=True)).to_be_checked()
    expect(page.get_by_label("讲课人")).to_have_value(str(personas.members.secretary_a.pk))
    expect(page.get_by_label("周敏的缺席原因")).to_have_value("sick")
    assert not Meeting.objects.exists()
    shot(page, "meeting-2-quorum-refused")

    # Two of them came after all: 4 of 6 present.
    _attendance(page, "甲党员", "出席")
    _attendance(page, "甲同事", "出席")
    page.get_by_label("甲党员的缺席原因").select_option(label="—")
    page.get_by_label("甲同事的缺席原因").select_option(label="—")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text(f"已录入会议记录“{TOPIC}”。")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    for kind in KINDS:
        expect(heading.locator(".badge", has_text=re.compile(f"^{kind}$"))).to_be_visible()
    expect(page.locator("dl.fields")).to_contain_text("会议类型支部党员大会、党课、主题党日")
    absent = page.locator("tbody tr", has=page.locator(".badge-warn"))
    expect(absent).to_have_count(2)
    expect(page.locator("tbody tr", has_text="周敏")).to_contain_text("病假")
    meeting = Meeting.objects.get()
    assert {k.code for k in meeting.kinds.all()} == {"theme_day", "general_meeting", "party_lesson"}
    shot(page, "meeting-3-detail")

    # The branch's compliance table: this month's 主题党日 and this quarter's 党员大会 and 党课 met.
    nav(page, "制度落实")
    page.get_by_role("link", name="落实情况表").click()
    table = page.locator("table.compliance-table")
    for rule, period in (
        ("主题党日每月至少开展1次", month),
        ("支部党员大会每季度至少召开1次", quarter),
        ("每季度至少上1次党课", quarter),
        ("支部书记每年至少讲1次党课", str(today.year)),
    ):
        row = table.locator("tbody tr", has_text=rule).filter(has_text=branch_a.name)
        expect(row.get_by_role("link", name=f"{period} · 1/1 已达标")).to_be_visible()
    shot(page, "meeting-4-compliance-table")

    # Drill down into the month's 主题党日 cell: met, with the meeting counted.
    row = table.locator("tbody tr", has_text="主题党日每月至少开展1次").filter(has_text=branch_a.name)
    row.get_by_role("link", name=f"{month} · 1/1 已达标").click()
    cell = page.locator("section.card").first
    expect(cell.locator(".badge")).to_have_text("已达标")
    expect(cell.get_by_role("link", name=TOPIC)).to_be_visible()
    shot(page, "meeting-5-compliance-cell")

    # The minutes book of the branch for this year, from the branch's page.
    nav(page, "组织")
    page.get_by_role("link", name=branch_a.name).first.click()
    links = page.get_by_role("navigation", name="本组织的工作记录")
    with page.expect_download() as download_info:
        links.get_by_role("link", name=re.compile("^会议记录本")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as handle:
        text = _docx_text(handle.read())
    assert TOPIC in text
    assert "周敏" in text
