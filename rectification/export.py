"""The rectification ledger workbook (整改台账 .xlsx): title, who exported it and when, the
filters in force, then one row per item. Text from users is written as text, never a formula;
the responsible person's phone number is masked."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.masking import mask_phone
from members.roster import as_text
from rectification import rules

HEADER_ROW = 5  # rows 1–4: title, exported by / at, filters, summary


def _day(value) -> str:
    return value.isoformat() if value else ""


def columns(today: datetime.date):
    return [
        (_("序号"), 6, lambda i, n: str(n)),
        (_("党支部"), 18, lambda i, n: i.unit.name),
        (_("问题来源"), 12, lambda i, n: i.get_source_display()),
        (_("问题类别"), 8, lambda i, n: i.get_category_display() if i.category else ""),
        (_("问题"), 40, lambda i, n: i.problem),
        (_("整改措施"), 40, lambda i, n: i.measure),
        (_("责任人"), 10, lambda i, n: i.responsible.name if i.responsible_id else ""),
        (_("联系电话"), 14, lambda i, n: mask_phone(i.responsible.phone) if i.responsible_id else ""),
        (_("涉及党员"), 10, lambda i, n: i.member.name if i.member_id else ""),
        (_("整改期限"), 12, lambda i, n: _day(i.deadline)),
        (_("状态"), 8, lambda i, n: i.get_status_display()),
        (_("逾期"), 6, lambda i, n: _("是") if rules.is_overdue(i.deadline, i.status, today) else ""),
        (_("整改情况"), 40, lambda i, n: i.evidence),
        (_("销号时间"), 16, lambda i, n: i.verified_at.strftime("%Y-%m-%d %H:%M") if i.verified_at else ""),
        (_("创建时间"), 16, lambda i, n: i.created_at.strftime("%Y-%m-%d")),
        (_("备注"), 8, lambda i, n: _("已归档") if i.is_archived else ""),
    ]


def build_ledger(
    items: Iterable,
    *,
    exported_by: str,
    exported_at: datetime.datetime,
    filters: dict[str, str],
    today: datetime.date,
) -> tuple[bytes, int]:
    """The workbook as bytes and the number of item rows. ``items`` carry unit, responsible, member."""
    cols = columns(today)
    wb = Workbook()
    ws = wb.active
    ws.title = _("整改台账")
    ws.cell(row=1, column=1, value=_("整改台账")).font = Font(bold=True, size=14)
    as_text(
        ws.cell(
            row=2,
            column=1,
            value=_("导出人：%(who)s　导出时间：%(at)s")
            % {"who": exported_by, "at": exported_at.strftime("%Y-%m-%d %H:%M")},
        )
    )
    shown = "；".join(f"{k}：{v}" for k, v in filters.items()) or _("全部")
    as_text(ws.cell(row=3, column=1, value=_("筛选条件：%(filters)s") % {"filters": shown}))
    summary = ws.cell(row=4, column=1)
    fill = PatternFill("solid", fgColor="EEF0F3")
    for c, (title, width, _value) in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=title)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    count = verified = overdue = live = 0
    for n, item in enumerate(items, start=1):
        for c, (_title, _width, value) in enumerate(cols, start=1):
            cell = as_text(ws.cell(row=HEADER_ROW + n, column=c, value=value(item, n)))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        count += 1
        if not item.is_archived:
            live += 1
            verified += item.status == rules.VERIFIED
            overdue += rules.is_overdue(item.deadline, item.status, today)
    rate = rules.closure_rate(verified, live)
    summary.value = _("共 %(n)s 项；销号 %(v)s 项，销号率 %(rate)s；逾期 %(o)s 项。联系电话已脱敏。") % {
        "n": count,
        "v": verified,
        "rate": "—" if rate is None else f"{rate:.0%}",
        "o": overdue,
    }
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(cols))}{HEADER_ROW + max(count, 0)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), count
