import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.rules import add_years
from common.models import AuditEntry
from members.models import MemberCategory
from organizations.models import Unit, UnitKind
from tests import factories as f
from tests.matrix import PERSONAS


def grow(org, branches: int):
    """``branches`` more branches under the committee, each with a party group and two members."""
    for i in range(branches):
        branch = f.UnitFactory(name=f"扩展第{i}党支部", parent=org.committee)
        group = f.GroupFactory(name=f"扩展第{i}党小组", parent=branch)
        f.member_in(branch, group=group)
        f.member_in(branch, group=group, category=MemberCategory.PROBATIONARY, full_member_on=None)
        f.CommitteeTermFactory(unit=branch, number=1, status="current")


# -- access: allowed, out of scope (404), not allowed (403), wrong method (405) -----------------


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("staff", "branch_a", 200),
        ("inspector", "branch_a", 200),
        ("secretary_a", "branch_a", 200),
        ("secretary_a", "group_a", 200),
        ("member_a", "branch_a", 200),
        ("secretary_b", "branch_a", 404),
        ("secretary_a", "committee", 404),
        ("member_a", "branch_b", 404),
    ],
)
def test_branch_page_answers_by_scope(personas, login, who, target, status):
    unit = getattr(personas.org, target)
    for tab in ("", "?tab=history"):
        response = login(getattr(personas, who)).get(reverse("organizations:unit.detail", args=[unit.pk]) + tab)
        assert response.status_code == status


@pytest.mark.parametrize("who", PERSONAS)
def test_tree_is_open_to_everyone_within_their_scope(personas, login, who):
    response = login(getattr(personas, who)).get(reverse("organizations:unit.tree"))
    assert response.status_code == 200
    names = {node["unit"].name for node in _flatten(response.context["roots"])}
    expected = {
        "staff": {"测试机关党委", "第一党支部", "第二党支部", "第一党小组", "第二党小组"},
        "inspector": {"测试机关党委", "第一党支部", "第二党支部", "第一党小组", "第二党小组"},
        "secretary_a": {"第一党支部", "第一党小组"},
        "member_a": {"第一党支部", "第一党小组"},
        "secretary_b": {"第二党支部", "第二党小组"},
    }[who]
    assert names == expected


