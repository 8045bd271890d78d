"""Sheet 党员: party members with their branch (and optional party group)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin import Style, lazy_pinyin

from common.audit import log_action
from common.masking import mask_id_number
from ledger.sheets.base import Column, Row, RowErrors, SheetSpec, register
from ledger.sheets.context import ImportContext, MemberRef
from members.idnumbers import IdNumberError, check_id_number, make_id_number, normalize
from members.models import BranchMembership, Education, Gender, GroupMembership, Member, MemberCategory
from organizations.models import UnitKind

SHEET = "党员"
GENDER_BY_LABEL = {str(label): value for value, label in Gender.choices}
EDUCATION_BY_LABEL = {str(label): value for value, label in Education.choices}
CATEGORY_BY_LABEL = {str(label): value for value, label in MemberCategory.choices}
PHONE = re.compile(r"^1\d{10}$")
EXAMPLE_ID = make_id_number(datetime.date(1985, 3, 12), 1)


@dataclass
class MemberRow:
    row: int
    name: str
    gender: str
    ethnicity: str
    birth_date: datetime.date
    id_number: str
    education: str
    category: str
    joined_on: datetime.date
    full_member_on: datetime.date | None
    branch_name: str
    group_name: str
    entered_on: datetime.date | None  # as written; None: computed in the check
    phone: str
    department: str
    post: str
    start_on: datetime.date | None = None  # the branch membership's start, after the check


def _adult_on(birth: datetime.date) -> datetime.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born on 29 February
        return birth.replace(year=birth.year + 18, month=3, day=1)


def parse_member_row(row: Row):
    name = row.text("姓名", required=True, max_length=50)
    gender = row.choice("性别", GENDER_BY_LABEL, required=True)
    ethnicity = row.text("民族", max_length=20) or "汉族"
    birth = row.date("出生日期", required=True)
    raw_id = row.text("公民身份号码", required=True)
    id_number = normalize(raw_id)
    if raw_id:
        try:
            id_number = check_id_number(raw_id, birth)
        except IdNumberError as exc:
            row.error("公民身份号码", str(exc))
        # The 17th digit is odd for men and even for women (GB 11643); read even when another
        # digit is wrong, so that the row's every error is reported at once.
        if len(id_number) == 18 and id_number[:17].isdigit():
            id_gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
            if gender and gender != id_gender:
                row.error("性别", _("与公民身份号码中的性别（%(g)s）不一致") % {"g": id_gender.label})
    education = row.choice("学历", EDUCATION_BY_LABEL) or ""
    category = row.choice("人员类别", CATEGORY_BY_LABEL, required=True)
    joined = row.date("入党日期", required=True)
    full_on = row.date("转正日期")
    branch_name = row.text("所在党支部", required=True)
    group_name = row.text("所在党小组")
    entered = row.date("进入本支部日期")
    phone = row.text("手机号码")
    if phone and not PHONE.match(phone):
        row.error("手机号码", _("“%(value)s”不是11位手机号码") % {"value": phone})
    department = row.text("工作部门", max_length=100)
    post = row.text("职务", max_length=100)

    today = timezone.localdate()
    if birth and birth > today:
        row.error("出生日期", _("出生日期晚于今天"))
    if joined:
        if joined > today:
            row.error("入党日期", _("入党日期晚于今天"))
        if birth and joined <= birth:
            row.error("入党日期", _("入党日期早于出生日期（%(date)s）") % {"date": birth})
        elif birth and joined < _adult_on(birth):
            row.error("入党日期", _("入党时未满十八周岁"))
    if category == MemberCategory.FULL and not full_on:
        row.error("转正日期", _("正式党员必须填写转正日期"))
    if category == MemberCategory.PROBATIONARY and full_on:
        row.error("转正日期", _("预备党员不应填写转正日期"))
    if full_on and joined and full_on <= joined:
        row.error("转正日期", _("转正日期早于入党日期（%(date)s）") % {"date": joined})
    if full_on and full_on > today:
        row.error("转正日期", _("转正日期晚于今天"))
    if entered and joined and entered < joined:
        row.error("进入本支部日期", _("进入本支部日期早于入党日期（%(date)s）") % {"date": joined})
    if entered and entered > today:
        row.error("进入本支部日期", _("进入本支部日期晚于今天"))
    return row.result(
        MemberRow(
            row.number,
            name,
            gender,
            ethnicity,
            birth,
            id_number,
            education,
            category,
            joined,
            full_on,
            branch_name,
            group_name,
            entered,
            phone,
            department,
            post,
        )
    )


def _differences(member: Member, r: MemberRow) -> list[str]:
    branch = member.current_branch_membership()
    group = member.current_group_membership()
    pairs = [
        ("姓名", member.name, r.name),
        ("性别", member.gender, r.gender),
        ("民族", member.ethnicity, r.ethnicity),
        ("出生日期", member.birth_date, r.birth_date),
        ("学历", member.education, r.education),
        ("人员类别", member.category, r.category),
        ("入党日期", member.joined_on, r.joined_on),
        ("转正日期", member.full_member_on, r.full_member_on),
        ("所在党支部", branch.unit.name if branch else "", r.branch_name),
        ("所在党小组", group.unit.name if group else "", r.group_name),
        ("手机号码", member.phone, r.phone),
        ("工作部门", member.department, r.department),
        ("职务", member.post, r.post),
    ]
    if r.entered_on:
        pairs.append(("进入本支部日期", branch.start_on if branch else None, r.entered_on))
    return [header for header, old, new in pairs if old != new]


def check_members(ctx: ImportContext, rows: list[MemberRow]) -> None:
    ctx.load_units({r.branch_name for r in rows} | {r.group_name for r in rows})
    existing = {
        m.id_number: m
        for m in Member.objects.with_id_numbers([r.id_number for r in rows]).prefetch_related(
            "branch_memberships__unit", "group_memberships__unit"
        )
    }
    seen: dict[str, int] = {}
    for r in rows:
        if r.id_number in seen:
            ctx.error(SHEET, r.row, "公民身份号码", _("与第%(row)s行的公民身份号码重复") % {"row": seen[r.id_number]})
            continue
        seen[r.id_number] = r.row
        branch = _check_branch(ctx, r)
        if branch is not None:
            r.start_on = r.entered_on or max(branch.founded_on, r.joined_on)
            if r.start_on < branch.founded_on:
                ctx.error(
                    SHEET,
                    r.row,
                    "进入本支部日期",
                    _("早于党支部“%(name)s”的成立日期（%(date)s）") % {"name": branch.name, "date": branch.founded_on},
                )
        if r.group_name and branch is not None:
            _check_group(ctx, r, branch)
        ref = MemberRef(
            r.id_number,
            r.name,
            r.category,
            r.joined_on,
            r.full_member_on,
            r.branch_name,
            r.start_on,
            row=r.row,
            group_name=r.group_name,
        )
        member = existing.get(r.id_number)
        if member is not None:
            diff = _differences(member, r)
            if diff:
                ctx.error(
                    SHEET,
                    r.row,
                    diff[0],
                    _(
                        "公民身份号码为%(id)s的党员（%(name)s）已存在，且表中的%(fields)s与系统中不同；"
                        "导入不会覆盖已有数据，请在党员页面修改"
                    )
                    % {"id": mask_id_number(r.id_number), "name": member.name, "fields": "、".join(diff)},
                )
            ref.db = member
        ctx.members[r.id_number] = ref


def check_failed_members(ctx: ImportContext, failed: list[RowErrors]) -> None:
    """The branch and group named by rows that failed to parse (when those cells were readable)."""
    rows = [f.partial for f in failed]
    ctx.load_units({r.branch_name for r in rows} | {r.group_name for r in rows})
    for f in failed:
        r = f.partial
        if not r.branch_name or "所在党支部" in f.columns:
            continue
        branch = _check_branch(ctx, r)
        if branch is not None and r.group_name and "所在党小组" not in f.columns:
            _check_group(ctx, r, branch)


def _check_branch(ctx: ImportContext, r: MemberRow):
    branch = ctx.branch_in_cell(SHEET, r.row, "所在党支部", r.branch_name)
    if branch is None:
        return None
    if branch.dissolved_on:
        ctx.error(
            SHEET,
            r.row,
            "所在党支部",
            _("党支部“%(name)s”已于%(date)s撤销") % {"name": r.branch_name, "date": branch.dissolved_on},
        )
        return None
    return branch


def _check_group(ctx: ImportContext, r: MemberRow, branch) -> None:
    group = ctx.unit_in_cell(
        SHEET,
        r.row,
        "所在党小组",
        r.group_name,
        (UnitKind.PARTY_GROUP,),
        missing=_("党小组“%(name)s”不存在（表中和系统中都没有）"),
        wrong=_("“%(name)s”不是党小组"),
    )
    if group is None:
        return
    if group.parent_name != branch.name:
        ctx.error(
            SHEET,
            r.row,
            "所在党小组",
            _("党小组“%(group)s”不属于党支部“%(branch)s”") % {"group": r.group_name, "branch": branch.name},
        )
    elif group.dissolved_on:
        ctx.error(
            SHEET,
            r.row,
            "所在党小组",
            _("党小组“%(name)s”已于%(date)s撤销") % {"name": r.group_name, "date": group.dissolved_on},
        )


def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def write_members(ctx: ImportContext, rows: list[MemberRow]) -> None:
    outcome = ctx.outcome("members")
    for r in rows:
        ref = ctx.members[r.id_number]
        branch = ctx.unit_obj(r.branch_name)
        ctx.touched_paths.add(branch.path)
        if ref.db is not None:
            outcome.present += 1
            continue
        member = Member.objects.create(
            name=r.name,
            name_initials=initials(r.name),
            gender=r.gender,
            ethnicity=r.ethnicity,
            birth_date=r.birth_date,
            id_number=r.id_number,
            education=r.education,
            category=r.category,
            joined_on=r.joined_on,
            full_member_on=r.full_member_on,
            phone=r.phone,
            department=r.department,
            post=r.post,
        )
        BranchMembership.objects.create(member=member, unit=branch, start_on=r.start_on)
        if r.group_name:
            group = ctx.unit_obj(r.group_name)
            GroupMembership.objects.create(member=member, unit=group, start_on=max(r.start_on, group.founded_on))
        ref.db = member
        log_action(
            "members.member.imported",
            actor=ctx.actor,
            obj=member,
            unit=branch,
            data={"sheet": SHEET, "row": r.row, "branch": r.branch_name, "group": r.group_name},
        )
        outcome.added += 1


MEMBERS = register(
    SheetSpec(
        name=SHEET,
        key="members",
        label=gettext_lazy("党员"),
        description=gettext_lazy("党员名册，每行一名党员；已在系统中的党员（按公民身份号码）信息须一致。"),
        key_column="公民身份号码",
        columns=(
            Column("姓名", required=True, help=gettext_lazy("党员姓名"), width=10, example="张三"),
            Column(
                "性别",
                required=True,
                help=gettext_lazy("男或女，须与公民身份号码一致"),
                choices=tuple(GENDER_BY_LABEL),
                width=6,
                example="男",
            ),
            Column("民族", help=gettext_lazy("如“汉族”；留空按汉族"), width=8, example="汉族"),
            Column(
                "出生日期",
                required=True,
                help=gettext_lazy("须与公民身份号码中的出生日期一致"),
                is_date=True,
                example="1985-03-12",
            ),
            Column(
                "公民身份号码",
                required=True,
                help=gettext_lazy("18位，最后一位可为X；设置为文本格式以免被改成科学计数法"),
                width=22,
                example=EXAMPLE_ID,
            ),
            Column(
                "学历",
                help=gettext_lazy("研究生、大学本科、大学专科、中专、高中、初中及以下"),
                choices=tuple(EDUCATION_BY_LABEL),
                width=12,
                example="大学本科",
            ),
            Column(
                "人员类别",
                required=True,
                help=gettext_lazy("正式党员或预备党员"),
                choices=tuple(CATEGORY_BY_LABEL),
                width=10,
                example="正式党员",
            ),
            Column(
                "入党日期",
                required=True,
                help=gettext_lazy("晚于出生日期且年满十八周岁"),
                is_date=True,
                example="2008-07-01",
            ),
            Column(
                "转正日期",
                help=gettext_lazy("正式党员必填，须晚于入党日期；预备党员留空"),
                is_date=True,
                example="2009-07-01",
            ),
            Column(
                "所在党支部",
                required=True,
                help=gettext_lazy("党支部名称（组织表中或系统中已有）"),
                width=20,
                example="第一党支部",
            ),
            Column(
                "所在党小组", help=gettext_lazy("党小组名称，须属于所在党支部；可留空"), width=20, example="第一党小组"
            ),
            Column(
                "进入本支部日期",
                help=gettext_lazy("留空时取党支部成立日期与入党日期中较晚者"),
                is_date=True,
                width=16,
                example="",
            ),
            Column("手机号码", help=gettext_lazy("11位手机号码，可留空"), width=14, example="13800001234"),
            Column("工作部门", help=gettext_lazy("所在工作部门"), width=14, example="办公室"),
            Column("职务", help=gettext_lazy("行政职务"), width=12, example="科员"),
        ),
        order=20,
        parse_row=parse_member_row,
        check=check_members,
        check_failed=check_failed_members,
        write=write_members,
    )
)
