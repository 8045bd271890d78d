from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults


def test_an_unknown_address_shows_the_chinese_404_page(personas, login):
    response = login(personas.staff).get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and reverse("portal:home") in text


def test_an_object_out_of_scope_shows_the_same_404_page(personas, login):
    response = login(personas.secretary_b).get(reverse("organizations:unit.detail", args=[personas.org.branch_a.pk]))
    assert response.status_code == 404 and "不在您的权限范围内" in response.content.decode()


def test_a_refused_action_shows_the_chinese_403_page(personas, login):
    response = login(personas.inspector).get(reverse("organizations:unit.edit", args=[personas.org.branch_a.pk]))
    assert response.status_code == 403
    assert "没有权限进行此操作" in response.content.decode()


def test_the_403_handler_renders_for_any_view(db):
    request = RequestFactory().get("/")
    request.user = None
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403 and "没有权限" in response.content.decode()


def test_the_500_page_renders_without_a_request_context(db):
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错了" in text and "zhibu.css" in text


def test_the_500_template_needs_no_database():
    # No ``db`` fixture: any query while rendering would fail this test.
    assert "服务器出错了" in render_to_string("500.html")
