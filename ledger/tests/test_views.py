"""The import page and the template download: committee staff only."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from ledger.tests import helpers as h
from members.models import Member

IMPORT = reverse("ledger:import")
TEMPLATE = reverse("ledger:template")


def post_file(client, data: bytes, name="台账.xlsx"):
    fh = io.BytesIO(data)
    fh.name = name
    return client.post(IMPORT, {"file": fh})


def test_staff_sees_the_import_form_with_the_template_link(personas, login):
    response = login(personas.staff).get(IMPORT)
    assert response.status_code == 200
    assert TEMPLATE in response.content.decode()
    assert "检查并导入" in response.content.decode()


@pytest.mark.parametrize("who", ["inspector", "secretary_a", "member_a", "secretary_b"])
@pytest.mark.parametrize("url", [IMPORT, TEMPLATE])
def test_others_get_404(personas, login, who, url):
    assert login(getattr(personas, who)).get(url).status_code == 404


def test_others_cannot_post_an_import(personas, login):
    before = h.counts()
    response = post_file(login(personas.secretary_a), h.valid_workbook())
    assert response.status_code == 404
    assert h.counts() == before


def test_wrong_methods_answer_405(personas, login):
    client = login(personas.staff)
    assert client.put(IMPORT).status_code == 405
    assert client.delete(IMPORT).status_code == 405
    assert client.post(TEMPLATE).status_code == 405


def test_anonymous_users_are_sent_to_login(db, client):
    response = client.get(IMPORT)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_staff_downloads_the_template(personas, login):
    response = login(personas.staff).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {"组织", "党员", "支委", "说明"} <= set(wb.sheetnames)


def test_a_valid_upload_imports_and_shows_the_summary(personas, login):
    client = login(personas.staff)
    response = post_file(client, h.valid_workbook())
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert Member.objects.filter(name="赵一").exists()
    page = client.get(IMPORT).content.decode()
    assert "导入完成：新增16条，已存在0条" in page
    assert "导入结果：台账.xlsx" in page
    # The summary is shown once.
    assert "导入结果" not in client.get(IMPORT).content.decode()


def test_a_second_upload_of_the_same_file_says_nothing_new(personas, login):
    client = login(personas.staff)
    post_file(client, h.valid_workbook())
    before = h.counts()
    post_file(client, h.valid_workbook())
    assert "没有新增任何内容" in client.get(IMPORT).content.decode()
    assert h.counts()["members"] == before["members"]


def test_a_bad_upload_shows_every_error_in_a_table_and_stores_nothing(personas, login):
    members = h.member_rows()
    members[1][3] = "1980-13-01"
    members[4][9] = "第九党支部"
    data = h.xlsx({"组织": h.unit_rows(), "党员": members})
    before = h.counts()
    response = post_file(login(personas.staff), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert h.counts() == before
    assert "未导入任何数据" in page
    assert "<th>工作表</th><th>行</th><th>列</th><th>原因</th>" in page
    assert "<td>党员</td><td>2</td><td>出生日期</td>" in page
    assert "党支部“第九党支部”不存在（表中和系统中都没有）" in page


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(personas, login):
    response = post_file(login(personas.staff), "姓名\n张三\n".encode(), name="名单.xlsx")
    assert response.status_code == 200
    assert "文件不是 Excel 工作簿（.xlsx）" in response.content.decode()


def test_an_upload_without_a_file_is_refused(personas, login):
    response = login(personas.staff).post(IMPORT, {})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@override_settings(ZHIBU={"IMPORT_MAX_BYTES": 2048, "TERM_REMINDER_DAYS": 90})
def test_an_upload_over_the_limit_is_refused_before_reading(personas, login):
    before = h.counts()
    response = post_file(login(personas.staff), h.valid_workbook())
    assert response.status_code == 200
    assert "文件过大" in response.content.decode() and "不能超过2 KB" in response.content.decode()
    assert h.counts() == before


@override_settings(ZHIBU={"IMPORT_MAX_BYTES": 2048, "TERM_REMINDER_DAYS": 90})
def test_an_upload_declared_too_long_is_refused_without_parsing_the_body(personas, login, monkeypatch):
    import ledger.views as views

    real_form = views.ImportForm

    def form(*args, **kwargs):  # an empty form may be shown again; the body must never be bound
        if args or kwargs:
            raise AssertionError("the upload was read")
        return real_form()

    monkeypatch.setattr(views, "ImportForm", form)
    client = login(personas.staff)
    response = client.generic("POST", IMPORT, b"x" * (2048 + views.MULTIPART_OVERHEAD + 1), content_type="text/plain")
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
