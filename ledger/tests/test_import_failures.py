"""Every class of bad workbook is refused with sheet, row, column and a Chinese reason; nothing stored."""

import io
import zipfile

import pytest
from django.test import override_settings

from ledger.services import LedgerImportError, import_ledger
from ledger.tests import helpers as h
from ledger.tests.conftest import has_error


def member_row(**changes):
    """A valid 党员 row for 第一党支部 (from the ``org`` fixture), with some cells changed."""
    values = dict(zip(h.MEMBER_HEADERS, h.member_rows()[1], strict=True))
    values.update({"所在党支部": "第一党支部", "所在党小组": "第一党小组"})
    values.update(changes)
    return [values[k] for k in h.MEMBER_HEADERS]


def members_only(*rows):
    return h.xlsx({"党员": [h.MEMBER_HEADERS, *rows]})


def units_only(*rows):
    return h.xlsx({"组织": [h.UNIT_HEADERS, *rows]})


def test_it_refuses_a_file_that_is_not_xlsx(refused):
    errors = refused("姓名,公民身份号码\n张三,1\n".encode(), name="台账.xlsx")
    assert "不是 Excel 工作簿" in errors[0].reason


def test_it_refuses_a_zip_that_is_not_a_workbook(refused):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    errors = refused(out.getvalue())
    assert "无法作为 Excel 工作簿" in errors[0].reason


def test_it_refuses_an_old_xls_file_with_advice(refused):
    errors = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="台账.xls")
    assert "另存为 .xlsx" in errors[0].reason


def test_it_refuses_an_empty_file(refused):
    assert "文件是空的" in refused(b"")[0].reason


def test_it_refuses_a_workbook_without_any_known_sheet(refused):
    errors = refused(h.xlsx({"Sheet1": [["名称"], ["第九党支部"]]}))
    assert "没有可导入的工作表" in errors[0].reason and "组织、党员、支委" in errors[0].reason


def test_it_refuses_a_known_sheet_without_a_header_row(refused):
    errors = refused(h.xlsx({"组织": []}))
    assert has_error(errors, "组织", 1, "", "第1行应为表头")


def test_it_names_missing_required_headers(refused):
    headers = [c for c in h.MEMBER_HEADERS if c not in ("性别", "公民身份号码")]
    errors = refused(h.xlsx({"党员": [headers]}))
    assert has_error(errors, "党员", 1, "", "缺少必填列：性别、公民身份号码")


def test_it_names_unknown_headers(refused):
    errors = refused(h.xlsx({"组织": [[*h.UNIT_HEADERS, "备注", "负责人"]]}))
    assert has_error(errors, "组织", 1, "", "无法识别的列：备注、负责人")


def test_it_refuses_duplicate_headers(refused):
    errors = refused(h.xlsx({"组织": [[*h.UNIT_HEADERS, "名称"]]}))
    assert has_error(errors, "组织", 1, "名称", "重复")


def test_it_refuses_an_unknown_branch(refused):
    errors = refused(members_only(member_row(所在党支部="第九党支部", 所在党小组=None)))
    assert has_error(errors, "党员", 2, "所在党支部", "党支部“第九党支部”不存在（表中和系统中都没有）")


def test_it_refuses_an_unknown_group(refused):
    errors = refused(members_only(member_row(所在党小组="第九党小组")))
    assert has_error(errors, "党员", 2, "所在党小组", "党小组“第九党小组”不存在")


def test_it_refuses_an_unknown_parent(refused):
    errors = refused(units_only(["第五党支部", "党支部", "不存在的党委", "2021-01-01", None]))
    assert has_error(errors, "组织", 2, "上级", "上级组织“不存在的党委”不存在")


def test_it_refuses_a_unit_outside_the_importers_scope(personas, refused):
    # Staff of 测试机关党委 cannot attach units to another committee: to them it does not exist.
    from tests import factories as f

    other_root = f.CommitteeUnitFactory(name="别的机关党委")
    errors = refused(units_only(["第五党支部", "党支部", other_root.name, "2021-01-01", None]))
    assert has_error(errors, "组织", 2, "上级", "上级组织“别的机关党委”不存在")


def test_it_refuses_a_branch_under_a_party_group(refused):
    errors = refused(units_only(["第五党支部", "党支部", "第一党小组", "2021-01-01", None]))
    assert has_error(errors, "组织", 2, "上级", "党支部不能设在党小组“第一党小组”之下")


