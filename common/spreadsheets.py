"""The pieces every exported workbook shares: a sheet headed by its title and who exported it
when, a bold column header with set widths, stored text kept as text, and the file's bytes."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


def as_text(cell):
    """Keep stored text as text: openpyxl turns a string starting with "=" into a formula, so a
    name like ``=HYPERLINK(...)`` would run in Excel (formula injection, OWASP). Force the string type."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def exported_by_line(exported_by: str, exported_at: datetime.datetime) -> str:
    return _("导出人：%(who)s　导出时间：%(at)s") % {"who": exported_by, "at": exported_at.strftime("%Y-%m-%d %H:%M")}


def exported_sheet(title: str, *, exported_by: str, exported_at: datetime.datetime) -> tuple[Workbook, Worksheet]:
    """A new workbook whose sheet ``title`` says its title (row 1, bold) and who exported it when
    (row 2)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    as_text(ws.cell(row=2, column=1, value=exported_by_line(exported_by, exported_at)))
    return wb, ws


def header_row(ws: Worksheet, row: int, columns: Sequence[Sequence]) -> None:
    """The column header on ``row``: each column ``(title, width, …)`` bold, shaded and centred."""
    fill = PatternFill("solid", fgColor="EEF0F3")
    for c, (title, width, *_rest) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=c, value=title)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width


def table_end(ws: Worksheet, header: int, columns: int, rows: int) -> None:
    """Freeze the header (row ``header``) and filter the table below it (``rows`` rows)."""
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(columns)}{header + max(rows, 0)}"


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
