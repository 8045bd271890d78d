import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.checks import active_superuser_check
from accounts.models import Role
from accounts.scope import get_scope
from common.models import AuditEntry
from tests import factories as f


def test_create_admin_issues_a_password_printed_once_that_must_change(db, capsys):
    call_command("create_admin", "xitong", "--role", "sysadmin", "--name", "系统管理员")
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].split("：", 1)[1]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="xitong")
    assert user.check_password(password) and not user.is_superuser
    assert user.security.must_change_password
    assert get_scope(user).admin_roles == {Role.SYSADMIN}
    entry = AuditEntry.objects.get(action="accounts.account.admin_created")
    assert entry.data["role"] == "系统管理员" and password not in str(entry.data)


def test_create_admin_refuses_a_taken_username_and_an_unknown_role(db):
    f.UserFactory(username="xitong")
    with pytest.raises(CommandError, match="已被使用"):
        call_command("create_admin", "xitong", "--role", "sysadmin")
    with pytest.raises(CommandError):
        call_command("create_admin", "other", "--role", "committee_staff")


def test_w001_warns_while_an_active_superuser_exists(db):
    assert active_superuser_check(databases=["default"]) == []
    root = f.UserFactory(username="root", is_superuser=True)
    warnings = active_superuser_check(databases=["default"])
    assert [w.id for w in warnings] == ["zhibu.W001"]
    assert "root" in warnings[0].msg
    root.is_active = False
    root.save()
    assert active_superuser_check(databases=["default"]) == []


def test_w001_is_part_of_manage_py_check_with_the_database(db):
    from django.core.management import call_command as run

    f.UserFactory(username="root", is_superuser=True)
    import io

    err = io.StringIO()
    run("check", "--database", "default", stderr=err, stdout=io.StringIO())
    assert "zhibu.W001" in err.getvalue()


def test_e001_refuses_an_unknown_role_in_the_otp_setting(settings):
    from accounts.checks import otp_roles_check

    settings.ZHIBU_OTP_REQUIRED_ROLES = ["committee_staff"]
    assert otp_roles_check() == []
    settings.ZHIBU_OTP_REQUIRED_ROLES = ["committe_staff"]
    assert [e.id for e in otp_roles_check()] == ["accounts.E001"]