def _flatten(nodes):
    for node in nodes:
        yield node
        yield from _flatten(node["children"])


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("organizations:unit.tree", "post"),
        ("organizations:unit.detail", "post"),
        ("organizations:unit.create", "put"),
        ("organizations:unit.edit", "delete"),
        ("organizations:unit.dissolve", "get"),
        ("organizations:unit.archive", "get"),
        ("organizations:unit.restore", "get"),
    ],
)
def test_wrong_method_answers_405(personas, login, name, method):
    args = [] if name in ("organizations:unit.tree", "organizations:unit.create") else [personas.org.branch_a.pk]
    response = getattr(login(personas.staff), method)(reverse(name, args=args))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("inspector", 403), ("secretary_a", 403), ("member_a", 403), ("secretary_b", 404)],
)
def test_edit_page_is_for_committee_staff(personas, login, who, status):
    response = login(getattr(personas, who)).get(reverse("organizations:unit.edit", args=[personas.org.branch_a.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("inspector", 403), ("secretary_a", 403), ("member_a", 403), ("secretary_b", 403)],
)
def test_create_page_is_for_committee_staff(personas, login, who, status):
    response = login(getattr(personas, who)).get(reverse("organizations:unit.create"))
    assert response.status_code == status


def test_create_page_with_a_parent_out_of_scope_answers_404(personas, login):
    other_root = f.CommitteeUnitFactory(name="外单位党委")
    response = login(personas.staff).get(reverse("organizations:unit.create") + f"?parent={other_root.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["unit.dissolve", "unit.archive", "unit.restore"])
@pytest.mark.parametrize(("who", "status"), [("inspector", 403), ("secretary_a", 403), ("secretary_b", 404)])
def test_tree_changes_are_refused_to_other_roles(personas, login, action, who, status):
    url = reverse(f"organizations:{action}", args=[personas.org.branch_a.pk])
    response = login(getattr(personas, who)).post(url, {"dissolved_on": "2024-01-01"})
    assert response.status_code == status
    unit = Unit.objects.get(pk=personas.org.branch_a.pk)
    assert unit.dissolved_on is None and unit.archived_at is None


# -- behaviour ---------------------------------------------------------------------------------


def post_new_unit(personas, login, name, kind, parent):
    """Committee staff send the create form for a unit founded on 2021-05-04."""
    data = {"name": name, "kind": kind, "parent": parent.pk, "founded_on": "2021-05-04"}
    return login(personas.staff).post(reverse("organizations:unit.create"), data)


def test_staff_creates_a_party_group_from_the_form(personas, login):
    response = post_new_unit(personas, login, "第三党小组", UnitKind.PARTY_GROUP, personas.org.branch_a)
    unit = Unit.objects.get(name="第三党小组")
    assert response.status_code == 302 and response.url == reverse("organizations:unit.detail", args=[unit.pk])
    assert unit.parent == personas.org.branch_a and unit.term_years == 3
    assert AuditEntry.objects.for_object(unit).filter(action="organizations.unit.created").exists()


def test_create_form_shows_the_rule_that_refused_it(personas, login):
    response = post_new_unit(personas, login, "错误小组", UnitKind.PARTY_GROUP, personas.org.committee)
    assert response.status_code == 200
    assert "上级：党小组不能设在机关党委“测试机关党委”之下。" in response.content.decode()
    assert not Unit.objects.filter(name="错误小组").exists()


def test_create_form_refuses_a_parent_outside_the_staff_scope(personas, login):
    other_root = f.CommitteeUnitFactory(name="外单位党委")
    response = post_new_unit(personas, login, "越权支部", UnitKind.BRANCH, other_root)
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert not Unit.objects.filter(name="越权支部").exists()


def test_edit_saves_and_shows_in_the_history_tab(personas, login):
    client = login(personas.staff)
    url = reverse("organizations:unit.edit", args=[personas.org.branch_a.pk])
    data = {"name": "第一党支部", "founded_on": "2020-01-01", "term_years": 5, "department": "综合科", "version": 1}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]) + "?tab=history")
    text = page.content.decode()
    assert "修改组织信息" in text and "任期(年)：3 → 5" in text


