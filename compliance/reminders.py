"""The periodic jobs of compliance (registered with ``notifications.services.register_periodic``):

- obligations due in the current period, and those missed in the period just before it;
- members flagged for a lapse in organisational life, to their branch's secretary.

The topics and dedupe keys are those ``run_periodic`` always used, so that a reminder sent before
is never sent again.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance import participation
from compliance.services import compliance_table
from notifications.services import Reminder, periodic_units
from organizations.models import UnitKind

# Topics (the notification's ``topic`` field) and their labels on the notification list.
DUE = "compliance.due"
MISSED = "compliance.missed"
LAPSE = "participation.lapse"
TABLE_TOPICS = {DUE: gettext_lazy("应办事项"), MISSED: gettext_lazy("逾期未办")}
LAPSE_TOPICS = {LAPSE: gettext_lazy("组织生活预警")}


def _current_start(kind: str, today: datetime.date) -> datetime.date:
    if kind == "month":
        return today.replace(day=1)
    if kind == "quarter":
        return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return datetime.date(today.year, 1, 1)


def compliance_reminders(cells, today: datetime.date):
    """``[(cell, topic)]``: obligations due in the current period, and those missed in the
    period just before it (last month, last quarter, last year). Pure."""
    out = []
    for cell in cells:
        start = _current_start(cell.period_kind, today)
        if cell.status == "due" and cell.period_start <= today <= cell.period_end:
            out.append((cell, DUE))
        elif cell.status == "missed" and cell.period_end == start - datetime.timedelta(days=1):
            out.append((cell, MISSED))
    return out


def _plan_url(unit_id: int, year: int) -> str:
    return reverse("meetings:plan.list", kwargs={"pk": unit_id}) + f"?year={year}"


def table_reminders(today: datetime.date, units: dict):
    """Due this period, missed last period (last year's cells for the year rules and for
    January's look back at December / Q4)."""
    units_qs = periodic_units(today)
    cells = list(compliance_table(today.year, as_of=today, units=units_qs))
    cells += [c for c in compliance_table(today.year - 1, as_of=today, units=units_qs) if c.status == "missed"]
    for cell, topic in compliance_reminders(cells, today):
        unit = units.get(cell.unit_id)
        if unit is None:
            continue
        params = {"unit": unit.name, "rule": cell.rule_name, "period": cell.period}
        if topic == DUE:
            title = _("%(unit)s：%(rule)s（%(period)s）尚未完成") % params
        else:
            title = _("%(unit)s：%(rule)s（%(period)s）未完成") % params
        yield Reminder(
            unit_id=unit.pk,
            topic=topic,
            title=title,
            body=cell.explanation,
            url=_plan_url(unit.pk, cell.period_start.year),
            dedupe_key=f"{topic}:{unit.pk}:{cell.rule_code}:{cell.period}",
        )


def lapse_reminders(today: datetime.date, units: dict):
    """Members flagged for a lapse in organisational life, to their branch's secretary."""
    branches = periodic_units(today).filter(kind=UnitKind.BRANCH)
    for flag in participation.lapse_flags(branches, as_of=today):
        unit = units.get(flag.branch_id)
        if unit is None:
            continue
        title = _("%(unit)s：党员 %(name)s 连续 %(n)s 个月未参加组织生活") % {
            "unit": unit.name,
            "name": flag.member_name,
            "n": flag.lapse.length,
        }
        yield Reminder(
            unit_id=unit.pk,
            topic=LAPSE,
            title=title,
            body=flag.lapse.explanation,
            url=reverse("compliance:participation.member", kwargs={"pk": flag.member_id}),
            dedupe_key=f"{LAPSE}:{unit.pk}:{flag.member_id}:{flag.lapse.start_label}",
        )
