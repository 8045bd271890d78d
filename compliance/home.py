"""The compact compliance sections of the home dashboard (common.views.home adds them)."""

from __future__ import annotations

import datetime

from compliance import dashboards, permissions, services
from compliance.engine import evaluate
from organizations.models import UnitKind

HOME_WORST = 5


def home_context(user, today: datetime.date) -> dict:
    """Committee staff and inspectors: the worst gaps of the year; secretaries, committee
    members and group leaders: what is due and overdue in their units; members: nothing."""
    if not permissions.can(user, "table.view"):
        return {}
    units = permissions.table_units(user)
    unit_facts, rules, meetings, secretaries = services.load_facts(today.year, units)
    cells = evaluate(unit_facts, rules, meetings, secretaries, year=today.year, as_of=today)
    if permissions.can_see_overview(user):
        branches = [(u.id, u.name) for u in unit_facts if u.kind == UnitKind.BRANCH]
        rows = dashboards.heatmap_rows(cells, branches, {u.id: u.parent_id for u in unit_facts}, today.year)
        rates = [r for r in dashboards.rule_rates(cells) if r.missed][:3]
        return {
            "compliance_overview": {
                "worst": dashboards.worst_branches(rows, limit=HOME_WORST),
                "rates": rates,
                "due": sum(1 for c in cells if c.status == "due"),
                "missed": sum(1 for c in cells if c.status == "missed"),
            }
        }
    return {"compliance_agenda": dashboards.agenda(cells, today)}
