import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f

LOGIN = "accounts:login"


@pytest.fixture
def user(db):
    return f.UserFactory(username="wang")


def post_login(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_login_page_is_chinese_and_open_to_anonymous_users(client, db):
    response = client.get(reverse(LOGIN))
    assert response.status_code == 200
    assert "登录支部工作台" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse(LOGIN))


def test_right_password_logs_in(client, user):
    response = post_login(client, "wang", "Zhibu#2026")
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_password_says_so_in_chinese(client, user):
    response = post_login(client, "wang", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_it_locks_the_account_after_the_configured_number_of_failures(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert post_login(client, "wang", "wrong").status_code == 200
    locked = post_login(client, "wang", "wrong")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert post_login(client, "wang", "Zhibu#2026").status_code == 429


def test_lockout_of_one_user_does_not_lock_another(client, user):
    f.UserFactory(username="li")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wang", "wrong")
    assert post_login(client, "li", "Zhibu#2026").status_code == 302


def test_sessions_expire_after_the_idle_timeout(client, user):
    post_login(client, "wang", "Zhibu#2026")
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60


def test_logout_needs_post(client, user):
    post_login(client, "wang", "Zhibu#2026")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302
