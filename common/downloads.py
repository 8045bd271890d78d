"""Responses that hand a file to the browser as a download (never shown inline)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404


def attachment_header(filename: str, fallback: str) -> str:
    """``Content-Disposition`` with an ASCII fallback and the UTF-8 name (RFC 5987 / 6266)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def stored_file_response(stored, fallback_stem: str) -> FileResponse:
    """A kept upload (``common.models.StoredFile`` fields: file, original_name, content_type,
    size) as a download under its original name, with ``fallback_stem.<extension>`` for clients
    that cannot read UTF-8 names. Http404 when the file is missing from storage. The caller has
    checked permission."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=stored.content_type)
    extension = stored.file.name.rsplit(".", 1)[-1] if "." in stored.file.name else "bin"
    response["Content-Disposition"] = attachment_header(stored.original_name, f"{fallback_stem}.{extension}")
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
