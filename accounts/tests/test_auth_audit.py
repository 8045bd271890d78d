"""Every login, failed login, lockout and logout is in the audit log, with the username and
address and never the password."""

import pytest
from django.conf import settings
from django.urls import reverse

from common.models import AuditEntry
from tests import factories as f


@pytest.fixture
def user(db):
    return f.UserFactory(username="wang")


def post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_a_login_is_audited_with_username_and_address(client, user):
    post_login(client, "wang", "Zhibu#2026")
    entry = AuditEntry.objects.get(action="accounts.auth.login")
    assert entry.actor == user
    assert entry.data == {"username": "wang"}
    assert entry.ip == "10.1.2.3"


def test_a_failed_login_is_audited_without_actor_and_without_the_password(client, user):
    post_login(client, "wang", "Wrong-Secret-1")
    entry = AuditEntry.objects.get(action="accounts.auth.login_failed")
    assert entry.actor is None
    assert entry.data == {"username": "wang"}
    assert entry.ip == "10.1.2.3"
    assert "Wrong-Secret-1" not in str(AuditEntry.objects.values_list("data", flat=True))


def test_a_failed_login_for_an_unknown_name_is_audited_too(client, db):
    post_login(client, "nobody", "x")
    assert AuditEntry.objects.get(action="accounts.auth.login_failed").data == {"username": "nobody"}


def test_a_lockout_is_audited(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wang", "wrong")
    entry = AuditEntry.objects.get(action="accounts.auth.locked_out")
    assert entry.actor is None and entry.data == {"username": "wang"} and entry.ip == "10.1.2.3"
    assert AuditEntry.objects.filter(action="accounts.auth.login_failed").count() == settings.AXES_FAILURE_LIMIT
    # The failure that reached the limit and every attempt while locked are marked locked.
    assert AuditEntry.objects.filter(action="accounts.auth.login_failed", data__locked=True).count() == 1
    assert post_login(client, "wang", "Zhibu#2026").status_code == 429
    assert AuditEntry.objects.filter(action="accounts.auth.login_failed", data__locked=True).count() == 2


def test_a_logout_is_audited(client, user):
    post_login(client, "wang", "Zhibu#2026")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="accounts.auth.logout")
    assert entry.actor == user and entry.data == {"username": "wang"}


def test_the_audit_log_shows_the_login_events_in_chinese(client, user, admins, login):
    post_login(client, "wang", "wrong")
    response = login(admins.auditadmin).get(reverse("accounts:audit.list"))
    assert "登录失败" in response.content.decode()
