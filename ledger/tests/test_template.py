"""The 台账导入模板 download."""

import io

from openpyxl import load_workbook

from ledger.services import import_ledger
from ledger.template import build_template
from ledger.tests import helpers as h


def test_the_template_has_every_registered_sheet_with_bold_headers_and_a_guide():
    wb = load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames == ["说明", "组织", "党员", "支委", "会议"]
    assert [c.value for c in wb["组织"][1]] == h.UNIT_HEADERS
    assert [c.value for c in wb["党员"][1]] == h.MEMBER_HEADERS
    assert [c.value for c in wb["支委"][1]] == h.TERM_HEADERS
    assert all(c.font.bold for c in wb["党员"][1])
    assert wb["党员"].column_dimensions["E"].width == 22  # 公民身份号码
    # No example rows in the data sheets: they would be imported.
    assert all(c.value is None for row in wb["党员"].iter_rows(min_row=2) for c in row)
    guide = [c.value for row in wb["说明"].iter_rows() for c in row if c.value]
    assert "工作表“党员”" in guide and "进入本支部日期" in guide
    assert any("留空时取党支部成立日期与入党日期中较晚者" in str(v) for v in guide)


def test_the_template_offers_dropdowns_for_fixed_values():
    wb = load_workbook(io.BytesIO(build_template()))
    formulas = {dv.formula1 for dv in wb["支委"].data_validations.dataValidation}
    assert '"书记,副书记,组织委员,宣传委员,纪检委员,委员"' in formulas
    formulas = {dv.formula1 for dv in wb["组织"].data_validations.dataValidation}
    assert '"机关党委,党总支,党支部,党小组"' in formulas


def test_the_template_reimports_cleanly_as_empty(personas):
    before = h.counts()
    result = import_ledger(h.upload(build_template()), actor=personas.staff)
    assert result.added == 0 and result.rows == 0
    assert [s.name for s in result.sheets] == ["组织", "党员", "支委", "会议"]
    assert h.counts() == {**before, "audit": before["audit"] + 1}


def test_a_filled_in_template_imports(personas):
    wb = load_workbook(io.BytesIO(build_template()))
    for name, rows in (("组织", h.unit_rows()), ("党员", h.member_rows()), ("支委", h.term_rows())):
        for r, row in enumerate(rows[1:], start=2):
            for c, value in enumerate(row, start=1):
                wb[name].cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    result = import_ledger(h.upload(out.getvalue()), actor=personas.staff)
    assert result.added == 16
