"""Turns dotted audit action codes into readable Chinese. Apps register their codes here."""

from django.apps import apps
from django.utils.translation import gettext as _

_REGISTRY: dict[str, object] = {}


def register(actions: dict[str, object]) -> None:
    """``{"members.member.created": _("新增党员")}``; called from each app's ``audit.py``."""
    _REGISTRY.update(actions)


def registered() -> dict[str, str]:
    """Every registered code with its label, for the audit log's action filter."""
    return {code: str(label) for code, label in sorted(_REGISTRY.items())}


def action_label(code: str) -> str:
    label = _REGISTRY.get(code)
    return str(label) if label is not None else code


def field_label(entry, name: str) -> str:
    """The verbose name of a changed field: a field of the entry's object, or of the model named
    in ``data["changes_of"]`` when the changed fields belong to a part of that object (a score
    logged on its branch's assessment)."""
    model = None
    part = (entry.data or {}).get("changes_of")
    if part:
        try:
            model = apps.get_model(part)
        except (LookupError, ValueError):
            model = None
    elif entry.content_type_id:
        model = apps.get_model(entry.content_type.app_label, entry.content_type.model)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:
            return name
    return name


def change_rows(entry) -> list[tuple[str, object, object]]:
    """``[(label, old, new), ...]`` for the 变更记录 tab."""
    changes = (entry.data or {}).get("changes") or {}
    rows = []
    for name, pair in changes.items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        rows.append((field_label(entry, name), _blank(old), _blank(new)))
    return rows


def _blank(value):
    if value in (None, ""):
        return _("（空）")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value
