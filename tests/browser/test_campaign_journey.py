"""A member in the theme activity (主题活动), in a real browser (issue 6): the stage and its book,
a reading reflection refused as too short (the count in Chinese, the text kept) and then accepted
and listed; a near-copy by another member is flagged beside its source for the branch secretary,
the shared passages marked."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from campaigns import services as campaigns
from campaigns.models import ReadingReflection
from tests import factories as f
from tests.browser.conftest import log_in, log_out, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGN = "学党章、强基础、作表率"
BOOK = "中国共产党章程"
MINIMUM = 100
TITLE = "重温党章的几点体会"
SHORT = "学习党章很有收获，要对照党章找差距。"
REFLECTION = (
    "这次按照支部安排，我逐章重读了党章。过去读党章多是记条文，这次结合自己在预算审核岗位上的工作来读，"
    "体会更深。党章总纲讲全心全意为人民服务，落到我的岗位上，就是每一笔资金都要审得清、管得住、用得好。"
    "党员的义务第三条要求坚持党和人民的利益高于一切，我想到去年审核项目时曾因怕麻烦放过了一处不合理的支出，"
    "今后要把原则立起来。读到党的纪律一章，更明白纪律是党员的底线，也是对自己的保护。"
    "下一步我打算每月重读一章，并在党小组会上交流心得。"
)
# Another member's text: the same reflection with the last sentence reworded (about 87 % alike).
COPY = REFLECTION.replace("下一步我打算每月重读一章", "今后我准备每月学习一章")


def test_a_member_submits_a_reflection_and_a_near_copy_is_flagged_beside_it(page, personas, builtin_rows):
    org, staff = personas.org, personas.staff
    today = timezone.localdate()
    campaign = campaigns.create_campaign(
        org.committee,
        {
            "name": CAMPAIGN,
            "goal": "学习党章，夯实支部基础，党员立足岗位作表率。",
            "start_on": today - datetime.timedelta(days=30),
            "end_on": today + datetime.timedelta(days=60),
            "reflection_min_chars": MINIMUM,
        },
        actor=staff,
    )
    stage = campaigns.create_stage(
        campaign,
        {
            "name": "学党章",
            "description": "逐章学习党章，每名党员提交一篇读书心得。",
            "start_on": today - datetime.timedelta(days=30),
            "end_on": today + datetime.timedelta(days=30),
        },
        actor=staff,
    )
    book = campaigns.add_book(stage, {"title": BOOK, "note": "2022年修改"}, actor=staff)
    campaigns.create_task(
        stage,
        {
            "title": "提交一篇读书心得",
            "audience": "member",
            "evidence": "reflection",
            "book": book,
            "due_on": today + datetime.timedelta(days=20),
        },
        actor=staff,
    )

    log_in(page, "member_a")

    # The activity, its stage and the stage's book.
    nav(page, "主题活动")
    page.get_by_role("link", name=CAMPAIGN).click()
    stage_card = page.locator("section.card", has_text="第1阶段 · 学党章")
    expect(stage_card).to_be_visible()
    expect(stage_card).to_contain_text(f"《{BOOK}》")
    expect(stage_card).to_contain_text("提交一篇读书心得")
    shot(page, "campaign-1-stage")

    # My tasks (back through the breadcrumb: the activity page has no link to them), the
    # reflection task with a link to submit it for that book.
    page.locator("nav.breadcrumbs").get_by_role("link", name="主题活动").click()
    page.get_by_role("link", name="我的任务").click()
    task_row = page.locator("tbody tr", has_text="提交一篇读书心得")
    task_row.get_by_role("link", name="去提交").click()
    expect(page.get_by_label("书目")).to_have_value(str(book.pk))
    expect(page.get_by_text(f"正文至少 {MINIMUM} 字")).to_be_visible()

    # Too short: refused with the count, what was typed kept.
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill(SHORT)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("没有提交，请按提示修改。")).to_be_visible()
    n = len(SHORT)
    expect(page.get_by_text(f"正文：读书心得至少 {MINIMUM} 字，当前 {n} 字，还差 {MINIMUM - n} 字。")).to_be_visible()
    expect(page.get_by_label("标题")).to_have_value(TITLE)
    expect(page.get_by_label("正文")).to_have_value(SHORT)
    assert not ReadingReflection.objects.exists()
    shot(page, "campaign-2-too-short")

    # Long enough: accepted, and listed.
    page.get_by_label("正文").fill(REFLECTION)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text(f"已提交读书心得“{TITLE}”。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".badge-warn", has_text="疑似雷同")).to_have_count(0)
    page.get_by_role("link", name="读书心得", exact=True).first.click()
    listed = page.locator("tbody tr", has_text=TITLE)
    expect(listed).to_contain_text("甲党员")
    expect(listed).to_contain_text(f"《{BOOK}》")
    shot(page, "campaign-3-listed")
    source = ReadingReflection.objects.get()

    # Another member of the branch hands in a near-copy: saved, and flagged against the source.
    user = f.UserFactory(username="member_a2", first_name="甲二")
    f.RoleGrantFactory(user=user, unit=org.branch_a, role=Role.MEMBER)
    copier = f.member_in(org.branch_a, user=user, name="甲二")
    copy = campaigns.submit_reflection(
        copier, {"stage": stage, "book": book, "title": "学习党章心得", "text": COPY}, actor=user
    )
    assert copy.similar_to_id == source.pk

    # The branch secretary sees the flag in the list and the two texts side by side.
    log_out(page)
    log_in(page, "secretary_a")
    nav(page, "主题活动")
    page.get_by_role("link", name="读书心得", exact=True).first.click()
    copy_row = page.locator("tbody tr", has_text="学习党章心得")
    flag = copy_row.locator("a.badge-warn")
    expect(flag).to_contain_text("疑似雷同")
    expect(page.locator("tbody tr", has_text=TITLE).locator("a.badge-warn")).to_have_count(0)
    shot(page, "campaign-4-flagged")
    flag.click()
    expect(page.get_by_role("heading", name=re.compile("心得对照"))).to_contain_text("相似度")
    sides = page.locator(".compare-grid > section")
    expect(sides).to_have_count(2)
    copy_side, source_side = sides.nth(0), sides.nth(1)
    expect(copy_side).to_contain_text("甲二")
    expect(source_side).to_contain_text(TITLE)
    expect(source_side).to_contain_text("来源")
    expect(source_side).to_contain_text("甲党员")
    expect(copy_side.locator("mark.shared").first).to_contain_text("逐章重读了党章")
    expect(source_side.locator("mark.shared").first).to_contain_text("逐章重读了党章")
    # The reworded sentence is not marked.
    assert "今后我准备" not in "".join(copy_side.locator("mark.shared").all_inner_texts())
    shot(page, "campaign-5-compare")

    # The source names its later near-copy.
    source_side.get_by_role("link", name=TITLE).click()
    expect(page.locator("section.card-warn", has_text="与本篇高度相似的后提交心得")).to_contain_text("学习党章心得")
