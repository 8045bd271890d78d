"""Ledger workbooks built in memory for the tests."""

import datetime
import io

from openpyxl import Workbook

from committees.models import CommitteeTerm
from common.models import AuditEntry
from members.idnumbers import make_id_number
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import Unit

UNIT_HEADERS = ["名称", "类型", "上级", "成立日期", "撤销日期"]
MEMBER_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "学历",
    "人员类别",
    "入党日期",
    "转正日期",
    "所在党支部",
    "所在党小组",
    "进入本支部日期",
    "手机号码",
    "工作部门",
    "职务",
]
TERM_HEADERS = ["党支部", "届次", "选举日期", "任期(年)", "批复文号", "批复日期", "姓名", "公民身份号码", "职务"]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets; each is a list of rows, the first row being the headers."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> io.BytesIO:
    fh = io.BytesIO(data)
    fh.name = name
    return fh


def id_for(birth: str, seq: int) -> str:
    return make_id_number(datetime.date.fromisoformat(birth), seq, region="110108")


# Members of 第三党支部 (7 full + 1 probationary) and 第四党支部 (2 full). Seq odd: men.
PEOPLE = [
    # name, gender, birth, seq, category, joined, full_on, branch, group
    ("赵一", "男", "1980-01-15", 1, "正式党员", "2005-07-01", "2006-07-01", "第三党支部", "第三党小组"),
    ("钱二", "女", "1981-02-16", 2, "正式党员", "2006-07-01", "2007-07-01", "第三党支部", "第三党小组"),
    ("孙三", "男", "1982-03-17", 3, "正式党员", "2007-07-01", "2008-07-01", "第三党支部", ""),
    ("李四", "女", "1983-04-18", 4, "正式党员", "2008-07-01", "2009-07-01", "第三党支部", ""),
    ("周五", "男", "1984-05-19", 5, "正式党员", "2009-07-01", "2010-07-01", "第三党支部", ""),
    ("吴六", "女", "1985-06-20", 6, "正式党员", "2010-07-01", "2011-07-01", "第三党支部", ""),
    ("郑七", "男", "1986-07-21", 7, "正式党员", "2011-07-01", "2012-07-01", "第三党支部", ""),
    ("王八", "女", "1995-08-22", 8, "预备党员", "2024-07-01", "", "第三党支部", ""),
    ("冯九", "男", "1987-09-23", 9, "正式党员", "2012-07-01", "2013-07-01", "第四党支部", ""),
    ("陈十", "女", "1988-10-24", 10, "正式党员", "2013-07-01", "2014-07-01", "第四党支部", ""),
]


def person(name: str):
    for p in PEOPLE:
        if p[0] == name:
            return p
    raise KeyError(name)


def pid(name: str) -> str:
    p = person(name)
    return id_for(p[2], p[3])


def unit_rows(date=str):
    return [
        UNIT_HEADERS,
        ["第三党支部", "党支部", "测试机关党委", date("2020-01-01"), None],
        ["第三党小组", "党小组", "第三党支部", date("2020-06-01"), None],
        ["第四党支部", "党支部", "测试机关党委", date("2021-01-01"), None],
    ]


def member_rows(date=str):
    rows = [MEMBER_HEADERS]
    for i, (name, gender, birth, seq, category, joined, full_on, branch, group) in enumerate(PEOPLE):
        rows.append(
            [
                name,
                gender,
                "汉族",
                date(birth),
                id_for(birth, seq),
                "大学本科",
                category,
                date(joined),
                date(full_on) if full_on else None,
                branch,
                group or None,
                None,
                f"1390000{i:04d}",
                "办公室",
                "科员",
            ]
        )
    return rows


def term_rows(date=str):
    rows = [TERM_HEADERS]
    for name, role in (("赵一", "书记"), ("钱二", "组织委员"), ("孙三", "宣传委员")):
        rows.append(
            ["第三党支部", 1, date("2021-03-01"), 3, "机党字〔2021〕1号", date("2021-03-15"), name, pid(name), role]
        )
    for name, role in (("赵一", "书记"), ("李四", "副书记"), ("周五", "纪检委员")):
        rows.append(
            ["第三党支部", 2, date("2024-03-01"), 3, "机党字〔2024〕2号", date("2024-03-20"), name, pid(name), role]
        )
    rows.append(
        [
            "第四党支部",
            1,
            date("2022-05-01"),
            None,
            "机党字〔2022〕3号",
            date("2022-05-10"),
            "冯九",
            pid("冯九"),
            "书记",
        ]
    )
    return rows


def as_datetime(text: str):
    return datetime.datetime.fromisoformat(text)


def valid_workbook(date=str) -> bytes:
    return xlsx({"组织": unit_rows(date), "党员": member_rows(date), "支委": term_rows(date)})


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "members": Member.objects.count(),
        "branch_memberships": BranchMembership.objects.count(),
        "group_memberships": GroupMembership.objects.count(),
        "terms": CommitteeTerm.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
