"""三员 separation: never two administrator roles on one account, and no business role beside
one; the database refuses the first even behind the service's back."""

import pytest
from django.db import IntegrityError

from accounts import services
from accounts.models import Role, RoleGrant
from accounts.scope import get_scope
from common.models import AuditEntry
from tests import factories as f


def test_it_refuses_a_second_administrator_role_with_a_chinese_message(admins):
    with pytest.raises(services.AccountError, match="只能担任系统管理员、安全管理员、审计管理员中的一个"):
        services.grant_role(admins.sysadmin, Role.AUDITADMIN, None, actor=admins.secadmin)
    assert set(admins.sysadmin.grants.values_list("role", flat=True)) == {Role.SYSADMIN}
    assert not AuditEntry.objects.filter(action="accounts.grant.created").exists()


def test_it_refuses_a_business_role_to_an_administrator_and_the_reverse(admins, personas):
    with pytest.raises(services.AccountError, match="管理员账号不能同时担任业务角色"):
        services.grant_role(admins.auditadmin, Role.MEMBER, personas.org.branch_a, actor=admins.secadmin)
    with pytest.raises(services.AccountError, match="管理员账号不能同时担任业务角色"):
        services.grant_role(personas.staff, Role.SYSADMIN, None, actor=admins.secadmin)


def test_the_database_refuses_two_active_administrator_roles(admins):
    with pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=admins.sysadmin, role=Role.SECADMIN)


def test_the_database_refuses_an_administrator_role_on_a_unit(admins, org):
    with pytest.raises(IntegrityError):
        RoleGrant.objects.create(user=f.UserFactory(username="x"), role=Role.AUDITADMIN, unit=org.committee)


def test_a_revoked_administrator_role_frees_the_account_for_another(admins):
    grant = admins.sysadmin.grants.get()
    services.revoke_grant(grant, actor=admins.secadmin)
    services.grant_role(admins.sysadmin, Role.AUDITADMIN, None, actor=admins.secadmin)
    assert get_scope(type(admins.sysadmin).objects.get(pk=admins.sysadmin.pk)).admin_roles == {Role.AUDITADMIN}


def test_an_administrator_scope_covers_no_unit(admins, org):
    scope = get_scope(admins.sysadmin)
    assert scope.grants == [] and scope.admin_roles == {Role.SYSADMIN}
    assert scope.has_any(Role.SYSADMIN) and not scope.has_any(Role.COMMITTEE_STAFF)
    assert scope.paths() == [] and scope.roles_on(org.branch_a) == set()
    assert not scope.is_empty


def test_a_granted_role_on_an_archived_unit_is_refused(admins, org):
    from django.utils import timezone

    org.branch_b.archived_at = timezone.now()
    org.branch_b.save()
    with pytest.raises(services.AccountError, match="已归档"):
        services.grant_role(f.UserFactory(username="y"), Role.MEMBER, org.branch_b, actor=admins.secadmin)
