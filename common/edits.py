"""The audited write of a record's plain fields, written once for the services.

A service checks its input first (raising its app's ``DomainError``); then

- a new record logs the fields it was given: ``created_changes(record, FIELDS)``;
- an edit goes through ``save_edit``, which sets the values, saves them only if nobody changed
  the row since the form was read (``save_with_version``) and logs what changed::

      save_edit(talk, clean, TALK_FIELDS, expected_version=v, actor=actor,
                action="lifemeetings.talk.changed", unit=talk.unit)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from common.audit import diff, log_action, snapshot
from common.concurrency import save_with_version


def created_changes(record, fields: Iterable[str]) -> dict:
    """``{field: [None, value]}`` for each of ``fields`` that ``record`` was created with a value."""
    return {k: [None, v] for k, v in snapshot(record, fields).items() if v not in (None, "")}


def save_edit(record, values: Mapping, fields: Iterable[str], *, expected_version: int, actor, action: str, **log):
    """Set ``values`` on ``record`` and save ``fields`` with ``expected_version``
    (``StaleEditError`` if the row changed meanwhile); log ``action`` with the changed ``fields``
    (nothing is logged when nothing changed). ``**log`` goes to ``log_action`` (``obj`` defaults
    to ``record``; ``data`` may be a function of the record with the new values set, e.g. for a
    summary that names the new title). Returns the changes."""
    fields = list(fields)
    before = snapshot(record, fields)
    for name, value in values.items():
        setattr(record, name, value)
    changes = diff(before, snapshot(record, fields))
    with transaction.atomic():
        save_with_version(record, expected_version, fields)
        if changes:
            log.setdefault("obj", record)
            if callable(log.get("data")):
                log["data"] = log["data"](record)
            log_action(action, actor=actor, changes=changes, **log)
    return changes
