"""Rectification pages: the ledger of items (``items``) and 民主评议党员 (``appraisal``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from organizations.models import Unit, UnitKind
from rectification import permissions
from rectification.forms import UnitPickForm


def pick_branch(request, units, *, then: str, title: str, back: str):
    """The page that chooses the branch of a new record among ``units``; a choice (or the only
    branch there is) redirects to ``then`` with its ``unit_id``."""
    pick = UnitPickForm(request.POST or request.GET or None, units=units)
    if pick.is_bound and pick.is_valid():
        return redirect(then, unit_id=pick.cleaned_data["unit"].pk)
    choices = list(units)
    if len(choices) == 1 and not pick.is_bound:
        return redirect(then, unit_id=choices[0].pk)
    return render(request, "rectification/unit_pick.html", {"form": pick, "title": title, "back": back})


def branch_for_create(request, unit_id, action: str) -> Unit:
    """The branch a new record is for: 404 out of scope, 403 if not a branch or ``action`` is not allowed."""
    unit = get_object_or_404(Unit, pk=unit_id)
    if not permissions.unit_in_scope(request.user, unit):
        raise Http404
    if unit.kind != UnitKind.BRANCH or not permissions.can(request.user, action, unit):
        raise PermissionDenied
    return unit
