"""Chinese first; Traditional Chinese follows from the compiled catalog; English falls back."""

from django.urls import reverse


def test_the_login_page_is_simplified_chinese_by_default(client, db):
    assert "登录支部工作台" in client.get(reverse("accounts:login")).content.decode()


def test_traditional_chinese_is_served_from_the_catalog(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-Hant")
    text = response.content.decode()
    assert "登錄支部工作臺" in text
    assert 'lang="zh-hant"' in text


def test_a_visitor_can_switch_language(client, db):
    response = client.post(reverse("set_language"), {"language": "zh-hant", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert "登錄支部工作臺" in client.get(reverse("accounts:login")).content.decode()
