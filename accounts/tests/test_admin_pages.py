"""The administrators' pages: accounts (system administrator), grants (security
administrator), the audit log (audit administrator). Allowed, 404 for everyone else, 405."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AccountSecurity, Role, RoleGrant
from common.models import AuditEntry
from tests import factories as f

User = get_user_model()


@pytest.fixture
def everyone(personas, admins):
    return personas, admins


# ---------------------------------------------------------------- accounts


def test_the_system_administrator_lists_accounts_with_their_roles(everyone, login):
    personas, admins = everyone
    response = login(admins.sysadmin).get(reverse("accounts:account.list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "secretary_a" in body and "支部书记（第一党支部）" in body and "安全管理员" in body


def test_the_account_list_searches_by_name(everyone, login):
    _personas, admins = everyone
    response = login(admins.sysadmin).get(reverse("accounts:account.list"), {"q": "甲书记"})
    assert [a.username for a in response.context["accounts"]] == ["secretary_a"]


@pytest.mark.parametrize("extra", [3, 30])
def test_the_account_list_query_count_does_not_grow(admins, login, org, django_assert_max_num_queries, extra):
    for i in range(extra):
        u = f.UserFactory(username=f"u{i}")
        f.RoleGrantFactory(user=u, unit=org.branch_a, role=Role.MEMBER)
        AccountSecurity.objects.create(user=u, password_changed_at="2026-01-01T00:00Z")
    client = login(admins.sysadmin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("accounts:account.list")).status_code == 200


def test_creating_an_account_shows_the_issued_password_once_and_audits_it(admins, login):
    client = login(admins.sysadmin)
    response = client.post(reverse("accounts:account.create"), {"username": "zhaolei", "first_name": "赵磊"})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    account = User.objects.get(username="zhaolei")
    assert account.check_password(password)
    assert account.security.must_change_password and account.security.created_by == admins.sysadmin
    entry = AuditEntry.objects.get(action="accounts.account.created")
    assert entry.actor == admins.sysadmin and password not in str(entry.data)
    # The list does not show it again.
    assert password not in client.get(reverse("accounts:account.list")).content.decode()


def test_it_refuses_a_username_already_taken_in_chinese(admins, login):
    f.UserFactory(username="zhaolei")
    response = login(admins.sysadmin).post(reverse("accounts:account.create"), {"username": "ZhaoLei"})
    assert "用户名：“ZhaoLei”已被使用。" in response.content.decode()


def test_editing_an_account_is_audited_and_a_stale_form_is_refused(everyone, login):
    personas, admins = everyone
    client = login(admins.sysadmin)
    url = reverse("accounts:account.edit", args=[personas.member_a.pk])
    version = client.get(url).context["form"].initial["version"]
    data = {"username": "member_a", "first_name": "甲党员（改）", "email": "", "version": version}
    assert client.post(url, data).status_code == 302
    personas.member_a.refresh_from_db()
    assert personas.member_a.first_name == "甲党员（改）"
    entry = AuditEntry.objects.get(action="accounts.account.changed")
    assert entry.data["changes"]["first_name"] == ["甲党员", "甲党员（改）"]
    # The same (now stale) version again: refused, input kept, conflict listed.
    stale = client.post(url, {**data, "first_name": "别的名字"})
    assert stale.status_code == 200
    assert "已被他人修改" in stale.content.decode()
    assert stale.context["conflicts"] == [("名字", "甲党员（改）", "别的名字")]
    personas.member_a.refresh_from_db()
    assert personas.member_a.first_name == "甲党员（改）"


def test_deactivating_an_account_stops_its_login_and_is_audited(everyone, login, client):
    personas, admins = everyone
    login(admins.sysadmin).post(reverse("accounts:account.deactivate", args=[personas.member_a.pk]))
    personas.member_a.refresh_from_db()
    assert personas.member_a.is_active is False
    assert AuditEntry.objects.get(action="accounts.account.deactivated").actor == admins.sysadmin
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": "member_a", "password": "Zhibu#2026"})
    assert response.status_code == 200
    client.force_login(admins.sysadmin, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:account.activate", args=[personas.member_a.pk]))
    personas.member_a.refresh_from_db()
    assert personas.member_a.is_active
    assert AuditEntry.objects.filter(action="accounts.account.activated").exists()


def test_the_system_administrator_cannot_deactivate_or_reset_themselves(admins, login):
    client = login(admins.sysadmin)
    response = client.post(reverse("accounts:account.deactivate", args=[admins.sysadmin.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    response = client.post(reverse("accounts:account.reset_password", args=[admins.sysadmin.pk]), follow=True)
    assert "不能重置自己的密码" in response.content.decode()


def test_resetting_a_password_issues_a_new_one_shown_once(everyone, login):
    personas, admins = everyone
    response = login(admins.sysadmin).post(reverse("accounts:account.reset_password", args=[personas.member_a.pk]))
    password = response.context["password"]
    personas.member_a.refresh_from_db()
    assert personas.member_a.check_password(password)
    assert personas.member_a.security.must_change_password
    assert AuditEntry.objects.get(action="accounts.account.password_reset").actor == admins.sysadmin


@pytest.mark.parametrize(
    ("name", "method", "with_pk"),
    [
        ("accounts:account.list", "post", False),
        ("accounts:account.create", "put", False),
        ("accounts:account.edit", "put", True),
        ("accounts:account.deactivate", "get", True),
        ("accounts:account.activate", "get", True),
        ("accounts:account.reset_password", "get", True),
    ],
)
def test_account_pages_answer_405_to_the_wrong_method(admins, login, name, method, with_pk):
    url = reverse(name, args=[admins.auditadmin.pk] if with_pk else [])
    assert getattr(login(admins.sysadmin), method)(url).status_code == 405


def test_an_unknown_account_answers_404(admins, login):
    assert login(admins.sysadmin).get(reverse("accounts:account.edit", args=[99999])).status_code == 404


# ---------------------------------------------------------------- grants


def test_the_security_administrator_grants_and_revokes_roles_with_audit(everyone, login):
    personas, admins = everyone
    client = login(admins.secadmin)
    data = {"user": personas.member_a.pk, "role": Role.GROUP_LEADER, "unit": personas.org.group_a.pk}
    assert client.post(reverse("accounts:grant.create"), data).status_code == 302
    grant = RoleGrant.objects.get(user=personas.member_a, role=Role.GROUP_LEADER)
    assert grant.granted_by == admins.secadmin
    entry = AuditEntry.objects.get(action="accounts.grant.created")
    assert entry.unit == personas.org.group_a and entry.data["username"] == "member_a"
    assert "党小组长" in client.get(reverse("accounts:grant.list")).content.decode()

    assert client.post(reverse("accounts:grant.revoke", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AuditEntry.objects.get(action="accounts.grant.revoked").actor == admins.secadmin
    # Revoked grants are kept, shown on request.
    assert grant not in client.get(reverse("accounts:grant.list")).context["grants"]
    assert grant in client.get(reverse("accounts:grant.list"), {"revoked": "1"}).context["grants"]


def test_a_business_role_needs_a_unit_and_an_admin_role_takes_none(everyone, login):
    personas, admins = everyone
    client = login(admins.secadmin)
    user = f.UserFactory(username="newbie")
    body = client.post(reverse("accounts:grant.create"), {"user": user.pk, "role": Role.SECRETARY}).content.decode()
    assert "请选择授权的组织。" in body
    body = client.post(
        reverse("accounts:grant.create"), {"user": user.pk, "role": Role.SYSADMIN, "unit": personas.org.committee.pk}
    ).content.decode()
    assert "管理员角色不限于某个组织" in body
    assert not RoleGrant.objects.filter(user=user).exists()


def test_the_security_administrator_cannot_revoke_their_own_grant(admins, login):
    grant = admins.secadmin.grants.get()
    response = login(admins.secadmin).post(reverse("accounts:grant.revoke", args=[grant.pk]), follow=True)
    assert "不能撤销自己的授权" in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is None


@pytest.mark.parametrize("extra", [3, 30])
def test_the_grant_list_query_count_does_not_grow(admins, login, org, django_assert_max_num_queries, extra):
    for i in range(extra):
        f.RoleGrantFactory(user=f.UserFactory(username=f"g{i}"), unit=org.branch_a, role=Role.MEMBER)
    client = login(admins.secadmin)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("accounts:grant.list")).status_code == 200


@pytest.mark.parametrize(
    ("name", "method", "with_pk"),
    [
        ("accounts:grant.list", "post", False),
        ("accounts:grant.create", "put", False),
        ("accounts:grant.revoke", "get", True),
    ],
)
def test_grant_pages_answer_405_to_the_wrong_method(admins, login, name, method, with_pk):
    url = reverse(name, args=[admins.sysadmin.grants.get().pk] if with_pk else [])
    assert getattr(login(admins.secadmin), method)(url).status_code == 405


# ---------------------------------------------------------------- audit administrator and navigation


def test_the_audit_administrator_reads_the_whole_log(everyone, login):
    personas, admins = everyone
    from common.audit import log_action

    outside = f.CommitteeUnitFactory(name="外单位党委")
    log_action("organizations.unit.changed", actor=None, obj=outside, unit=outside)
    log_action("accounts.auth.login_failed", actor=None, data={"username": "x"})
    response = login(admins.auditadmin).get(reverse("accounts:audit.list"))
    assert response.status_code == 200
    reprs = {e.object_repr for e in response.context["entries"]}
    assert "外单位党委" in reprs


def test_each_administrator_sees_only_their_own_nav_link(admins, login, client):
    expected = {
        admins.sysadmin: "账号管理",
        admins.secadmin: "角色授权",
        admins.auditadmin: "审计日志",
    }
    for user, link in expected.items():
        body = login(user).get(reverse("portal:home")).content.decode()
        nav = body.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
        assert link in nav
        assert {"账号管理", "角色授权", "审计日志"} - {link} == {
            t for t in ("账号管理", "角色授权", "审计日志") if t not in nav
        }
        assert "修改密码" in body


def test_administrators_see_no_party_records(everyone, login):
    personas, admins = everyone
    for user in (admins.sysadmin, admins.secadmin, admins.auditadmin):
        client = login(user)
        response = client.get(reverse("members:member.list"))
        assert response.status_code == 200 and list(response.context["page"].object_list) == []
        assert client.get(reverse("members:member.detail", args=[personas.members.other_a.pk])).status_code == 404
