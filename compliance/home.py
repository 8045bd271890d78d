"""The compact compliance sections of the home page (a home panel, registered in compliance.extensions)."""

from __future__ import annotations

import datetime

from compliance import dashboards, permissions, services, standings
from compliance.engine import DUE, MISSED

HOME_WORST = 5


def home_context(user, today: datetime.date) -> dict:
    """Committee staff and inspectors: the worst gaps of the year; secretaries, committee
    members and group leaders: what is due and overdue in their units; members: nothing."""
    if not permissions.can(user, "table.view"):
        return {}
    units = permissions.table_units(user)
    if permissions.can_see_overview(user):
        # The committee-wide overview is read from the kept standings (compliance.standings).
        overview = standings.overview(units, today.year, today, whole_branches=permissions.whole_branches(user))
        return {
            "compliance_overview": {
                "worst": overview.worst[:HOME_WORST],
                "rates": [r for r in overview.rates if r.missed][:3],
                "due": overview.totals[DUE],
                "missed": overview.totals[MISSED],
            }
        }
    cells = services.compliance_table(today.year, as_of=today, units=units)
    return {"compliance_agenda": dashboards.agenda(cells, today)}
