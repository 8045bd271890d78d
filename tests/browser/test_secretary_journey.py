"""A branch secretary's day, in a real browser: log in, open the branch, add a member, see the
audit entry, and be refused another branch's page."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from members.models import Member
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_secretary_adds_a_member_and_sees_the_audit_entry(page, personas):
    branch_a, branch_b = personas.org.branch_a, personas.org.branch_b
    log_in(page, "secretary_a")

    # The branch page, reached from the organisation tree.
    page.get_by_role("link", name="组织", exact=True).click()
    page.get_by_role("link", name=branch_a.name).first.click()
    expect(page.get_by_role("heading", name=branch_a.name)).to_be_visible()
    expect(page.get_by_text("甲书记").first).to_be_visible()
    shot(page, "journey-1-branch")

    # Add a member from the branch page.
    page.get_by_role("link", name="新增党员").click()
    page.get_by_label("姓名").fill("林晓峰")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("出生日期").fill("1988-03-15")
    page.get_by_label("公民身份号码").fill("110105198803150010")
    page.get_by_label("人员类别").select_option(label="正式党员")
    page.get_by_label("入党日期").fill("2012-06-30")
    page.get_by_label("转正日期").fill("2013-06-30")
    page.get_by_label("手机号码").fill("13912345678")
    shot(page, "journey-2-form")
    page.get_by_role("button", name=re.compile("保存")).click()

    expect(page.get_by_text("已新增党员 林晓峰")).to_be_visible()
    member = Member.objects.get(name="林晓峰")
    assert member.current_branch_membership().unit == branch_a
    # Personal data is masked on the page.
    expect(page.get_by_text("110105********0010")).to_be_visible()
    assert "110105198803150010" not in page.content()
    shot(page, "journey-3-detail")

    # The change is on the member's 变更记录 tab, with who did it.
    page.get_by_role("link", name="变更记录").click()
    history = page.locator("table.audit")
    expect(history.get_by_text("新增党员")).to_be_visible()
    expect(history.get_by_text("甲书记")).to_be_visible()
    shot(page, "journey-4-history")

    # Another branch's page is not there for this secretary.
    response = page.goto(f"{page.base_url}/org/units/{branch_b.pk}/")
    assert response.status == 404
    expect(page.get_by_text(branch_b.name)).to_have_count(0)
    shot(page, "journey-5-other-branch")


def test_a_wrong_id_number_is_refused_with_the_field_named_and_input_kept(page, personas):
    log_in(page, "secretary_a")
    page.goto(f"{page.base_url}/members/new/?branch={personas.org.branch_a.pk}")
    page.get_by_label("姓名").fill("周敏")
    page.get_by_label("性别").select_option(label="女")
    page.get_by_label("出生日期").fill("1990-01-01")
    page.get_by_label("公民身份号码").fill("110105199001010021")
    page.get_by_label("人员类别").select_option(label="预备党员")
    page.get_by_label("入党日期").fill("2025-07-01")
    page.get_by_role("button", name=re.compile("保存")).click()
    expect(page.get_by_text("公民身份号码校验码不正确")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value("周敏")
    assert not Member.objects.filter(name="周敏").exists()
    shot(page, "journey-6-refused")
