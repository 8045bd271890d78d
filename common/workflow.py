"""Status workflows written once: a table of allowed moves, one service step, one history row.

An app keeps its table of allowed moves in its rules (``committees.rules.STATUS_MOVES``,
``rectification.rules.MOVES`` …) and its history model (``TermStatusChange``,
``RectificationStatusChange``). Its services move a record with ``move_status``, which refuses a
move that is not in the table with the app's Chinese message, saves the new status and writes the
history row::

    move_status(
        term, "submitted", moves=rules.STATUS_MOVES, actor=actor,
        history=TermStatusChange, subject="term", error=CommitteeError,
        refused=_("状态：届次当前为“%(from)s”，不能变为“%(to)s”。"), versioned=True,
    )

Call it inside the service's ``transaction.atomic`` (the audit entry is the service's).
"""

from __future__ import annotations

from collections.abc import Collection

from common.errors import DomainError


def status_label(obj, status: str) -> str:
    """The display label of ``status`` among the choices of ``obj``'s ``status`` field."""
    return str(dict(obj._meta.get_field("status").flatchoices).get(status, status))


def check_move(
    obj,
    to_status: str,
    *,
    moves: Collection[tuple[str, str]],
    error: type[DomainError] = DomainError,
    refused: str,
    field: str | None = None,
) -> None:
    """Raise ``error(refused, field)`` unless ``(obj.status, to_status)`` is one of ``moves``.

    ``refused`` may name ``%(from)s`` / ``%(now)s`` / ``%(status)s`` (the current status) and ``%(to)s``.
    """
    if (obj.status, to_status) not in moves:
        current = status_label(obj, obj.status)
        raise error(
            refused % {"from": current, "now": current, "status": current, "to": status_label(obj, to_status)}, field
        )


def move_status(
    obj,
    to_status: str,
    *,
    moves: Collection[tuple[str, str]],
    actor,
    history=None,
    subject: str = "",
    error: type[DomainError] = DomainError,
    refused: str,
    field: str | None = None,
    fields: Collection[str] = (),
    versioned: bool = False,
    **history_fields,
) -> str:
    """Move ``obj`` to ``to_status`` along ``moves`` (``(from, to)`` pairs, or a dict keyed by them)
    and return the status it had.

    Saves ``status`` (with ``updated_at``, the ``version`` raised if ``versioned``, and the other
    ``fields`` the caller has set), then writes one ``history`` row:
    ``history(<subject>=obj, from_status, to_status, actor, **history_fields)``. A workflow without
    a history model passes ``history=None``.
    """
    check_move(obj, to_status, moves=moves, error=error, refused=refused, field=field)
    from_status = obj.status
    obj.status = to_status
    update = ["status", *fields]
    if versioned:
        obj.version += 1
        update.append("version")
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=update)
    if history is not None:
        history.objects.create(
            **{subject: obj},
            from_status=from_status,
            to_status=to_status,
            actor=actor if getattr(actor, "pk", None) else None,
            **history_fields,
        )
    return from_status
