"""Member pages: access per persona, masking and reveal, export, search, edits, query counts."""

import datetime

import pytest
from django.urls import reverse

from committees.models import CommitteeRole, RoleDuty
from common.models import AuditEntry
from members.models import BranchMembership, Member
from members.tests.helpers import as_post, person, sheet_rows
from tests import factories as f
from tests.helpers import assert_page_shows
from tests.matrix import PERSONAS, everyone, expect

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"members:{name}", args=args)


# The access matrix: (url name, target member or None, method, data) → status per persona.
# other_a is an ordinary member of branch A.
MATRIX = [
    ("member.list", None, "get", {}, everyone(200)),
    ("member.detail", "other_a", "get", {}, expect(200, 200, 200, 404, 404)),
    ("member.create", None, "get", {}, expect(200, 403, 200, 403, 200)),
    ("member.edit", "other_a", "get", {}, expect(200, 403, 200, 404, 404)),
    ("member.transfer", "other_a", "get", {}, expect(200, 403, 200, 404, 404)),
    ("member.archive", "other_a", "post", {}, expect(302, 403, 302, 404, 404)),
    ("member.restore", "other_a", "post", {}, expect(302, 403, 302, 404, 404)),
    ("member.reveal", "other_a", "post", {"field": "id_number"}, expect(200, 403, 200, 404, 404)),
    ("member.export", None, "get", {}, expect(200, 200, 200, 403, 200)),
]
WRONG_METHOD = {
    "member.list": "post",
    "member.detail": "post",
    "member.create": "put",
    "member.edit": "delete",
    "member.transfer": "put",
    "member.archive": "get",
    "member.restore": "get",
    "member.reveal": "get",
    "member.export": "post",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "target", "method", "data", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(personas, login, persona, name, target, method, data, expected):
    client = login(getattr(personas, persona))
    args = (getattr(personas.members, target).pk,) if target else ()
    if name == "member.restore":
        personas.members.other_a.archived_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        personas.members.other_a.save()
    response = getattr(client, method)(url(name, *args), data)
    assert response.status_code == expected[persona]


@pytest.mark.parametrize("name", list(WRONG_METHOD))
def test_a_wrong_method_answers_405(personas, login, name):
    client = login(personas.staff)
    target = next(m[1] for m in MATRIX if m[0] == name)
    args = (personas.members.other_a.pk,) if target else ()
    assert getattr(client, WRONG_METHOD[name])(url(name, *args)).status_code == 405


def test_a_member_sees_only_themselves(personas, login):
    client = login(personas.member_a)
    response = client.get(url("member.list"))
    assert [m.name for m in response.context["page"].object_list] == ["甲党员"]
    assert client.get(url("member.detail", personas.members.member_a.pk)).status_code == 200
    assert client.get(url("member.detail", personas.members.secretary_a.pk)).status_code == 404


def assert_reveals(client, member, field):
    """The reveal of ``field`` of ``member`` answers with a page that shows the value."""
    response = client.post(url("member.reveal", member.pk), {"field": field})
    assert response.status_code == 200
    assert getattr(member, field) in response.content.decode()


def test_a_member_may_reveal_their_own_record(personas, login):
    assert_reveals(login(personas.member_a), personas.members.member_a, "phone")


def test_out_of_scope_branch_filters_answer_404(personas, login):
    client = login(personas.secretary_b)
    assert client.get(url("member.list"), {"branch": personas.org.branch_a.pk}).status_code == 404
    assert client.get(url("member.export"), {"branch": personas.org.branch_a.pk}).status_code == 404
    assert client.get(url("member.create"), {"branch": personas.org.branch_a.pk}).status_code == 404
    assert client.get(url("member.create"), {"branch": personas.org.branch_b.pk}).status_code == 200


def test_the_inspector_may_not_add_even_with_a_branch_in_scope(personas, login):
    client = login(personas.inspector)
    assert client.get(url("member.create"), {"branch": personas.org.branch_a.pk}).status_code == 403


def test_a_group_leader_sees_the_members_of_their_group(personas, login, org):
    leader = f.UserFactory(username="leader_a")
    f.RoleGrantFactory(user=leader, unit=org.group_a, role="group_leader")
    outside_group = person(org.branch_a, name="组外人")
    client = login(leader)
    names = {m.name for m in client.get(url("member.list")).context["page"].object_list}
    assert names == {"甲书记", "甲党员", "甲同事"}
    assert client.get(url("member.detail", outside_group.pk)).status_code == 404
    assert client.get(url("member.export")).status_code == 403


# Masking and reveal ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["inspector", "secretary_a", "staff"])
def test_pages_never_carry_the_full_id_number_or_phone(personas, login, persona):
    client = login(getattr(personas, persona))
    member = personas.members.other_a
    pages = [url("member.list"), url("member.detail", member.pk)]
    if persona != "inspector":
        pages.append(url("member.edit", member.pk))
    for page in pages:
        html = client.get(page).content.decode()
        assert member.id_number not in html, page
        assert member.phone not in html, page
    html = client.get(url("member.detail", member.pk)).content.decode()
    assert member.id_number[:6] + "********" + member.id_number[-4:] in html


def test_personal_pages_are_not_cached(personas, login):
    client = login(personas.secretary_a)
    member = personas.members.other_a
    for response in (
        client.get(url("member.list")),
        client.get(url("member.detail", member.pk)),
        client.get(url("member.edit", member.pk)),
        client.post(url("member.reveal", member.pk), {"field": "id_number"}),
        client.get(url("member.export")),
    ):
        assert "no-store" in response["Cache-Control"]


def test_reveal_shows_the_value_and_writes_the_audit_entry(personas, login):
    client = login(personas.secretary_a)
    member = personas.members.other_a
    assert_reveals(client, member, "id_number")
    entry = AuditEntry.objects.get(action="members.member.revealed")
    assert (entry.actor, entry.object_id, entry.data["field"]) == (personas.secretary_a, str(member.pk), "id_number")
    # Shown once: the next page load is masked again.
    assert member.id_number not in client.get(url("member.detail", member.pk)).content.decode()


def test_reveal_through_htmx_returns_a_fragment(personas, login):
    client = login(personas.staff)
    member = personas.members.other_a
    response = client.post(url("member.reveal", member.pk), {"field": "phone"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert member.phone in html
    assert "<html" not in html


def test_the_inspector_cannot_reveal_and_nothing_is_logged(personas, login):
    client = login(personas.inspector)
    assert client.post(url("member.reveal", personas.members.other_a.pk), {"field": "id_number"}).status_code == 403
    assert not AuditEntry.objects.filter(action="members.member.revealed").exists()


def test_reveal_buttons_only_for_roles_that_may_reveal(personas, login):
    detail = url("member.detail", personas.members.other_a.pk)
    assert url("member.reveal", personas.members.other_a.pk) in login(personas.secretary_a).get(detail).content.decode()
    assert (
        url("member.reveal", personas.members.other_a.pk) not in login(personas.inspector).get(detail).content.decode()
    )


# Export ----------------------------------------------------------------------------------------


def test_inspector_export_is_masked_and_logged(personas, login):
    client = login(personas.inspector)
    response = client.get(url("member.export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C-" in disposition  # 党员名册-
    ws, rows = sheet_rows(response)
    assert rows[0][0] == "党员名册"
    assert "督查员" in rows[1][0] and "导出时间" in rows[1][0]
    header = rows[3]
    assert header[:5] == ["姓名", "性别", "民族", "出生日期", "公民身份号码"]
    assert ws.cell(row=4, column=1).font.bold
    assert ws.column_dimensions["E"].width >= 20
    data = rows[4:]
    assert len(data) == 5
    ids = {m.id_number for m in Member.objects.all()}
    assert not ids & {row[4] for row in data}
    entry = AuditEntry.objects.get(action="members.member.exported")
    assert (entry.data["count"], entry.data["full"], entry.actor) == (5, False, personas.inspector)


def test_inspector_may_not_ask_for_a_full_export(personas, login):
    assert login(personas.inspector).get(url("member.export"), {"full": "1"}).status_code == 403
    assert not AuditEntry.objects.filter(action="members.member.exported").exists()


def test_secretary_full_export_shows_own_branch_in_full_and_is_logged(personas, login):
    client = login(personas.secretary_a)
    _ws, rows = sheet_rows(client.get(url("member.export"), {"full": "1"}))
    exported = {row[4] for row in rows[4:]}
    assert exported == {
        m.id_number for m in (personas.members.secretary_a, personas.members.member_a, personas.members.other_a)
    }
    entry = AuditEntry.objects.get(action="members.member.exported")
    assert (entry.data["count"], entry.data["full"], entry.unit) == (3, True, personas.org.branch_a)


def test_export_follows_the_list_filters(personas, login):
    client = login(personas.staff)
    _ws, rows = sheet_rows(client.get(url("member.export"), {"branch": personas.org.branch_b.pk}))
    assert {row[0] for row in rows[4:]} == {"乙书记", "乙同事"}
    entry = AuditEntry.objects.get(action="members.member.exported")
    assert entry.data["filters"] == {"branch": "第二党支部"}


# Search and list -------------------------------------------------------------------------------


def test_search_by_pinyin_initials_and_by_name(personas, login, org):
    person(org.branch_a, name="张三", name_initials="zs")
    person(org.branch_a, name="李四", name_initials="ls")
    client = login(personas.staff)
    names = lambda q: {m.name for m in client.get(url("member.list"), {"q": q}).context["page"].object_list}  # noqa: E731
    assert names("zs") == {"张三"}
    assert names("ZS") == {"张三"}
    assert names("张") == {"张三"}
    assert names("李四") == {"李四"}


def test_list_filters_and_hides_archived_unless_asked(personas, login, org):
    archived = person(org.branch_a, name="已归档者", archived_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    person(org.branch_a, name="预备者", category="probationary", full_member_on=None)
    client = login(personas.staff)

    def names(**params):
        return {m.name for m in client.get(url("member.list"), params).context["page"].object_list}

    assert archived.name not in names()
    assert archived.name in names(archived="on")
    assert names(category="probationary") == {"预备者"}
    assert names(branch=org.branch_b.pk) == {"乙书记", "乙同事"}
    response = client.get(url("member.list"))
    assert response.context["count"] == 6
    assert "共 6 人" in response.content.decode()


def test_the_branch_filter_offers_only_visible_branches(personas, login):
    form = login(personas.secretary_a).get(url("member.list")).context["form"]
    assert list(form.fields["branch"].queryset) == [personas.org.branch_a]


@pytest.mark.parametrize("extra", [3, 30])
def test_member_list_query_count_does_not_grow(personas, login, org, django_assert_max_num_queries, extra):
    for i in range(extra):
        person(org.branch_a if i % 2 else org.branch_b, group=org.group_a if i % 2 else None)
    client = login(personas.staff)
    client.get(url("member.list"))  # warm the session
    # Session, user, grants, count, branch choices, page, open branch rows, open group rows,
    # session save (with its savepoint): the same at any size.
    with django_assert_max_num_queries(11):
        response = client.get(url("member.list"))
    assert response.context["count"] == 5 + extra


def test_member_list_paginates_by_fifty(personas, login, org):
    for _ in range(50):
        person(org.branch_a)
    client = login(personas.staff)
    assert len(client.get(url("member.list")).context["page"].object_list) == 50
    assert len(client.get(url("member.list"), {"page": 2}).context["page"].object_list) == 5


# Detail tabs -----------------------------------------------------------------------------------


def test_detail_tabs_show_memberships_duties_and_history(personas, login, org):
    client = login(personas.staff)
    member = personas.members.secretary_a
    history = client.get(url("member.detail", member.pk), {"tab": "memberships"}).content.decode()
    assert "第一党支部" in history and "第一党小组" in history and "至今" in history
    duties = client.get(url("member.detail", member.pk), {"tab": "duties"}).content.decode()
    assert "书记" in duties
    for item in RoleDuty.objects.get(role=CommitteeRole.SECRETARY).items[:2]:
        assert item in duties


def test_a_role_without_a_duty_list_says_so(personas, login):
    RoleDuty.objects.filter(role=CommitteeRole.SECRETARY).delete()
    html = login(personas.staff).get(url("member.detail", personas.members.secretary_a.pk), {"tab": "duties"})
    assert "尚未设定职责" in html.content.decode()


def test_history_tab_lists_the_audit_entries(personas, login):
    client = login(personas.secretary_a)
    member = personas.members.other_a
    client.post(url("member.reveal", member.pk), {"field": "phone"})
    html = client.get(url("member.detail", member.pk), {"tab": "history"}).content.decode()
    assert "查看完整个人信息" in html


# Create / edit / transfer / archive through the pages ------------------------------------------


def form_data(member_data, **overrides):
    return as_post(member_data(**overrides))


def test_secretary_adds_a_member_to_their_branch(personas, login, org, member_data):
    client = login(personas.secretary_a)
    data = form_data(member_data, name="王五")
    data.update(branch=org.branch_a.pk, group=org.group_a.pk)
    response = client.post(url("member.create"), data)
    member = Member.objects.get(name="王五")
    assert response.status_code == 302 and response["Location"] == url("member.detail", member.pk)
    assert member.current_branch_membership().unit == org.branch_a
    assert AuditEntry.objects.filter(action="members.member.created", object_id=str(member.pk)).exists()


def test_secretary_cannot_add_to_another_branch(personas, login, org, member_data):
    client = login(personas.secretary_a)
    data = form_data(member_data)
    data["branch"] = org.branch_b.pk
    response = client.post(url("member.create"), data)
    assert response.status_code == 200
    assert "所在党支部的选项无效" in response.content.decode()
    assert not Member.objects.filter(name="张三").exists()


def test_create_form_names_the_field_of_each_error(personas, login, org, member_data):
    client = login(personas.staff)
    data = form_data(member_data, full_member_on=None)
    data.update(branch=org.branch_a.pk, joined_on="")
    html = client.post(url("member.create"), data).content.decode()
    assert "请填写入党日期" in html


def test_create_form_reports_a_duplicate_id_number(personas, login, org, member_data):
    existing = person(org.branch_b)
    client = login(personas.staff)
    data = form_data(member_data, id_number=existing.id_number, birth_date=existing.birth_date)
    data["branch"] = org.branch_a.pk
    html = client.post(url("member.create"), data).content.decode()
    assert "公民身份号码已登记" in html
    assert existing.id_number in html  # the user's own input is kept in the form


def test_edit_keeps_the_stored_id_when_left_empty_and_saves(personas, login, org):
    member = person(org.branch_a, name="赵六")
    client = login(personas.secretary_a)
    form = client.get(url("member.edit", member.pk)).context["form"]
    data = as_post(form.initial)
    data.update(post="科长", id_number="", phone="")
    response = client.post(url("member.edit", member.pk), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.post, member.version) == ("科长", 2)
    assert member.id_number and member.phone


def test_a_stale_edit_shows_the_conflicts_and_keeps_the_input(personas, login, org):
    member = person(org.branch_a, name="赵六", department="办公室")
    client = login(personas.secretary_a)
    initial = client.get(url("member.edit", member.pk)).context["form"].initial
    data = as_post(initial)
    # Somebody else saves first.
    from members import services

    services.update_member(
        Member.objects.get(pk=member.pk), {"department": "财务科"}, actor=personas.staff, expected_version=1
    )
    data.update(department="人事科")
    response = client.post(url("member.edit", member.pk), data)
    assert_page_shows(response, "您的修改没有保存", "工作部门：财务科 → 人事科", 'value="人事科"')
    member.refresh_from_db()
    assert member.department == "财务科"
    # The form now carries the new version: a second, knowing submit saves.
    assert response.context["form"]["version"].value() == "2"


def test_transfer_page_moves_a_member(personas, login, org):
    member = person(org.branch_a)
    client = login(personas.staff)
    response = client.post(url("member.transfer", member.pk), {"to_branch": org.branch_b.pk, "on": "2024-05-01"})
    assert response.status_code == 302
    assert member.current_branch_membership().unit == org.branch_b
    assert BranchMembership.objects.filter(member=member).count() == 2


def test_secretary_cannot_transfer_outside_their_scope(personas, login, org):
    member = person(org.branch_a)
    client = login(personas.secretary_a)
    response = client.post(url("member.transfer", member.pk), {"to_branch": org.branch_b.pk, "on": "2024-05-01"})
    assert response.status_code == 200
    assert "转入党支部的选项无效" in response.content.decode()
    assert BranchMembership.objects.filter(member=member).count() == 1


def test_transfer_page_shows_the_date_rule(personas, login, org):
    member = person(org.branch_a, start_on=datetime.date(2022, 1, 1))
    client = login(personas.staff)
    html = client.post(
        url("member.transfer", member.pk), {"to_branch": org.branch_b.pk, "on": "2021-01-01"}
    ).content.decode()
    assert "转接日期不能早于进入现党支部的日期（2022-01-01）" in html


def test_archive_and_restore_through_the_pages(personas, login, org):
    member = person(org.branch_a, name="归档者")
    client = login(personas.secretary_a)
    client.post(url("member.archive", member.pk), {"reason": "调离"})
    member.refresh_from_db()
    assert member.is_archived
    assert "归档者" not in {m.name for m in client.get(url("member.list")).context["page"].object_list}
    assert client.get(url("member.detail", member.pk)).status_code == 200
    client.post(url("member.restore", member.pk))
    member.refresh_from_db()
    assert not member.is_archived
    assert (
        AuditEntry.objects.filter(
            object_id=str(member.pk), action__in=["members.member.archived", "members.member.restored"]
        ).count()
        == 2
    )
