"""The compliance reminders of the periodic job (registered with notifications.run_periodic)."""

import datetime

from compliance import reminders
from compliance.engine import Cell

TODAY = datetime.date(2025, 4, 15)


def cell(status, period, start, end, unit_id=1):
    kind = "quarter" if "Q" in period else ("year" if len(period) == 4 else "month")
    return Cell(
        unit_id=unit_id,
        unit_name="第一党支部",
        rule_code="committee_meeting",
        rule_name="支委会",
        period=period,
        period_start=start,
        period_end=end,
        required=1,
        held=0,
        status=status,
        period_kind=kind,
    )


def test_reminders_take_due_cells_of_the_current_period_and_missed_cells_of_the_previous_one():
    D = datetime.date
    cells = [
        cell("due", "2025-04", D(2025, 4, 1), D(2025, 4, 30)),
        cell("missed", "2025-03", D(2025, 3, 1), D(2025, 3, 31)),
        cell("missed", "2025-02", D(2025, 2, 1), D(2025, 2, 28)),  # older: already reminded then
        cell("missed", "2025-Q1", D(2025, 1, 1), D(2025, 3, 31)),
        cell("missed", "2024", D(2024, 1, 1), D(2024, 12, 31)),
        cell("met", "2025-Q2", D(2025, 4, 1), D(2025, 6, 30)),
    ]
    got = [(c.period, topic) for c, topic in reminders.compliance_reminders(cells, TODAY)]
    assert got == [
        ("2025-04", reminders.DUE),
        ("2025-03", reminders.MISSED),
        ("2025-Q1", reminders.MISSED),
        ("2024", reminders.MISSED),
    ]
