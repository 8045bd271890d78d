"""Model fields that many apps declare the same way.

``actor_field`` is the link to the user who did something (created, published, reviewed …)::

    created_by = actor_field(_("创建人"))

It is exactly the field the apps used to spell out — a ``ForeignKey`` to the user model,
``on_delete=PROTECT``, no reverse accessor (``related_name="+"``), optional unless
``required=True`` — so existing migrations describe it unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def actor_field(verbose_name, *, required: bool = False, **options) -> models.ForeignKey:
    """A ``ForeignKey`` to the user model that keeps the user (``PROTECT``) and adds no reverse accessor."""
    if not required:
        options.setdefault("null", True)
        options.setdefault("blank", True)
    options.setdefault("related_name", "+")
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT, **options)
