"""Keeping an uploaded file with a record, written once for the services.

``attach_upload`` checks the file with ``common.uploads`` (type judged by content, size limited),
stores it in an unsaved row of a ``StoredFile`` model (generated storage name, SHA-256 checksum)
and writes the audit entry, all or nothing::

    attach_upload(
        MaterialAttachment(material=material), uploaded_file, label=_("附件"), error=LifeMeetingError,
        actor=actor, action="lifemeetings.material.attachment_added", obj=material, unit=material.unit,
        data=lambda a: {"summary": _("上传附件“%(name)s”") % {"name": a.original_name}, **file_facts(a)},
    )
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from common.audit import log_action
from common.errors import DomainError
from common.uploads import UploadRefused, checked_upload, store


def file_facts(stored, key: str = "attachment") -> dict:
    """What the audit entry says of a stored file: ``{key: id, name, size, sha256}``."""
    return {key: stored.pk, "name": stored.original_name, "size": stored.size, "sha256": stored.sha256}


def attach_upload(
    record,
    uploaded_file,
    *,
    label: str,
    error: type[DomainError],
    actor,
    action: str,
    data: Callable[[object], dict],
    **log,
):
    """Check ``uploaded_file`` (a refusal raises ``error({"file": message})``), store it in the
    unsaved ``record``, save it and log ``action`` with ``data(record)``; ``**log`` goes to
    ``log_action`` (``obj``, ``unit``). Returns ``record``."""
    try:
        checked = checked_upload(uploaded_file, label=label)
    except UploadRefused as exc:
        raise error({"file": str(exc)}) from exc
    with transaction.atomic():
        store(record, checked, uploaded_by=actor)
        record.save()
        log_action(action, actor=actor, data=data(record), **log)
    return record
