"""The compliance table as csv, json, plain text and .xlsx (the command and the committee page).

No personal data: units, rules, periods, counts and statuses only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from compliance.display import STATUS_COLOURS, status_label
from compliance.engine import Cell, sort_key
from members.roster import as_text

CSV_HEADER = ("unit", "rule", "period", "required", "held", "status")


def sorted_cells(cells: Iterable[Cell]) -> list[Cell]:
    """By unit name, rule code, then period in time order."""
    return sorted(cells, key=sort_key)


def csv_rows(cells: Iterable[Cell]) -> list[tuple]:
    return [(c.unit_name, c.rule_code, c.period, c.required, c.held, c.status) for c in sorted_cells(cells)]


def to_csv(cells: Iterable[Cell]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(cells))
    return out.getvalue()


def to_json(cells: Iterable[Cell]) -> str:
    rows = [
        {
            "unit": c.unit_name,
            "rule": c.rule_code,
            "rule_name": c.rule_name,
            "period": c.period,
            "period_start": c.period_start.isoformat(),
            "period_end": c.period_end.isoformat(),
            "required": c.required,
            "held": c.held,
            "status": c.status,
            "explanation": c.explanation,
        }
        for c in sorted_cells(cells)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_table(cells: Iterable[Cell]) -> str:
    """An aligned plain-text table for the terminal."""
    header = [_("单位"), _("规则"), _("周期"), _("应召开"), _("实际"), _("状态")]
    rows = [
        [c.unit_name, c.rule_code, c.period, str(c.required), str(c.held), status_label(c.status)]
        for c in sorted_cells(cells)
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row):
        return "  ".join(text + " " * (w - _width(text)) for text, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)]) + "\n"


def to_xlsx(cells: Iterable[Cell], *, title: str) -> bytes:
    """One sheet 制度落实情况 with a title row, a header and one row per cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("制度落实情况")
    header = [_("单位"), _("规则代码"), _("规则"), _("周期"), _("应召开（次）"), _("实际（次）"), _("状态"), _("说明")]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    fills = {s: PatternFill("solid", fgColor=c.lstrip("#")) for s, c in STATUS_COLOURS.items()}
    for c in sorted_cells(cells):
        ws.append(
            [c.unit_name, c.rule_code, c.rule_name, c.period, c.required, c.held, status_label(c.status), c.explanation]
        )
        for cell in ws[ws.max_row]:
            as_text(cell)  # a unit named "=..." stays text, never a formula
        status_cell = ws.cell(row=ws.max_row, column=7)
        status_cell.fill = fills[c.status]
        status_cell.font = Font(color="FFFFFF" if c.status in ("met", "missed") else "000000")
    for i, w in enumerate([20, 20, 30, 10, 12, 10, 10, 60], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=3, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:H{max(ws.max_row, 2)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