def test_it_refuses_a_bad_id_checksum(refused):
    good = h.pid("赵一")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    errors = refused(members_only(member_row(公民身份号码=bad)))
    assert has_error(errors, "党员", 2, "公民身份号码", "校验码不正确")


def test_it_refuses_an_id_whose_birth_date_disagrees(refused):
    errors = refused(members_only(member_row(出生日期="1980-01-16")))
    assert has_error(errors, "党员", 2, "公民身份号码", "与填写的出生日期（1980-01-16）不一致")


def test_it_refuses_an_id_of_the_wrong_length(refused):
    errors = refused(members_only(member_row(公民身份号码="11010819800115")))
    assert has_error(errors, "党员", 2, "公民身份号码", "应为18位")


def test_it_refuses_a_gender_that_disagrees_with_the_id(refused):
    errors = refused(members_only(member_row(性别="女")))
    assert has_error(errors, "党员", 2, "性别", "与公民身份号码中的性别（男）不一致")


def test_it_refuses_duplicate_id_numbers_within_the_file(refused):
    errors = refused(members_only(member_row(), member_row(姓名="赵一同")))
    assert has_error(errors, "党员", 3, "公民身份号码", "与第2行的公民身份号码重复")


def test_it_refuses_a_date_that_does_not_exist(refused):
    errors = refused(units_only(["第五党支部", "党支部", "测试机关党委", "2023-02-30", None]))
    assert has_error(errors, "组织", 2, "成立日期", "日期“2023-02-30”不存在")


def test_it_refuses_a_date_in_another_format(refused):
    errors = refused(units_only(["第五党支部", "党支部", "测试机关党委", "2023/02/03", None]))
    assert has_error(errors, "组织", 2, "成立日期", "不是日期，请填写 Excel 日期或 YYYY-MM-DD")


def test_it_refuses_joining_before_birth(refused):
    errors = refused(members_only(member_row(入党日期="1979-07-01", 转正日期="1980-07-01")))
    assert has_error(errors, "党员", 2, "入党日期", "入党日期早于出生日期（1980-01-15）")


def test_it_refuses_joining_before_eighteen(refused):
    errors = refused(members_only(member_row(入党日期="1997-07-01")))
    assert has_error(errors, "党员", 2, "入党日期", "入党时未满十八周岁")


def test_it_refuses_full_membership_before_joining(refused):
    errors = refused(members_only(member_row(转正日期="2005-01-01")))
    assert has_error(errors, "党员", 2, "转正日期", "转正日期早于入党日期（2005-07-01）")


def test_it_refuses_a_full_member_without_a_full_membership_date(refused):
    errors = refused(members_only(member_row(转正日期=None)))
    assert has_error(errors, "党员", 2, "转正日期", "正式党员必须填写转正日期")


def test_it_refuses_dissolution_before_founding(refused):
    errors = refused(units_only(["第五党支部", "党支部", "测试机关党委", "2021-01-01", "2020-12-31"]))
    assert has_error(errors, "组织", 2, "撤销日期", "撤销日期早于成立日期（2021-01-01）")


def test_it_refuses_a_unit_founded_before_its_parent(refused):
    errors = refused(units_only(["第五党支部", "党支部", "测试机关党委", "2018-01-01", None]))
    assert has_error(errors, "组织", 2, "成立日期", "早于上级组织“测试机关党委”的成立日期（2019-01-01）")


def test_it_refuses_a_group_outside_the_named_branch(refused):
    errors = refused(members_only(member_row(所在党小组="第二党小组")))
    assert has_error(errors, "党员", 2, "所在党小组", "党小组“第二党小组”不属于党支部“第一党支部”")


def test_it_refuses_entering_the_branch_before_joining_the_party(refused):
    errors = refused(members_only(member_row(进入本支部日期="2005-01-01")))
    assert has_error(errors, "党员", 2, "进入本支部日期", "早于入党日期（2005-07-01）")