def test_edit_from_a_stale_form_keeps_the_input_and_lists_the_conflict(personas, login):
    client = login(personas.staff)
    url = reverse("organizations:unit.edit", args=[personas.org.branch_a.pk])
    base = {"founded_on": "2020-01-01", "term_years": 3, "department": "", "version": 1}
    client.post(url, {**base, "name": "甲支部"})
    response = client.post(url, {**base, "name": "乙支部"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "名称：甲支部 → 乙支部" in text
    assert 'value="乙支部"' in text
    assert Unit.objects.get(pk=personas.org.branch_a.pk).name == "甲支部"


def test_dissolving_a_branch_with_members_is_refused_with_the_count(personas, login):
    client = login(personas.staff)
    response = client.post(
        reverse("organizations:unit.dissolve", args=[personas.org.group_b.pk]), {"dissolved_on": "2024-01-01"}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["“第二党小组”还有 2 名党员在册，请先调整他们的党小组，再撤销。"]
    assert Unit.objects.get(pk=personas.org.group_b.pk).dissolved_on is None


def test_dissolved_and_archived_units_leave_the_tree_unless_asked(personas, login):
    gone = f.UnitFactory(name="旧支部", parent=personas.org.committee, dissolved_on=datetime.date(2023, 5, 1))
    hidden = f.UnitFactory(name="误建支部", parent=personas.org.committee)
    client = login(personas.staff)
    client.post(reverse("organizations:unit.archive", args=[hidden.pk]))
    assert Unit.objects.get(pk=hidden.pk).is_archived
    default = client.get(reverse("organizations:unit.tree"))
    assert {"旧支部", "误建支部"}.isdisjoint(n["unit"].name for n in _flatten(default.context["roots"]))
    everything = client.get(reverse("organizations:unit.tree") + "?all=1")
    assert {"旧支部", "误建支部"} <= {n["unit"].name for n in _flatten(everything.context["roots"])}
    assert "2023-05-01 撤销" in everything.content.decode()
    assert client.post(reverse("organizations:unit.restore", args=[hidden.pk])).status_code == 302
    assert not Unit.objects.get(pk=hidden.pk).is_archived
    assert gone.pk in {u.pk for u in Unit.objects.all()}


def test_branch_page_shows_committee_groups_and_the_roster_the_viewer_may_see(personas, login):
    text = login(personas.secretary_a).get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    body = text.content.decode()
    assert "支部委员会" in body and "书记" in body and "第一党小组" in body
    assert {m.name for m in text.context["roster"]} == {"甲书记", "甲党员", "甲同事"}
    own = login(personas.member_a).get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    assert [m.name for m in own.context["roster"]] == ["甲党员"]


def test_branch_page_links_only_the_branch_records_the_viewer_may_open(personas, login):
    branch = personas.org.branch_a
    url = reverse("organizations:unit.detail", args=[branch.pk])

    def labels(user):
        return [link["label"] for link in login(user).get(url).context["branch_links"]]

    secretary = labels(personas.secretary_a)
    for label in (
        "会议记录",
        "会议记录本",
        "会议计划",
        "组织生活日历",
        "制度落实情况",
        "整改台账",
        "组织生活会",
        "学时台账",
    ):
        assert label in secretary
    assert "记录可信度" in labels(personas.staff)
    # A member reads the branch's plan and calendar, nothing kept for the committee.
    assert labels(personas.member_a) == ["会议计划", "组织生活日历"]
    body = login(personas.secretary_a).get(url).content.decode()
    assert reverse("rectification:item.branch", kwargs={"unit_id": branch.pk}) in body
    assert f"{reverse('reports:minutes_book')}?unit={branch.pk}&amp;year=" in body


def test_branch_page_shows_the_renewal_reminder_of_an_expiring_term(personas, login):
    term = personas.terms.a
    term.elected_on = add_years(timezone.localdate() + datetime.timedelta(days=30), -3)
    term.term_years = 3
    term.save()
    response = login(personas.secretary_a).get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    assert [(t.pk, s) for t, s in response.context["reminders"]] == [(term.pk, "due")]
    assert "换届提醒" in response.content.decode()


def test_group_leaders_are_named_on_the_branch_page(personas, login):
    leader = f.UserFactory(username="leader_a")
    f.member_in(personas.org.branch_a, user=leader, group=personas.org.group_a, name="甲组长")
    f.RoleGrantFactory(user=leader, unit=personas.org.group_a, role="group_leader")
    response = login(personas.staff).get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    assert response.context["groups"][0].leaders == ["甲组长"]


# -- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 15])
def test_tree_query_count_does_not_grow_with_the_tree(personas, login, django_assert_max_num_queries, size):
    grow(personas.org, size)
    client = login(personas.staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:unit.tree") + "?all=1")
    assert response.status_code == 200
    counts = {n["unit"].name: n["unit"].member_count for n in _flatten(response.context["roots"])}
    assert counts["测试机关党委"].total == 5 + 2 * size
    assert counts["测试机关党委"].probationary == size
    assert counts["扩展第0党小组"].total == 2


@pytest.mark.parametrize("size", [3, 15])
def test_branch_page_query_count_does_not_grow_with_groups(personas, login, django_assert_max_num_queries, size):
    for i in range(size):
        group = f.GroupFactory(name=f"甲扩展小组{i}", parent=personas.org.branch_a)
        f.member_in(personas.org.branch_a, group=group)
    client = login(personas.staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    assert len(response.context["roster"]) == 3 + size
