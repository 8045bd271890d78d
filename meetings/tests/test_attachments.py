"""Attachments: type by content, size limit, generated storage name, checksum, guarded download."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.filetypes import DOCX, JPEG, PDF, PNG, TEXT, XLSX, sniff
from common.models import AuditEntry
from meetings import services
from meetings.models import MeetingAttachment
from tests import factories as f

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def office(main_part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
    return buf.getvalue()


@pytest.fixture
def meeting(personas):
    m = f.MeetingFactory(unit=personas.org.branch_a, host=personas.members.secretary_a, kinds=["theme_day"])
    f.AttendanceFactory(meeting=m, member=personas.members.secretary_a)
    return m


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, JPEG),
        (office("word/document.xml"), DOCX),
        (office("xl/workbook.xml"), XLSX),
        ("签到：张三、李四\n".encode(), TEXT),
        ("\ufeff带BOM的文本".encode("utf-8"), TEXT),
    ],
)
def test_the_type_is_read_from_the_content(data, expected):
    assert sniff(data) is expected


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a\x01\x00", b"MZ\x90\x00\x03\x00\x00\x00", "gbk文本".encode("gbk"), b"PK\x03\x04notazip", b"a\x00b"],
)
def test_other_content_is_not_accepted(data):
    assert sniff(data) is None


def test_it_stores_a_file_under_a_generated_name_with_its_checksum(personas, meeting):
    attachment = services.add_attachment(
        meeting, upload("../../签到表.pdf", PDF_BYTES), "sign_in", actor=personas.staff
    )
    attachment.refresh_from_db()
    stored = Path(attachment.file.name).name
    assert "签到表" not in attachment.file.name and ".." not in attachment.file.name
    assert len(stored) == len("0123456789abcdef0123456789abcdef.pdf") and stored.endswith(".pdf")
    assert attachment.original_name == "签到表.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.file.read() == PDF_BYTES
    entry = AuditEntry.objects.for_object(meeting).get(action="meetings.attachment.added")
    assert entry.data["sha256"] == attachment.sha256


def test_the_declared_content_type_is_ignored(personas, meeting):
    attachment = services.add_attachment(
        meeting, upload("photo.png", PNG_BYTES, content_type="text/html"), "photo", actor=personas.staff
    )
    assert attachment.content_type == "image/png"


def test_it_refuses_text_named_as_png(personas, meeting):
    with pytest.raises(services.MeetingError) as exc:
        services.add_attachment(
            meeting, upload("photo.png", b"<script>alert(1)</script>", "image/png"), "photo", actor=personas.staff
        )
    assert exc.value.errors["file"].startswith("附件：")
    assert "与文件名" in exc.value.errors["file"]
    assert not MeetingAttachment.objects.exists()


def test_it_refuses_content_of_a_type_not_accepted(personas, meeting):
    with pytest.raises(services.MeetingError) as exc:
        services.add_attachment(meeting, upload("a.pdf.exe", b"MZ\x90\x00\x03"), "document", actor=personas.staff)
    assert "文件内容不是可接受的类型" in exc.value.errors["file"]


def test_it_refuses_an_oversized_file(personas, meeting, settings):
    settings.ZHIBU = {**settings.ZHIBU, "ATTACHMENT_MAX_BYTES": 1024}
    with pytest.raises(services.MeetingError) as exc:
        services.add_attachment(meeting, upload("big.txt", b"a" * 1025), "document", actor=personas.staff)
    assert "附件：文件超过大小上限" in exc.value.errors["file"]
    assert services.add_attachment(meeting, upload("ok.txt", b"a" * 1024), "document", actor=personas.staff).pk


def test_archiving_an_attachment_keeps_the_file_and_writes_audit(personas, meeting):
    attachment = services.add_attachment(meeting, upload("a.txt", b"hello"), "document", actor=personas.staff)
    services.archive_attachment(attachment, actor=personas.staff)
    attachment.refresh_from_db()
    assert attachment.archived_at is not None
    assert attachment.file.read() == b"hello"
    assert AuditEntry.objects.for_object(meeting).filter(action="meetings.attachment.archived").exists()


def test_download_is_an_attachment_with_safe_headers(personas, meeting, login):
    attachment = services.add_attachment(
        meeting, upload("签到表 3月.txt", "签到".encode()), "sign_in", actor=personas.staff
    )
    response = login(personas.secretary_a).get(reverse("meetings:attachment.download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "签到".encode()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%AD%BE%E5%88%B0%E8%A1%A8%203%E6%9C%88.txt" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_download_is_refused_outside_scope(personas, meeting, login):
    attachment = services.add_attachment(meeting, upload("a.txt", b"x"), "sign_in", actor=personas.staff)
    url = reverse("meetings:attachment.download", args=[attachment.pk])
    assert login(personas.secretary_b).get(url).status_code == 404
    assert login(personas.member_a).get(url).status_code == 404


def test_a_member_downloads_files_of_a_meeting_they_attended(personas, meeting, login):
    f.AttendanceFactory(meeting=meeting, member=personas.members.member_a, status="absent", absence_reason="sick")
    attachment = services.add_attachment(meeting, upload("a.txt", b"x"), "sign_in", actor=personas.staff)
    assert (
        login(personas.member_a).get(reverse("meetings:attachment.download", args=[attachment.pk])).status_code == 200
    )


def test_upload_through_the_page(personas, meeting, login):
    client = login(personas.secretary_a)
    url = reverse("meetings:attachment.upload", args=[meeting.pk])
    response = client.post(url, {"kind": "photo", "file": upload("现场.png", PNG_BYTES)})
    assert response.status_code == 302
    assert meeting.attachments.get().original_name == "现场.png"
    response = client.post(url, {"kind": "photo", "file": upload("假.png", b"not an image")}, follow=True)
    assert "与文件名" in response.content.decode()
    assert meeting.attachments.count() == 1
    assert client.get(url).status_code == 405