@pytest.mark.parametrize(
    ("sheet", "column", "value", "allowed"),
    [
        ("组织", "类型", "党委", "机关党委、党总支、党支部、党小组"),
        ("党员", "人员类别", "积极分子", "正式党员、预备党员"),
        ("党员", "性别", "M", "男、女"),
        ("党员", "学历", "博士", "研究生"),
        ("支委", "职务", "主任", "书记、副书记、组织委员、宣传委员、纪检委员、委员"),
    ],
)
def test_it_refuses_values_outside_the_allowed_list(refused, personas, sheet, column, value, allowed):
    sec = personas.members.secretary_a
    if sheet == "组织":
        data = units_only(["第五党支部", value, "测试机关党委", "2021-01-01", None])
    elif sheet == "党员":
        data = members_only(member_row(**{column: value}))
    else:
        row = ["第一党支部", 2, "2025-01-10", 3, "机党字〔2025〕1号", "2025-01-20", sec.name, sec.id_number, value]
        data = h.xlsx({"支委": [h.TERM_HEADERS, row]})
    errors = refused(data)
    assert has_error(errors, sheet, 2, column, f"“{value}”不是允许的值，应为：{allowed}")


def test_it_refuses_an_existing_member_with_different_data(personas, refused):
    from tests import factories as f

    f.member_in(
        personas.org.branch_a,
        group=personas.org.group_a,
        name="赵一",
        birth_date=h.as_datetime("1980-01-15").date(),
        id_number=h.pid("赵一"),
        education="bachelor",
        post="科员",
        phone="13900000000",
    )
    errors = refused(members_only(member_row(姓名="赵一新", 手机号码="13911112222")))
    assert has_error(errors, "党员", 2, "姓名", "已存在，且表中的姓名、手机号码")
    assert any("导入不会覆盖已有数据" in e.reason for e in errors)


def test_it_refuses_an_existing_unit_with_different_data(refused):
    errors = refused(units_only(["第一党支部", "党支部", "测试机关党委", "2020-02-02", None]))
    assert has_error(errors, "组织", 2, "成立日期", "组织“第一党支部”已存在，且表中的成立日期与系统中不同")


def test_it_refuses_duplicate_unit_names_within_the_file(refused):
    row = ["第五党支部", "党支部", "测试机关党委", "2021-01-01", None]
    errors = refused(units_only(row, row))
    assert has_error(errors, "组织", 3, "名称", "与第2行重名")


def test_it_refuses_a_committee_that_breaks_the_composition_rules(refused):
    # 第四党支部 has 2 full members: a secretary (and a deputy) only, no 组织委员.
    rows = [h.TERM_HEADERS]
    for name, role in (("冯九", "书记"), ("陈十", "组织委员")):
        rows.append(["第四党支部", 1, "2022-05-01", 3, "机党字〔2022〕3号", "2022-05-10", name, h.pid(name), role])
    data = h.xlsx({"组织": h.unit_rows(), "党员": h.member_rows(), "支委": rows})
    errors = refused(data)
    assert has_error(errors, "支委", 2, "职务", "正式党员不足 7 名")


def test_it_refuses_a_seat_for_someone_who_is_not_a_member(refused):
    rows = [
        h.TERM_HEADERS,
        ["第一党支部", 2, "2025-01-10", 3, "文号", "2025-01-20", "无名", h.id_for("1970-01-01", 99), "书记"],
    ]
    errors = refused(h.xlsx({"支委": rows}))
    assert has_error(errors, "支委", 2, "公民身份号码", "党员表中和系统中都没有")


def test_it_refuses_a_probationary_member_on_the_committee(refused):
    rows = [h.TERM_HEADERS]
    rows.append(["第三党支部", 1, "2025-01-10", 3, "文号", "2025-01-20", "王八", h.pid("王八"), "书记"])
    errors = refused(h.xlsx({"组织": h.unit_rows(), "党员": h.member_rows(), "支委": rows}))
    assert has_error(errors, "支委", 2, "姓名", "预备党员没有被选举权")


def test_it_refuses_term_rows_that_disagree_within_one_term(refused):
    rows = h.term_rows()
    rows[2][2] = "2021-03-02"  # second seat of 第三党支部 第1届 with another election date
    errors = refused(h.xlsx({"组织": h.unit_rows(), "党员": h.member_rows(), "支委": rows}))
    assert has_error(errors, "支委", 3, "选举日期", "应与第2行相同")


def test_it_refuses_an_approval_date_without_a_document_number(refused):
    rows = h.term_rows()
    rows[1][4] = rows[2][4] = rows[3][4] = None
    errors = refused(h.xlsx({"组织": h.unit_rows(), "党员": h.member_rows(), "支委": rows}))
    assert has_error(errors, "支委", 2, "批复文号", "填写了批复日期，也须填写批复文号")


