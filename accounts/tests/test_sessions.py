"""Password age, forced change of an issued password, and the absolute session limit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccountSecurity
from common.models import AuditEntry
from tests import factories as f

HOME = "portal:home"
CHANGE = "accounts:password_change"
NEW = "Neu-Kennwort-77"


@pytest.fixture
def user(db):
    return f.UserFactory(username="wang")


def login(client, username="wang", password="Zhibu#2026"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def change(client, old="Zhibu#2026", new=NEW, again=None):
    return client.post(reverse(CHANGE), {"old_password": old, "new_password1": new, "new_password2": again or new})


def age_password(user, days):
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now() - datetime.timedelta(days=days)}
    )


def test_an_expired_password_sends_the_user_to_the_change_page_until_changed(client, user):
    age_password(user, 91)
    login(client)
    response = client.get(reverse(HOME))
    assert response.status_code == 302 and response.url == reverse(CHANGE)
    page = client.get(reverse(CHANGE))
    assert "您的密码已超过有效期" in page.content.decode()
    # Logout stays open while held at the gate.
    assert change(client).status_code == 302
    assert client.get(reverse(HOME)).status_code == 200
    security = AccountSecurity.objects.get(user=user)
    assert timezone.now() - security.password_changed_at < datetime.timedelta(minutes=1)


def test_password_age_below_the_limit_is_not_asked_to_change(client, user):
    age_password(user, 30)
    login(client)
    assert client.get(reverse(HOME)).status_code == 200


def test_a_max_age_of_zero_turns_password_expiry_off(client, user, settings):
    settings.ZHIBU_PASSWORD_MAX_AGE_DAYS = 0
    age_password(user, 1000)
    login(client)
    assert client.get(reverse(HOME)).status_code == 200


def test_logout_stays_reachable_while_a_change_is_due(client, user):
    age_password(user, 200)
    login(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse(HOME)).url.startswith(reverse("accounts:login"))


def test_an_account_made_by_an_administrator_must_change_its_issued_password_at_first_login(client, admins):
    account, issued = services.create_account({"username": "zhaolei", "first_name": "赵磊"}, actor=admins.sysadmin)
    assert login(client, "zhaolei", issued).status_code == 302
    response = client.get(reverse("members:member.list"))
    assert response.url == reverse(CHANGE)
    assert "管理员发放的初始密码" in client.get(reverse(CHANGE)).content.decode()
    assert change(client, issued, NEW).status_code == 302
    assert client.get(reverse(HOME)).status_code == 200
    security = AccountSecurity.objects.get(user=account)
    assert security.must_change_password is False
    # The next login is not held.
    client.post(reverse("accounts:logout"))
    login(client, "zhaolei", NEW)
    assert client.get(reverse(HOME)).status_code == 200


def test_a_reset_password_must_be_changed_too(client, admins, user):
    issued = services.reset_password(user, actor=admins.sysadmin)
    login(client, "wang", issued)
    assert client.get(reverse(HOME)).url == reverse(CHANGE)


def test_the_change_form_refuses_a_weak_or_mismatched_password_in_chinese(client, user):
    login(client)
    body = change(client, new="abc").content.decode()
    assert "密码太短：至少需要 8 个字符。" in body
    body = change(client, new=NEW, again=NEW + "x").content.decode()
    assert "两次输入的新密码不一致。" in body
    body = change(client, old="wrong", new=NEW).content.decode()
    assert "当前密码不正确。" in body
    body = change(client, old="Zhibu#2026", new="Zhibu#2026").content.decode()
    assert "新密码不能与当前密码相同。" in body
    assert not AuditEntry.objects.filter(action="accounts.auth.password_changed").exists()


def test_a_password_change_keeps_the_session_and_is_audited_without_the_password(client, user):
    login(client)
    change(client)
    assert client.get(reverse(HOME)).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.auth.password_changed")
    assert entry.actor == user and entry.data == {"username": "wang"}
    assert NEW not in str(entry.data)


def test_password_change_page_answers_405_to_other_methods(client, user):
    login(client)
    assert client.put(reverse(CHANGE)).status_code == 405


# ---------------------------------------------------------------- absolute session limit


def _start_session_hours_ago(client, hours):
    session = client.session
    session[services.SESSION_STARTED_AT] = (timezone.now() - datetime.timedelta(hours=hours)).isoformat()
    session.save()


def test_a_session_older_than_the_absolute_limit_is_logged_out_with_a_message(client, user):
    login(client)
    _start_session_hours_ago(client, 12)
    response = client.get(reverse(HOME), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "会话已超过最长时限，请重新登录" in response.content.decode()
    assert client.get(reverse(HOME)).status_code == 302
    entry = AuditEntry.objects.get(action="accounts.auth.session_expired")
    assert entry.actor == user and entry.data == {"username": "wang"}


def test_an_active_session_younger_than_the_limit_continues(client, user):
    login(client)
    _start_session_hours_ago(client, 11)
    assert client.get(reverse(HOME)).status_code == 200


def test_the_absolute_limit_comes_from_settings(client, user, settings):
    settings.ZHIBU_SESSION_ABSOLUTE_HOURS = 2
    login(client)
    _start_session_hours_ago(client, 3)
    assert client.get(reverse(HOME)).status_code == 302


def test_login_stamps_the_session_start(client, user):
    login(client)
    started = datetime.datetime.fromisoformat(client.session[services.SESSION_STARTED_AT])
    assert timezone.now() - started < datetime.timedelta(minutes=1)
