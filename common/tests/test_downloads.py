"""The one download response every kept upload goes through."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from common.downloads import stored_file_response


class _Field:
    storage = default_storage


def stored(name: str, data: bytes | None):
    if data is not None:
        name = default_storage.save(name, ContentFile(data))
    return SimpleNamespace(
        file=FieldFile(None, _Field(), name),
        original_name="签到表 3月.pdf",
        content_type="application/pdf",
        size=len(data or b""),
    )


def test_it_sends_the_file_as_a_download_under_its_original_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = stored_file_response(stored("attachments/abc.pdf", b"%PDF-1.4 test"), "attachment-7")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="attachment-7.pdf"')
    assert "filename*=UTF-8''%E7%AD%BE%E5%88%B0%E8%A1%A8%203%E6%9C%88.pdf" in disposition
    assert response["Content-Length"] == "13"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_missing_from_storage_is_a_404(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        stored_file_response(stored("attachments/gone.pdf", None), "attachment-8")
