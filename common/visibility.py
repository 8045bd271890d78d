"""One contract for fetching a record through an app's policy: out of scope answers 404.

Each app's ``permissions.get_visible_or_404(user, queryset=None, **lookup)`` is this function with
the app's own ``visible(user, queryset)``::

    def get_visible_or_404(user, queryset=None, **lookup) -> Meeting:
        return visibility.get_visible_or_404(user, queryset, visible=visible, **lookup)

so a record the user may not see is indistinguishable from one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404


def get_visible_or_404(user, queryset, *, visible: Callable, **lookup):
    """The one row of ``visible(user, queryset)`` matching ``lookup``; ``Http404`` if there is none.

    ``queryset`` may be a queryset, a model, or ``None`` (the policy's own default rows).
    """
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return visible(user, queryset).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def get_allowed_or_404(user, queryset, action: str | None, *, policy, **lookup):
    """The record through ``policy.get_visible_or_404`` (404 out of scope), on which ``user`` may
    do ``action`` by ``policy.can`` (403 otherwise; ``None``: only seeing it is asked).
    ``policy`` is the app's permissions module."""
    obj = policy.get_visible_or_404(user, queryset, **lookup)
    if action is not None and not policy.can(user, action, obj):
        raise PermissionDenied
    return obj
