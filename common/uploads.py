"""Taking an uploaded file: the one check and the one way of keeping it, for every app.

The type is judged by the content (``common.filetypes``), never by the name; the size is limited
by ``settings.ZHIBU["ATTACHMENT_MAX_BYTES"]``; the bytes are stored under a generated name, and the
uploaded name is kept for display only. Each message names the field by the caller's label
(附件, 佐证材料, …), so every app words its refusals as it always has.

A service checks its own preconditions, calls ``checked_upload`` and turns ``UploadRefused`` into
its own error on the ``file`` field; then, in its transaction, ``store`` fills the new row, and the
service saves the row and writes its audit entry.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from common import filetypes
from common.audit import log_action


class UploadRefused(ValueError):
    """An upload that is not kept; ``str()`` of it is the message, which names the field."""


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with what a ``StoredFile`` keeps of it."""

    data: bytes
    filetype: filetypes.FileType
    original_name: str
    size: int
    sha256: str


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def read_upload(uploaded_file, *, label: str) -> tuple[bytes, str]:
    """The bytes of an upload and its uploaded name (basename, stripped, at most 255 characters;
    ``""`` when it has none). Refused when there is no file, or it is too large or empty.

    The declared size is checked first; then at most the limit plus one byte is read, so a client
    that understates the size still cannot make us hold more than the limit.
    """
    limit = int(settings.ZHIBU["ATTACHMENT_MAX_BYTES"])
    if uploaded_file is None:
        raise UploadRefused(_("%(label)s：请选择要上传的文件。") % {"label": label})
    too_big = _("%(label)s：文件超过大小上限（%(mb)s MB）。") % {"label": label, "mb": _megabytes(limit)}
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise UploadRefused(too_big)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(too_big)
    if not data:
        raise UploadRefused(_("%(label)s：文件是空的。") % {"label": label})
    name = os.path.basename(str(getattr(uploaded_file, "name", "") or "")).strip()[:255]
    return data, name


def refuse_disguise(name: str, filetype: filetypes.FileType, *, label: str) -> None:
    """Refuse a name that claims another type than the content's (text named ``.png``)."""
    if filetypes.name_contradicts(name, filetype):
        raise UploadRefused(
            _("%(label)s：文件内容是%(actual)s，与文件名“%(name)s”不符。")
            % {"label": label, "actual": filetype.label, "name": name}
        )


def checked_upload(uploaded_file, *, label: str) -> CheckedUpload:
    """Every check an upload must pass before it is kept, or ``UploadRefused``: a file is there,
    within the size limit, not empty, of an accepted type by its content, and not named as another
    type. A file uploaded without a name is named by its type's extension."""
    data, name = read_upload(uploaded_file, label=label)
    filetype = filetypes.sniff(data)
    if filetype is None:
        raise UploadRefused(
            _("%(label)s：文件内容不是可接受的类型（%(types)s）。")
            % {"label": label, "types": filetypes.accepted_labels()}
        )
    original = name or filetype.extension
    refuse_disguise(original, filetype, label=label)
    return CheckedUpload(
        data=data,
        filetype=filetype,
        original_name=original,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def storage_name(filetype: filetypes.FileType) -> str:
    """A fresh name to store a file under: random, with the extension of its content's type. The
    uploaded name is never part of a path."""
    return f"{uuid.uuid4().hex}.{filetype.extension}"


def store(instance, checked: CheckedUpload, *, uploaded_by):
    """Fill a ``StoredFile``'s fields from ``checked`` and save its bytes under a generated name.

    The row itself is not saved: the caller saves it and writes its audit entry in its own
    transaction. An ``uploaded_by`` that is not a saved user (a system actor) is kept as nobody.
    """
    instance.original_name = checked.original_name
    instance.content_type = checked.filetype.content_type
    instance.size = checked.size
    instance.sha256 = checked.sha256
    instance.uploaded_by = uploaded_by if getattr(uploaded_by, "pk", None) else None
    instance.file.save(storage_name(checked.filetype), ContentFile(checked.data), save=False)
    return instance


def keep_upload(instance, uploaded_file, *, label: str, error: type[Exception], actor, action: str, data, **log):
    """The whole keeping of an upload by a service, once its preconditions hold: check the file
    (a refusal raised as ``error({"file": message})``), then in one transaction ``store`` it on
    the new row ``instance``, save the row and write the audit entry ``action`` with
    ``data(instance)`` (``**log``: ``obj``, ``unit`` … for ``log_action``). Returns the row."""
    try:
        checked = checked_upload(uploaded_file, label=label)
    except UploadRefused as exc:
        raise error({"file": str(exc)}) from exc
    with transaction.atomic():
        store(instance, checked, uploaded_by=actor)
        instance.save()
        log_action(action, actor=actor, data=data(instance), **log)
    return instance
