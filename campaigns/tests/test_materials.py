"""Materials library: content-checked uploads, text extraction (.docx, UTF-8 and GB18030 .txt),
search by title and text, read marks, edits and archive with audit."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services
from campaigns.models import Material, MaterialRead
from campaigns.views.materials import search_materials
from common.models import AuditEntry


def docx_upload(name, paragraphs):
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(title, file, topics=("constitution",), actor=None):
    return services.upload_material({"title": title, "topics": list(topics)}, file, actor=actor)


def test_a_docx_is_stored_under_a_generated_name_with_its_text(personas):
    m = upload(
        "条例要点", docx_upload("条例.docx", ["第一条 党支部是党的基础组织", "第二条 三会一课"]), actor=personas.staff
    )
    assert m.file.name.endswith(".docx") and "条例" not in m.file.name
    assert m.text == "第一条 党支部是党的基础组织\n第二条 三会一课"
    assert m.content_type.endswith("wordprocessingml.document") and len(m.sha256) == 64
    entry = AuditEntry.objects.get(action="campaigns.material.created", object_id=str(m.pk))
    assert entry.data["changes"]["topics"] == [None, ["党章"]]


def test_a_gb18030_text_file_is_accepted_and_decoded(db):
    m = upload(
        "案例", SimpleUploadedFile("案例.txt", "违规收受礼金案例警示".encode("gb18030")), topics=("cases", "integrity")
    )
    assert m.text == "违规收受礼金案例警示"
    assert m.content_type == "text/plain; charset=gb18030"
    assert sorted(m.topic_codes()) == ["cases", "integrity"]


def test_a_pdf_is_kept_without_text(db):
    m = upload("党章", SimpleUploadedFile("党章.pdf", b"%PDF-1.4\n%...\n"))
    assert m.text == "" and m.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "文件：文件内容不是可接受的类型（PDF、Word、文本）。"),
        ("党章.pdf", "党章正文".encode(), "文件：文件内容是文本，与文件名“党章.pdf”不符。"),
        ("空.txt", b"", "文件：文件是空的。"),
    ],
)
def test_it_refuses_files_by_content(db, name, data, message):
    with pytest.raises(services.CampaignError) as exc:
        upload("x", SimpleUploadedFile(name, data))
    assert exc.value.errors["file"] == message
    assert Material.objects.count() == 0


def test_it_refuses_a_material_without_title_or_topic(db):
    with pytest.raises(services.CampaignError) as exc:
        services.upload_material({"title": " ", "topics": []}, SimpleUploadedFile("a.txt", b"abc"), actor=None)
    assert exc.value.errors["title"] == "标题：不能为空。"
    assert exc.value.errors["topics"].startswith("主题：")


def test_search_finds_title_and_docx_text(db):
    in_docx = upload("条例要点", docx_upload("条例.docx", ["主题党日每月相对固定一天"]))
    by_title = upload("主题党日组织办法", SimpleUploadedFile("a.txt", "办法正文".encode()))
    upload("无关资料", SimpleUploadedFile("b.txt", "其他内容".encode()))
    found = set(search_materials(Material.objects.all(), "主题党日"))
    assert found == {in_docx, by_title}
    assert set(search_materials(Material.objects.all(), "")) == set(Material.objects.all())


def test_the_library_page_searches_the_text_and_shows_the_passage(personas, login):
    upload("条例要点", docx_upload("条例.docx", ["党支部每月相对固定一天开展主题党日。"]), actor=personas.staff)
    response = login(personas.member_a).get(reverse("campaigns:material.list"), {"q": "固定一天"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "条例要点" in body and "相对固定一天开展主题党日" in body


def test_marking_read_is_once_per_user(personas):
    m = upload("党章", SimpleUploadedFile("a.txt", "正文".encode()))
    _row, created = services.mark_material_read(m, actor=personas.member_a)
    _row, again = services.mark_material_read(m, actor=personas.member_a)
    assert (created, again) == (True, False)
    assert MaterialRead.objects.filter(material=m).count() == 1
    assert AuditEntry.objects.filter(action="campaigns.material.read", object_id=str(m.pk)).count() == 1


def test_editing_topics_is_logged_and_stale_edits_refused(personas):
    from common.concurrency import StaleEditError

    m = upload("党章", SimpleUploadedFile("a.txt", "正文".encode()))
    services.update_material(
        m, {"title": "党章全文", "topics": ["constitution", "other"]}, actor=personas.staff, expected_version=1
    )
    m.refresh_from_db()
    assert m.title == "党章全文" and sorted(m.topic_codes()) == ["constitution", "other"]
    changes = AuditEntry.objects.get(action="campaigns.material.changed").data["changes"]
    assert changes["topics"] == [["党章"], ["党章", "其他"]]
    with pytest.raises(StaleEditError):
        services.update_material(m, {"title": "别的", "topics": ["other"]}, actor=personas.staff, expected_version=1)


def test_archived_materials_disappear_for_members_and_return_on_restore(personas, login):
    m = upload("旧版学习读本", SimpleUploadedFile("a.txt", "正文".encode()))
    services.archive_material(m, actor=personas.staff)
    client = login(personas.member_a)
    assert "旧版学习读本" not in client.get(reverse("campaigns:material.list")).content.decode()
    assert client.get(reverse("campaigns:material.detail", args=[m.pk])).status_code == 404
    assert client.get(reverse("campaigns:material.download", args=[m.pk])).status_code == 404
    services.restore_material(m, actor=personas.staff)
    assert client.get(reverse("campaigns:material.download", args=[m.pk])).status_code == 200


def test_the_download_is_an_attachment_with_the_stored_bytes(personas, login):
    m = upload("党章", SimpleUploadedFile("党章.txt", "正文".encode()))
    response = login(personas.member_a).get(reverse("campaigns:material.download", args=[m.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == "正文".encode()


def test_staff_upload_through_the_page(personas, login):
    client = login(personas.staff)
    response = client.post(
        reverse("campaigns:material.create"),
        {"title": "廉政教育读本", "topics": ["integrity"], "file": SimpleUploadedFile("读本.txt", "廉洁自律".encode())},
    )
    m = Material.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaigns:material.detail", args=[m.pk])
    assert m.text == "廉洁自律"


def test_the_upload_page_keeps_input_and_shows_the_refusal(personas, login):
    client = login(personas.staff)
    response = client.post(
        reverse("campaigns:material.create"),
        {"title": "图片", "topics": ["other"], "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000")},
    )
    assert response.status_code == 200
    assert "文件：文件内容不是可接受的类型" in response.content.decode()
    assert Material.objects.count() == 0


@pytest.mark.parametrize("size", [3, 30])
def test_the_library_list_costs_the_same_queries_at_any_size(personas, login, size, django_assert_max_num_queries):
    for i in range(size):
        m = upload(f"资料{i}", SimpleUploadedFile("a.txt", f"正文{i}".encode()), topics=("constitution", "other"))
        services.mark_material_read(m, actor=personas.staff)
    client = login(personas.member_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaigns:material.list"), {"q": "正文"}).status_code == 200
