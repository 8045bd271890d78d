"""The POST half of a page, written once: run the service, show its refusal or flash and redirect.

A form page hands its bound form and the service call to ``submit_form``::

    form = FindingForm(request.POST or None, inspection=inspection)
    outcome = submit_form(
        request, form, lambda form: services.add_finding(inspection, form.data_for_service(), actor=request.user),
        done=_("已记录问题。"), then=lambda finding: ("inspections:inspection.detail", inspection.pk),
    )
    return outcome.render(request, "inspections/finding_form.html", {"inspection": inspection, "creating": True})

and a button that only POSTs (submit, close, advance …) is ``run_action``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from common.concurrency import StaleEditError, conflict_rows
from common.errors import DomainError, add_to_form


def _redirect(then, result) -> HttpResponse:
    """``then``: a URL name taking ``pk=result.pk``, or a function of ``result`` that returns what
    ``redirect`` takes: a URL, a model, or a tuple ``(URL name, *URL arguments)``."""
    if not callable(then):
        return redirect(then, pk=result.pk)
    target = then(result)
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


@dataclass
class Outcome:
    """What ``submit_form`` leaves to the page: the redirect after a save, or the form to show
    again (with the ``conflicts`` of a stale edit, rows of ``conflict_rows``)."""

    form: Any
    response: HttpResponse | None = None
    conflicts: list | None = None

    def render(self, request, template: str, context: dict | None = None) -> HttpResponse:
        """The redirect after a save, or ``template`` with ``form``, ``conflicts`` and ``context``."""
        if self.response is not None:
            return self.response
        return render(request, template, {"form": self.form, "conflicts": self.conflicts, **(context or {})})


def submit_form(
    request,
    form,
    save: Callable[[Any], Any],
    *,
    done,
    then,
    rebind: Callable[[Any, Any], Any] | None = None,
    stale: Callable[[Any, StaleEditError], None] | None = None,
) -> Outcome:
    """When ``form`` was posted and is valid, run ``save(form)``.

    - Saved: flash ``done`` (a message, or a function of what ``save`` returned) and redirect to
      ``then`` (see ``_redirect``).
    - Refused (``DomainError``): the messages go onto the form (``add_to_form``).
    - Stale (``StaleEditError``, only with ``rebind``): the form is made again by
      ``rebind(data, current)`` from the posted data with the stored version and the current
      record, and the outcome lists the conflicts; or, with ``stale``, ``stale(form, exc)`` says
      so its own way.
    """
    outcome = Outcome(form)
    if request.method != "POST" or not form.is_valid():
        return outcome
    try:
        result = save(form)
    except StaleEditError as exc:
        if stale is not None:
            stale(form, exc)
            return outcome
        if rebind is None:
            raise
        data = request.POST.copy()
        data["version"] = str(exc.current.version)
        outcome.form = rebind(data, exc.current)
        outcome.form.is_valid()
        outcome.conflicts = conflict_rows(exc.conflicts)
    except DomainError as exc:
        add_to_form(form, exc)
    else:
        messages.success(request, done(result) if callable(done) else done)
        outcome.response = _redirect(then, result)
    return outcome


def run_action(request, obj, service: Callable, *, done, then, **kwargs) -> HttpResponse:
    """Run ``service(obj, actor=request.user, **kwargs)``; flash ``done`` (a message, or a function
    of ``obj``) or the refusal as one message; redirect to ``then`` (as ``submit_form``, with
    ``obj``)."""
    try:
        service(obj, actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done(obj) if callable(done) else done)
    return _redirect(then, obj)
