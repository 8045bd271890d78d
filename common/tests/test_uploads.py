"""The one upload check (checked_upload) and the one way of keeping a file (store)."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from assessments.models import DutyAttachment
from common import filetypes
from common.uploads import CheckedUpload, UploadRefused, checked_upload, store
from lifemeetings.models import MaterialAttachment
from meetings.models import MeetingAttachment
from rectification.models import RectificationEvidence

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<x/>")
    return buf.getvalue()


class Upload(io.BytesIO):
    """An uploaded file as a view hands it over: bytes, a name and a declared size."""

    def __init__(self, data: bytes, name: str = "file", size: int | None = -1):
        super().__init__(data)
        self.name = name
        self.size = len(data) if size == -1 else size


@pytest.fixture
def limit(settings):
    settings.ZHIBU = {**settings.ZHIBU, "ATTACHMENT_MAX_BYTES": 1024}
    return 1024


def refusal(uploaded_file, label="附件") -> str:
    with pytest.raises(UploadRefused) as exc:
        checked_upload(uploaded_file, label=label)
    return str(exc.value)


# ---------------------------------------------------------------------------------------------
# checked_upload: refusals


def test_it_refuses_a_missing_file():
    assert refusal(None) == "附件：请选择要上传的文件。"


def test_it_refuses_a_file_declared_larger_than_the_limit_in_megabytes(settings):
    settings.ZHIBU = {**settings.ZHIBU, "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024}
    assert refusal(Upload(b"a", size=10 * 1024 * 1024 + 1)) == "附件：文件超过大小上限（10 MB）。"


@pytest.mark.parametrize("declared", [10, None])
def test_it_refuses_a_file_larger_than_the_limit_whatever_size_it_declares(limit, declared):
    assert refusal(Upload(b"a" * (limit + 1), size=declared)) == "附件：文件超过大小上限（0.000976562 MB）。"


def test_a_file_of_exactly_the_limit_is_kept(limit):
    assert checked_upload(Upload(b"a" * limit, "a.txt"), label="附件").size == limit


def test_it_refuses_an_empty_file():
    assert refusal(Upload(b"", "a.pdf")) == "附件：文件是空的。"


def test_it_refuses_content_of_a_type_not_accepted():
    assert refusal(Upload(b"MZ\x90\x00\x03", "a.exe")) == (
        "附件：文件内容不是可接受的类型（PDF、PNG、JPEG、Word、Excel、文本）。"
    )


def test_it_refuses_a_name_that_contradicts_the_content():
    assert (
        refusal(Upload(b"<script>alert(1)</script>", "photo.png")) == "附件：文件内容是文本，与文件名“photo.png”不符。"
    )


def test_it_refuses_a_name_claiming_a_type_never_accepted():
    assert refusal(Upload(PDF_BYTES, "report.exe")) == "附件：文件内容是PDF，与文件名“report.exe”不符。"


def test_each_message_names_the_callers_label():
    assert refusal(None, label="佐证材料") == "佐证材料：请选择要上传的文件。"
    assert refusal(Upload(b"", "a.pdf"), label="佐证材料") == "佐证材料：文件是空的。"


def test_the_messages_read_as_before_in_english():
    with translation.override("en"):
        label = translation.gettext("附件")
        assert refusal(Upload(b""), label=label) == "Attachments: the file is empty."
        label = translation.gettext("佐证材料")
        assert refusal(None, label=label) == "Evidence: choose a file to upload."


def test_a_refusal_is_a_value_error():
    assert issubclass(UploadRefused, ValueError)


# ---------------------------------------------------------------------------------------------
# checked_upload: what is kept


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF_BYTES, "会议记录.pdf", filetypes.PDF),
        (PNG_BYTES, "photo.PNG", filetypes.PNG),
        (docx_bytes(), "报告.docx", filetypes.DOCX),
    ],
)
def test_it_keeps_a_good_file_with_its_type_size_and_checksum(data, name, expected):
    checked = checked_upload(Upload(data, name), label="附件")
    assert checked == CheckedUpload(
        data=data,
        filetype=expected,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_the_original_name_is_the_base_name_stripped():
    assert checked_upload(Upload(PDF_BYTES, "../../签到表.pdf "), label="附件").original_name == "签到表.pdf"
    assert checked_upload(Upload(PDF_BYTES, "  a.pdf"), label="附件").original_name == "a.pdf"


def test_a_long_name_is_cut_to_255_characters():
    assert checked_upload(Upload(PDF_BYTES, "长" * 300), label="附件").original_name == "长" * 255


@pytest.mark.parametrize("name", ["", "   ", None, "dir/"])
def test_a_file_without_a_name_is_named_by_its_extension(name):
    assert checked_upload(Upload(PDF_BYTES, name), label="附件").original_name == "pdf"


def test_the_checked_upload_cannot_be_changed():
    checked = checked_upload(Upload(PDF_BYTES, "a.pdf"), label="附件")
    with pytest.raises(AttributeError):
        checked.original_name = "b.pdf"


# ---------------------------------------------------------------------------------------------
# store


STORED_MODELS = [
    (MeetingAttachment, "attachments"),
    (MaterialAttachment, "lifemeetings"),
    (RectificationEvidence, "rectification"),
    (DutyAttachment, "assessments"),
]


@pytest.mark.parametrize(("model", "folder"), STORED_MODELS)
def test_store_fills_the_fields_and_saves_the_bytes_under_a_generated_name(model, folder):
    checked = checked_upload(Upload(PDF_BYTES, "../../签到表.pdf"), label="附件")
    user = get_user_model()(pk=7, username="someone")
    instance = model()

    assert store(instance, checked, uploaded_by=user) is instance

    assert instance.pk is None  # the caller saves the row
    assert (instance.original_name, instance.content_type) == ("签到表.pdf", "application/pdf")
    assert (instance.size, instance.sha256) == (len(PDF_BYTES), hashlib.sha256(PDF_BYTES).hexdigest())
    assert instance.uploaded_by is user
    path = Path(instance.file.name)
    assert path.parts[0] == folder
    assert len(path.stem) == 32 and int(path.stem, 16) >= 0 and path.suffix == ".pdf"
    assert "签到表" not in instance.file.name and ".." not in instance.file.name
    with instance.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_the_original_name_is_never_used_as_a_path():
    checked = checked_upload(Upload(PNG_BYTES, "/etc/passwd/../../x.png"), label="附件")
    first, second = MeetingAttachment(), MeetingAttachment()
    store(first, checked, uploaded_by=None)
    store(second, checked, uploaded_by=None)
    assert first.file.name != second.file.name
    assert first.file.name.startswith("attachments/") and first.file.name.endswith(".png")
    assert "etc" not in first.file.name and "passwd" not in first.file.name and ".." not in first.file.name
    assert first.original_name == "x.png"


def test_a_system_actor_is_kept_as_nobody():
    checked = checked_upload(Upload(PDF_BYTES, "a.pdf"), label="附件")
    instance = store(MeetingAttachment(), checked, uploaded_by=object())
    assert instance.uploaded_by is None
