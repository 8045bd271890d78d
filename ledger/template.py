"""The downloadable 台账导入模板: one sheet per registered sheet spec, plus a 说明 sheet.

Data sheets hold only their header row (an example row would be imported), with dropdowns for
columns that take fixed values; the examples live in the 说明 sheet.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ledger.sheets import registered_sheets

GUIDE_SHEET = "说明"
PREPARED_ROWS = 500  # rows given date/text formats and dropdowns
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def build_template() -> bytes:
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    specs = registered_sheets()
    _write_guide(guide, specs)
    for spec in specs:
        ws = wb.create_sheet(spec.name)
        for col, column in enumerate(spec.columns, start=1):
            cell = ws.cell(row=1, column=col, value=column.header)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = column.width
            if column.is_date or column.header == "公民身份号码" or column.header == "手机号码":
                fmt = "yyyy-mm-dd" if column.is_date else "@"
                for row in range(2, PREPARED_ROWS + 2):
                    ws.cell(row=row, column=col).number_format = fmt
            if column.choices:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(column.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=_("取值不正确"),
                    error=_("请从下拉列表中选择：%(values)s") % {"values": "、".join(column.choices)},
                )
                dv.add(f"{letter}2:{letter}{PREPARED_ROWS + 1}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_guide(ws, specs) -> None:
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 56
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 22
    ws.append([_("台账导入模板")])
    ws["A1"].font = TITLE_FONT
    notes = [
        _("1. 在“%(sheets)s”各表的第2行起逐行填写，第1行表头不要修改；不需要的表可以删除。")
        % {"sheets": "”“".join(s.name for s in specs)},
        _("2. 日期填写 Excel 日期，或 YYYY-MM-DD 格式的文字（如 2024-03-15）。"),
        _("3. 导入时先检查全部数据：只要有一处错误，就不导入任何数据，并列出每处错误的工作表、行、列和原因。"),
        _(
            "4. 同一文件可以重复导入：系统中已有且信息一致的组织、党员、届次不会重复添加；信息不一致的会报错，不会覆盖。"
        ),
        _("5. 下面的示例只作说明，不要把示例行填进数据表。"),
    ]
    for note in notes:
        ws.append([note])
    for spec in specs:
        ws.append([])
        ws.append([_("工作表“%(name)s”") % {"name": spec.name}])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        if spec.description:
            ws.append([str(spec.description)])
        ws.append([_("列"), _("是否必填"), _("说明"), _("允许的值"), _("示例")])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
            cell.fill = HEADER_FILL
        for column in spec.columns:
            ws.append(
                [
                    column.header,
                    _("必填列") if column.required else _("可选列"),
                    str(column.help),
                    "、".join(column.choices),
                    column.example,
                ]
            )
            for cell in ws[ws.max_row]:
                cell.alignment = WRAP