def test_it_reports_every_error_of_every_sheet_at_once(refused):
    members = h.member_rows()
    members[1][3] = "1980-13-01"  # row 2: impossible date
    members[4][9] = "第九党支部"  # row 5: unknown branch
    units = h.unit_rows()
    units[2][1] = "支部"  # row 3: bad kind
    errors = refused(h.xlsx({"组织": units, "党员": members, "支委": h.term_rows()}))
    assert has_error(errors, "组织", 3, "类型", "不是允许的值")
    assert has_error(errors, "党员", 2, "出生日期", "不存在")
    assert has_error(errors, "党员", 5, "所在党支部", "第九党支部")
    assert [e.sheet for e in errors] == sorted([e.sheet for e in errors], key=["组织", "党员", "支委"].index)


@override_settings(ZHIBU={"IMPORT_MAX_BYTES": 2048, "TERM_REMINDER_DAYS": 90})
def test_it_refuses_a_file_larger_than_the_limit(refused):
    errors = refused(h.valid_workbook())
    assert "文件过大" in errors[0].reason and "不能超过2 KB" in errors[0].reason


@override_settings(ZHIBU={"IMPORT_MAX_BYTES": 2048, "TERM_REMINDER_DAYS": 90})
def test_it_refuses_a_large_file_on_disk_before_reading_it(personas, tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(h.valid_workbook())
    with pytest.raises(LedgerImportError, match="文件过大"):
        import_ledger(str(path), actor=personas.staff)


def test_the_refusal_message_counts_the_problems(personas):
    data = members_only(
        member_row(出生日期="1980-13-01"), member_row(公民身份号码=h.pid("钱二"), 性别="女", 出生日期="1981-13-01")
    )
    with pytest.raises(LedgerImportError) as info:
        import_ledger(h.upload(data), actor=personas.staff)
    assert str(info.value) == "台账导入失败：发现2处问题，未导入任何数据。"


def test_row_numbers_match_excel_even_after_blank_rows(refused):
    row = ["第五党支部", "党支部", "测试机关党委", "2021-01-01", None]
    bad = ["第六党支部", "党支部", "测试机关党委", "2021-02-30", None]
    errors = refused(units_only(row, [None] * 5, [None] * 5, bad))
    assert [(e.row, e.column) for e in errors] == [(5, "成立日期")]


def test_the_web_import_may_not_create_a_new_root_committee(refused):
    errors = refused(units_only(["新机关党委", "机关党委", None, "2019-01-01", None]))
    assert has_error(errors, "组织", 2, "上级", "新建顶级机关党委只能通过命令行导入")


def test_it_reports_every_error_of_a_row_not_only_the_first(refused):
    good = h.pid("赵一")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    errors = refused(members_only(member_row(公民身份号码=bad, 所在党支部="第九党支部", 性别="女")))
    assert has_error(errors, "党员", 2, "公民身份号码", "校验码不正确")
    assert has_error(errors, "党员", 2, "所在党支部", "第九党支部")
    assert has_error(errors, "党员", 2, "性别", "与公民身份号码中的性别（男）不一致")


def test_a_row_with_a_parse_error_still_has_its_unit_checked(refused):
    from ledger.tests.test_import_meetings import HEADERS, row

    errors = refused(h.xlsx({"会议": [HEADERS, row(单位="第九党支部", 日期="2025-02-30")]}))
    assert has_error(errors, "会议", 2, "日期", "不存在")
    assert has_error(errors, "会议", 2, "单位", "第九党支部")


def test_a_unit_row_with_a_parse_error_still_has_its_parent_checked(refused):
    errors = refused(units_only(["第五党支部", "支部", "第九机关党委", "2021-01-01", None]))
    assert has_error(errors, "组织", 2, "类型", "不是允许的值")
    assert has_error(errors, "组织", 2, "上级", "第九机关党委")


def test_a_seat_row_with_a_parse_error_still_has_its_branch_checked(refused):
    rows = [h.TERM_HEADERS, ["第九党支部", 1, "2021-03-01", 3, None, None, "赵一", h.pid("赵一"), "支书"]]
    errors = refused(h.xlsx({"支委": rows}))
    assert has_error(errors, "支委", 2, "职务", "不是允许的值")
    assert has_error(errors, "支委", 2, "党支部", "第九党支部")
