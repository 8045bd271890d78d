"""The navigation bar is drawn from common.registry.navigation, which every app fills; each
persona sees the same entries, in the same groups and order, as before the registry."""

import re

import pytest
from django.urls import reverse

LINK = re.compile(r'<a href="([^"]+)"( class="active")?( aria-current="page")?>([^<]+)</a>')

ORGANIZATION = ["首页", "组织", "党员", "支委会", "工作职责"]
STUDY = ["主题活动", "学习学时"]
EXPECTED = {
    "staff": [
        ORGANIZATION,
        ["组织生活", "组织生活会", "制度落实", "整改", "督查", "风险提示"],
        STUDY,
        ["考核评价", "创建表彰"],
        ["台账导入", "审计日志"],
    ],
    "inspector": [
        ORGANIZATION,
        ["组织生活", "组织生活会", "制度落实", "整改", "督查", "风险提示"],
        STUDY,
        ["考核评价", "创建表彰"],
        ["审计日志"],
    ],
    "secretary_a": [
        ORGANIZATION,
        ["组织生活", "组织生活会", "制度落实", "整改", "督查"],
        STUDY,
        ["考核评价", "创建表彰"],
        [],
    ],
    "member_a": [ORGANIZATION, ["组织生活", "组织生活会", "整改"], STUDY, ["创建表彰"], []],
    "sysadmin": [["账号管理"]],
    "secadmin": [["角色授权"]],
    "auditadmin": [["审计日志"]],
}


def _groups(html: str) -> list[list[tuple]]:
    start = html.index('<nav class="mainnav"')
    nav = html[start : html.index("</nav>", start)]
    return [LINK.findall(group) for group in nav.split('<div class="navgroup">')[1:]]


def _labels(groups):
    return [[label for *_, label in group] for group in groups]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_persona_sees_the_same_navigation_as_before(personas, admins, login, who):
    user = getattr(personas, who, None) or getattr(admins, who)
    html = login(user).get(reverse("portal:home")).content.decode()
    assert _labels(_groups(html)) == EXPECTED[who]


@pytest.mark.parametrize(
    ("page", "active"),
    [
        ("portal:home", "首页"),
        ("organizations:unit.tree", "组织"),
        ("committees:term.list", "支委会"),
        ("committees:duty.list", "工作职责"),
        ("meetings:meeting.list", "组织生活"),
        ("accounts:audit.list", "审计日志"),
    ],
)
def test_the_entry_of_the_current_page_is_marked(personas, login, page, active):
    html = login(personas.staff).get(reverse(page)).content.decode()
    marked = [(label, bool(current)) for group in _groups(html) for _, on, current, label in group if on]
    assert marked == [(active, active == "首页")]


def test_the_navigation_costs_no_query(personas, login, django_assert_max_num_queries):
    """The flags come from the scope the request loaded anyway; reading the registry is free."""
    from django.test import RequestFactory

    from portal.context_processors import nav

    request = RequestFactory().get("/")
    request.user = personas.staff
    request.resolver_match = None
    nav(request)  # loads the scope once, as the page's other context processors do
    with django_assert_max_num_queries(0):
        groups = nav(request)["nav_groups"]
    assert [e["label"] for e in groups[0]["entries"]][:2] == ["首页", "组织"]
