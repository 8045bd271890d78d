"""Writing the audit log. Services call ``log_action`` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from common.context import current_ip
from common.masking import mask_field
from common.models import AuditEntry


def _plain(value):
    """A JSON-friendly, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """Display values of the named fields, with choices resolved and personal data masked."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.choices:
            value = getattr(obj, f"get_{name}_display")() if getattr(obj, field.attname) not in (None, "") else ""
        elif field.is_relation:
            value = getattr(obj, name)
        else:
            value = getattr(obj, field.attname)
        out[name] = mask_field(name, _plain(value))
    return out


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose display value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def log_action(
    action: str,
    *,
    actor,
    obj: models.Model | None = None,
    unit=None,
    data: dict | None = None,
    changes: dict | None = None,
) -> AuditEntry:
    """Append one audit entry. ``changes`` is ``{field: [old, new]}``; ``data`` is extra detail."""
    payload = dict(data or {})
    if changes:
        payload["changes"] = {k: [mask_field(k, _plain(o)), mask_field(k, _plain(n))] for k, (o, n) in changes.items()}
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        data=payload,
        ip=current_ip.get(),
        unit=unit,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or ""
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x5A4842  # "ZHB"


def _lock_chain() -> None:
    """Make concurrent appends take turns, so two entries never link to the same predecessor.

    PostgreSQL: a transaction-level advisory lock, held until the outermost transaction ends.
    SQLite: writers are already serialised (transactions begin IMMEDIATE, see settings).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def verify_chain() -> list[int]:
    """Ids of entries whose hash or link does not match: empty when the log is intact."""
    broken, prev = [], ""
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != prev or entry.compute_hash() != entry.entry_hash:
            broken.append(entry.id)
        prev = entry.entry_hash
    return broken
