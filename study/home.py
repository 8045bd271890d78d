"""The compact study sections of the home page (a home panel, registered in study.extensions).

Committee staff and inspectors: this year's clean-governance counts per branch (three queries).
Secretaries and committee members: the records waiting for their confirmation (one query). The
link to a member's own study needs no query (the home page already knows ``me``).
"""

from __future__ import annotations

import datetime

from accounts.models import Role
from accounts.scope import get_scope
from organizations.models import Unit
from study import permissions, rules, services
from study.models import RecordStatus, StudyRecord

HOME_ROLES = (Role.COMMITTEE_STAFF, Role.INSPECTOR)
BRANCH_ROLES = (Role.SECRETARY, Role.COMMITTEE_MEMBER)


def home_context(user, today: datetime.date) -> dict:
    scope = get_scope(user)
    ctx: dict = {}
    if scope.has_any(*HOME_ROLES):
        branches = list(
            Unit.objects.branches()
            .active()
            .filter(dissolved_on__isnull=True)
            .filter(scope.unit_q(roles=HOME_ROLES))
            .order_by("path")
        )
        counts = services.integrity_counts(branches, today.year)
        ctx["study_integrity"] = {
            "year": today.year,
            "rows": [(b, counts.get(b.pk, rules.IntegrityCount())) for b in branches],
        }
    elif scope.has_any(*BRANCH_ROLES):
        pending = (
            permissions.visible(user, StudyRecord.objects.active())
            .filter(status=RecordStatus.SUBMITTED)
            .exclude(member__user_id=user.pk)
            .count()
        )
        ctx["study_branches"] = {"pending": pending}
    return ctx
