"""Optimistic locking: a save based on a stale version is refused and says what changed."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import diff, snapshot


class StaleEditError(Exception):
    """Somebody else saved the record after this form was opened.

    ``conflicts`` lists ``(field label, value now stored, value you entered)`` for every field
    where the stored record differs from what was submitted.
    """

    def __init__(self, current, conflicts: list[tuple[str, object, object]]):
        self.current = current
        self.conflicts = conflicts
        super().__init__("该记录在您打开之后已被他人修改，您的修改没有保存。")


def save_with_version(obj: models.Model, expected_version: int, fields: list[str]):
    """Write ``fields`` only if the row still has ``expected_version``; bump the version.

    Raises ``StaleEditError`` otherwise; nothing is written in that case.
    """
    model = type(obj)
    opts = obj._meta
    values = {opts.get_field(n).attname: getattr(obj, opts.get_field(n).attname) for n in fields}
    if any(f.name == "updated_at" for f in opts.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = model._base_manager.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1, **values)
    if not updated:
        current = model._base_manager.get(pk=obj.pk)
        conflicts = []
        for name in fields:
            field = opts.get_field(name)
            mine, theirs = getattr(obj, field.attname), getattr(current, field.attname)
            if mine != theirs:
                shown_theirs = getattr(current, name) if field.is_relation else theirs
                shown_mine = getattr(obj, name) if field.is_relation else mine
                conflicts.append((str(field.verbose_name), shown_theirs, shown_mine))
        raise StaleEditError(current, conflicts)
    obj.version = expected_version + 1
    return obj


def update_with_version(obj: models.Model, values: dict, fields, expected_version: int) -> dict:
    """Set ``values`` on ``obj`` and save ``fields`` with ``save_with_version``; return what changed,
    ``{field: [old, new]}`` (``common.audit.diff``), for the audit entry."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    save_with_version(obj, expected_version, list(fields))
    return diff(before, snapshot(obj, fields))


def conflict_rows(conflicts) -> list[tuple[str, object, object]]:
    """``StaleEditError.conflicts`` for the page: (field, the stored value, the value typed), an
    empty value shown as “（空）”."""
    empty = _("（空）")
    return [
        (label, theirs if theirs not in (None, "") else empty, mine if mine not in (None, "") else empty)
        for label, theirs, mine in conflicts
    ]
