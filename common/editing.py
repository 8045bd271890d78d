"""The POST step of a form page, written once for the views.

A page validates its form, calls a service and then either redirects with a message or shows the
form again with the service's refusal on it. An edit saved with a stale version shows the form
again too: with the user's input, the current version (so that a second, knowing submit saves it)
and the fields someone else changed meanwhile::

    posted = submit_form(
        request, StageForm(request.POST or None, instance=...),
        lambda form: services.update_stage(stage, form.data_for_service(), actor=request.user,
                                           expected_version=form.cleaned_data["version"] or 0),
        error=services.CampaignError,
        rebuild=lambda data, current: StageForm(data, instance=current),
    )
    if posted.saved:
        messages.success(request, ...)
        return redirect(...)
    return render(request, template, {"form": posted.form, "conflicts": posted.conflicts, ...})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.utils.translation import gettext as _

from common.concurrency import StaleEditError, conflict_rows
from common.errors import DomainError, add_to_form


@dataclass
class Posted:
    """What became of a form page's request: ``saved`` (with the service's ``result``), or the
    ``form`` to show again (and, after a stale edit, the ``conflicts`` to list)."""

    form: Any
    saved: bool = False
    result: Any = None
    conflicts: list | None = None


def stale_data(request, exc: StaleEditError):
    """The user's input with the current version, so that a second, knowing submit saves it."""
    data = request.POST.copy()
    data["version"] = str(exc.current.version)
    return data


def submit_form(
    request,
    form,
    save: Callable[[Any], Any],
    *,
    error: type[DomainError],
    rebuild: Callable[[Any, Any], Any] | None = None,
    on_stale: Callable[[StaleEditError, Any], None] | None = None,
    show: Callable[[Any, DomainError], Any] = add_to_form,
) -> Posted:
    """On a POST with a valid ``form``, call ``save(form)``.

    A refusal (``error``) is put on the form with ``show(form, exc)``. A ``StaleEditError`` binds
    ``rebuild(stale_data, current_row)`` instead and lists the conflicts, or, for a page that says
    them in messages, is passed to ``on_stale(exc, form)`` (e.g. ``flash_stale``). On a GET or an
    invalid form nothing is called.
    """
    if request.method != "POST" or not form.is_valid():
        return Posted(form)
    try:
        result = save(form)
    except StaleEditError as exc:
        if on_stale is not None:
            on_stale(exc, form)
            return Posted(form)
        if rebuild is None:
            raise
        form = rebuild(stale_data(request, exc), exc.current)
        form.is_valid()
        return Posted(form, conflicts=conflict_rows(exc.conflicts))
    except error as exc:
        show(form, exc)
        return Posted(form)
    return Posted(form, saved=True, result=result)


def flash_stale(request, exc: StaleEditError, form, *, others: str | None = None) -> None:
    """Keep ``form``'s input with the current version and say in messages what changed meanwhile
    (``others``: what to say when no field of the form did)."""
    form.data = form.data.copy()
    form.data["version"] = exc.current.version
    messages.error(request, str(exc))
    for label, theirs, mine in exc.conflicts:
        messages.warning(
            request, _("%(field)s：%(theirs)s → 您填写的值 %(mine)s") % {"field": label, "theirs": theirs, "mine": mine}
        )
    if not exc.conflicts:
        messages.warning(request, others or _("其他内容已被他人修改，请核对后再保存。"))
