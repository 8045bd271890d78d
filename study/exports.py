"""The study-hours ledger workbook (学时台账 .xlsx): who exported it and when in the header rows,
one row per member, a second sheet listing every credited meeting and confirmed record.
Text from users is written as text, never as a formula."""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from members.roster import as_text
from study.rules import LedgerRow, Summary, YearSettings

HEADER_ROW = 4  # rows 1–3: title, exported by / at, targets and summary
FILL = PatternFill("solid", fgColor="EEF0F3")


def _header(ws, row: int, titles: list[tuple[str, int]]) -> None:
    for i, (title, width) in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=i, value=title)
        cell.font = Font(bold=True)
        cell.fill = FILL
        ws.column_dimensions[get_column_letter(i)].width = width


def _text(ws, row: int, column: int, value) -> None:
    as_text(ws.cell(row=row, column=column, value=value))


def build_ledger(
    branch_name: str,
    rows: list[LedgerRow],
    summary: Summary,
    settings: YearSettings,
    *,
    exported_by: str,
    exported_at: datetime.datetime,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("学时台账")
    title = _("%(unit)s %(year)s年度党员学时台账") % {"unit": branch_name, "year": settings.year}
    _text(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    _text(
        ws,
        2,
        1,
        _("导出人：%(who)s　导出时间：%(at)s") % {"who": exported_by, "at": exported_at.strftime("%Y-%m-%d %H:%M")},
    )
    _text(
        ws,
        3,
        1,
        _("要求：党员 %(m)s 学时，支部书记和支委 %(l)s 学时；达标 %(met)s / %(total)s 人，人均 %(avg)s 学时。")
        % {
            "m": settings.member_target,
            "l": settings.leader_target,
            "met": summary.met,
            "total": summary.total,
            "avg": summary.average,
        },
    )
    _header(
        ws,
        HEADER_ROW,
        [
            (_("姓名"), 12),
            (_("身份"), 14),
            (_("要求学时"), 10),
            (_("集中学习学时"), 14),
            (_("个人自学学时"), 14),
            (_("合计"), 10),
            (_("是否达标"), 10),
            (_("尚差学时"), 10),
        ],
    )
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        _text(ws, r, 1, row.name)
        _text(ws, r, 2, _("支部书记/支委") if row.is_leader else _("党员"))
        ws.cell(row=r, column=3, value=float(row.target))
        ws.cell(row=r, column=4, value=float(row.meeting_hours))
        ws.cell(row=r, column=5, value=float(row.record_hours))
        ws.cell(row=r, column=6, value=float(row.total))
        _text(ws, r, 7, _("达标") if row.met else _("未达标"))
        ws.cell(row=r, column=8, value=float(row.remaining))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)

    detail = wb.create_sheet(_("学时明细"))
    _header(
        detail,
        1,
        [(_("姓名"), 12), (_("来源"), 10), (_("日期"), 12), (_("内容"), 40), (_("单位"), 18), (_("学时"), 8)],
    )
    r = 2
    for row in rows:
        for credit in row.meetings:
            m = credit.meeting
            for c, value in enumerate(
                [row.name, _("集中学习"), m.date.isoformat(), f"{'、'.join(m.kind_names)}：{m.topic}", m.unit_name], 1
            ):
                _text(detail, r, c, value)
            detail.cell(row=r, column=6, value=float(credit.hours))
            r += 1
        for rec in row.records:
            for c, value in enumerate([row.name, _("个人自学"), rec.date.isoformat(), rec.title, ""], 1):
                _text(detail, r, c, value)
            detail.cell(row=r, column=6, value=float(rec.hours))
            r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
