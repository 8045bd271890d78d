"""One shape for every refusal of a service: ``DomainError`` and the helper that shows it on a form.

A service that refuses a change raises its app's subclass of ``DomainError`` (``MemberError``,
``MeetingError``, …) in one of three spellings of the same constructor::

    raise MemberError(_("身份证号：格式不正确。"), field="id_number")   # one message, one field
    raise MeetingError({"date": _("…"), "attendance": _("…")})          # several fields
    raise CommitteeError([_("…"), _("…")])                               # several reasons, no field

Whatever the spelling, the error answers the same questions:

- ``str(error)`` — every message, joined with "；" (what a flash message shows);
- ``error.errors`` — ``{field: message}``, ``"__all__"`` for the record as a whole;
- ``error.messages`` — the messages as a list;
- ``error.field`` — the field of a one-field error (``None`` when it names none).

Views put it on a form with ``add_to_form(form, error)``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.contrib import messages

NON_FIELD = "__all__"


class DomainError(ValueError):
    """A change the rules refuse, with Chinese messages that name the field they belong to."""

    def __init__(self, problems, field: str | None = None):
        if isinstance(problems, Mapping):
            errors = {(name or NON_FIELD): str(message) for name, message in problems.items()}
            messages = list(errors.values())
        elif isinstance(problems, (list, tuple)):
            messages = [str(m) for m in problems]
            errors = {NON_FIELD: "；".join(messages)} if messages else {}
        else:
            messages = [str(problems)]
            errors = {(field or NON_FIELD): messages[0]}
        self.errors: dict[str, str] = errors
        self.messages: list[str] = messages
        named = [name for name in errors if name != NON_FIELD]
        self.field: str | None = field if field is not None else (named[0] if len(errors) == 1 and named else None)
        super().__init__("；".join(messages))


def add_to_form(form, error, *, rename: Mapping[str, str] | None = None, sections: Collection[str] = ()) -> dict:
    """Show a service's refusal on ``form``: each message on the visible field it names, the rest
    above the form.

    ``error`` is a ``DomainError`` (or a ``{field: message}`` dict). ``rename`` maps a service's
    field name to the form's (``{"params": "problems_min"}``). The messages of the names in
    ``sections`` are not put on the form but returned, ``{name: message}``, for a template that
    shows them above a table rather than on one field.
    """
    errors = error.errors if isinstance(error, DomainError) else dict(error)
    held = {}
    for name, message in errors.items():
        name = (rename or {}).get(name, name)
        if name in sections:
            held[name] = message
            continue
        field = form.fields.get(name)
        form.add_error(name if field is not None and not field.widget.is_hidden else None, message)
    return held


def add_to_messages(request, error) -> None:
    """Flash each message of a refusal on a page that has no form to show it on."""
    for message in error.messages:
        messages.error(request, message)
