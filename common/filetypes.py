"""Which attachment types are accepted, judged by the file's content (never by its name). Pure."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str
    # Name endings that go with this content (a name claiming another accepted type is refused).
    extensions: frozenset = frozenset()


PDF = FileType("application/pdf", "pdf", "PDF", frozenset({"pdf"}))
PNG = FileType("image/png", "png", "PNG", frozenset({"png"}))
JPEG = FileType("image/jpeg", "jpg", "JPEG", frozenset({"jpg", "jpeg", "jpe"}))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word", frozenset({"docx"})
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel", frozenset({"xlsx"})
)
TEXT = FileType("text/plain; charset=utf-8", "txt", "文本", frozenset({"txt", "text", "csv", "md", "log"}))

ACCEPTED = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)
_CLAIMED = {ext: t for t in ACCEPTED for ext in t.extensions}
# Names that claim a type we would otherwise refuse by content (images, office and web formats).
_REFUSED_CLAIMS = frozenset({"gif", "bmp", "webp", "svg", "html", "htm", "js", "doc", "xls", "ppt", "pptx", "exe"})


def _office(data: bytes) -> FileType | None:
    """A .docx or .xlsx: a zip with [Content_Types].xml and the main part of the format."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _text(data: bytes) -> FileType | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    # Control characters other than tab, newline, carriage return and form feed: not plain text.
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return None
    return TEXT


def sniff(data: bytes) -> FileType | None:
    """The accepted type of ``data`` by its magic bytes, or None if it is not one we accept."""
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return _text(data)


def name_contradicts(name: str, filetype: FileType) -> bool:
    """Whether the uploaded name claims a type other than the content's (a disguised file).

    The type is always decided by content; the name is only used to refuse a disguise such as
    text named ``.png``. A name without a known ending claims nothing.
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in _CLAIMED:
        return _CLAIMED[ext] is not filetype
    return ext in _REFUSED_CLAIMS


def accepted_labels() -> str:
    return "、".join(t.label for t in ACCEPTED)
