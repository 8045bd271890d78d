"""Model fields that many apps declare the same way."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def actor_field(verbose_name, **options) -> models.ForeignKey:
    """Who did something (创建人, 评定人 …): a user, or none for the system. ``PROTECT`` keeps the
    record's history when users are deactivated; no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **options,
    )
