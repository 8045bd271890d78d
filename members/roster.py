"""The roster workbook (党员名册 .xlsx): header rows saying who exported it and when, a bold
column header, sensible widths. Personal data is masked unless the row may be shown in full."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from common.masking import mask_id_number, mask_phone
from common.spreadsheets import as_text, exported_sheet, header_row, table_end, workbook_bytes
from members.models import Member

HEADER_ROW = 4  # rows 1–3: title, exported by / at, masking note


def columns():
    """``(header, width, value(member))`` for each column, in order."""

    def branch(m):
        row = m.open_branches[0] if m.open_branches else None
        return row.unit.name if row else ""

    def group(m):
        row = m.open_groups[0] if m.open_groups else None
        return row.unit.name if row else ""

    def day(value):
        return value.isoformat() if value else ""

    return [
        (_("姓名"), 12, lambda m, full: m.name),
        (_("性别"), 6, lambda m, full: m.get_gender_display()),
        (_("民族"), 8, lambda m, full: m.ethnicity),
        (_("出生日期"), 12, lambda m, full: day(m.birth_date)),
        (_("公民身份号码"), 22, lambda m, full: m.id_number if full else mask_id_number(m.id_number)),
        (_("学历"), 10, lambda m, full: m.get_education_display()),
        (_("人员类别"), 10, lambda m, full: m.get_category_display()),
        (_("入党日期"), 12, lambda m, full: day(m.joined_on)),
        (_("转正日期"), 12, lambda m, full: day(m.full_member_on)),
        (_("所在党支部"), 18, lambda m, full: branch(m)),
        (_("所在党小组"), 16, lambda m, full: group(m)),
        (_("手机号码"), 14, lambda m, full: m.phone if full else mask_phone(m.phone)),
        (_("工作部门"), 16, lambda m, full: m.department),
        (_("职务"), 14, lambda m, full: m.post),
        (_("状态"), 8, lambda m, full: _("已归档") if m.is_archived else _("在册")),
    ]


def build_roster(
    members: Iterable[Member],
    *,
    exported_by: str,
    exported_at: datetime.datetime,
    show_full: Callable[[Member], bool],
) -> tuple[bytes, int]:
    """The workbook as bytes and the number of member rows written.

    ``members`` must carry ``open_branches`` / ``open_groups`` lists (``with_open_memberships()``) (prefetched open memberships).
    """
    cols = columns()
    wb, ws = exported_sheet(_("党员名册"), exported_by=exported_by, exported_at=exported_at)
    note = ws.cell(row=3, column=1)
    header_row(ws, HEADER_ROW, cols)
    count, any_full, any_masked = 0, False, False
    for r, member in enumerate(members, start=HEADER_ROW + 1):
        full = show_full(member)
        any_full, any_masked = any_full or full, any_masked or not full
        for c, (_title, _width, value) in enumerate(cols, start=1):
            as_text(ws.cell(row=r, column=c, value=value(member, full)))
        count += 1
    if any_full and any_masked:
        note.value = _("说明：本人有权查看的党员显示完整公民身份号码和手机号码，其余已脱敏。")
    elif any_full:
        note.value = _("说明：含完整公民身份号码和手机号码，请妥善保管，不得外传。")
    else:
        note.value = _("说明：公民身份号码和手机号码已脱敏。")
    table_end(ws, HEADER_ROW, len(cols), count)
    return workbook_bytes(wb), count
