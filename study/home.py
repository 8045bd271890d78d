"""The compact clean-governance section of the home dashboard (common.views.home adds it)."""

from __future__ import annotations

import datetime

from accounts.models import Role
from accounts.scope import get_scope
from organizations.models import Unit
from study import rules, services

HOME_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)


def home_context(user, today: datetime.date) -> dict:
    """Committee staff and inspectors: this year's 警示教育 / 廉政学习 counts per branch (three
    queries); everybody else: nothing."""
    scope = get_scope(user)
    if not scope.has_any(*HOME_ROLES):
        return {}
    branches = list(
        Unit.objects.branches()
        .active()
        .filter(dissolved_on__isnull=True)
        .filter(scope.unit_q(roles=HOME_ROLES))
        .order_by("path")
    )
    counts = services.integrity_counts(branches, today.year)
    rows = [(b, counts.get(b.pk, rules.IntegrityCount())) for b in branches]
    return {"study_integrity": {"year": today.year, "rows": rows}}
