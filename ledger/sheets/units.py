"""Sheet 组织: the organisation tree (机关党委 → 党总支 → 党支部 → 党小组)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.audit import log_action
from ledger.sheets.base import Column, Row, RowErrors, SheetSpec, register
from ledger.sheets.context import ImportContext, UnitRef
from organizations.models import ALLOWED_PARENT_KINDS, DEFAULT_TERM_YEARS, Unit, UnitKind

SHEET = "组织"
KIND_BY_LABEL = {
    "机关党委": UnitKind.COMMITTEE,
    "党总支": UnitKind.GENERAL_BRANCH,
    "党支部": UnitKind.BRANCH,
    "党小组": UnitKind.PARTY_GROUP,
}
LABEL_BY_KIND = {v: k for k, v in KIND_BY_LABEL.items()}


@dataclass
class UnitRow:
    row: int
    name: str
    kind: str
    parent_name: str
    founded_on: object
    dissolved_on: object


def parse_unit_row(row: Row):
    name = row.text("名称", required=True, max_length=100)
    kind = row.choice("类型", KIND_BY_LABEL, required=True)
    parent_name = row.text("上级", max_length=100)
    founded_on = row.date("成立日期", required=True)
    dissolved_on = row.date("撤销日期")
    return row.result(UnitRow(row.number, name, kind, parent_name, founded_on, dissolved_on))


def _differences(ref: UnitRef, r: UnitRow) -> list[str]:
    pairs = [
        ("类型", ref.kind, r.kind),
        ("上级", ref.parent_name, r.parent_name),
        ("成立日期", ref.founded_on, r.founded_on),
        ("撤销日期", ref.dissolved_on, r.dissolved_on),
    ]
    return [header for header, old, new in pairs if old != new]


def check_units(ctx: ImportContext, rows: list[UnitRow]) -> None:
    ctx.load_units([r.name for r in rows] + [r.parent_name for r in rows])
    seen: dict[str, int] = {}
    planned: list[UnitRow] = []
    for r in rows:
        if r.name in seen:
            ctx.error(SHEET, r.row, "名称", _("与第%(row)s行重名，组织名称不能重复") % {"row": seen[r.name]})
            continue
        seen[r.name] = r.row
        ref = ctx.units.get(r.name)
        if ref is not None and ref.db is not None:
            if not ref.in_scope:
                ctx.error(SHEET, r.row, "名称", _("已有同名组织“%(name)s”，且不在您的管理范围内") % {"name": r.name})
                continue
            diff = _differences(ref, r)
            if diff:
                ctx.error(
                    SHEET,
                    r.row,
                    diff[0],
                    _("组织“%(name)s”已存在，且表中的%(fields)s与系统中不同；导入不会覆盖已有数据，请在组织页面修改")
                    % {"name": r.name, "fields": "、".join(diff)},
                )
            ref.row = r.row
            continue
        ctx.units[r.name] = UnitRef(r.name, r.kind, r.parent_name, r.founded_on, r.dissolved_on, row=r.row)
        planned.append(r)

    for r in planned:
        if r.dissolved_on and r.dissolved_on < r.founded_on:
            ctx.error(SHEET, r.row, "撤销日期", _("撤销日期早于成立日期（%(date)s）") % {"date": r.founded_on})
        if r.founded_on > ctx.today:
            ctx.error(SHEET, r.row, "成立日期", _("成立日期晚于今天"))
        if r.dissolved_on and r.dissolved_on > ctx.today:
            ctx.error(SHEET, r.row, "撤销日期", _("撤销日期晚于今天"))
        if not r.parent_name:
            if r.kind != UnitKind.COMMITTEE:
                ctx.error(SHEET, r.row, "上级", _("%(kind)s必须填写上级组织") % {"kind": LABEL_BY_KIND[r.kind]})
            elif ctx.scope_paths is not None:
                ctx.error(SHEET, r.row, "上级", _("新建顶级机关党委只能通过命令行导入，请填写上级组织"))
            continue
        if r.parent_name == r.name:
            ctx.error(SHEET, r.row, "上级", _("上级不能是组织本身"))
            continue
        if ctx.is_broken(SHEET, r.parent_name):
            continue
        parent = ctx.unit(r.parent_name)
        if parent is None:
            ctx.error(
                SHEET, r.row, "上级", _("上级组织“%(name)s”不存在（表中和系统中都没有）") % {"name": r.parent_name}
            )
            continue
        if parent.kind not in ALLOWED_PARENT_KINDS[UnitKind(r.kind)]:
            ctx.error(
                SHEET,
                r.row,
                "上级",
                _("%(kind)s不能设在%(parent_kind)s“%(parent)s”之下")
                % {"kind": LABEL_BY_KIND[r.kind], "parent_kind": LABEL_BY_KIND[parent.kind], "parent": parent.name},
            )
        if r.founded_on < parent.founded_on:
            ctx.error(
                SHEET,
                r.row,
                "成立日期",
                _("成立日期早于上级组织“%(parent)s”的成立日期（%(date)s）")
                % {"parent": parent.name, "date": parent.founded_on},
            )
        if parent.dissolved_on and r.founded_on >= parent.dissolved_on:
            ctx.error(
                SHEET,
                r.row,
                "成立日期",
                _("上级组织“%(parent)s”已于%(date)s撤销") % {"parent": parent.name, "date": parent.dissolved_on},
            )
    _check_cycles(ctx, planned)


def _check_cycles(ctx: ImportContext, planned: list[UnitRow]) -> None:
    for r in planned:
        seen = {r.name}
        name = r.parent_name
        while name:
            ref = ctx.units.get(name)
            if ref is None or ref.db is not None:
                break
            if name in seen:
                ctx.error(SHEET, r.row, "上级", _("上级关系形成了循环（%(name)s）") % {"name": name})
                break
            seen.add(name)
            name = ref.parent_name


def check_failed_units(ctx: ImportContext, failed: list[RowErrors]) -> None:
    """The parent named by rows that failed to parse (when that cell was readable)."""
    rows = [f.partial for f in failed if f.partial.parent_name and "上级" not in f.columns]
    ctx.load_units({r.parent_name for r in rows})
    for r in rows:
        if r.parent_name != r.name and not ctx.is_broken(SHEET, r.parent_name) and ctx.unit(r.parent_name) is None:
            ctx.error(
                SHEET, r.row, "上级", _("上级组织“%(name)s”不存在（表中和系统中都没有）") % {"name": r.parent_name}
            )


def write_units(ctx: ImportContext, rows: list[UnitRow]) -> None:
    outcome = ctx.outcome("units")
    pending = {r.name: r for r in rows if ctx.units[r.name].db is None}
    outcome.present = len(rows) - len(pending)
    for r in rows:
        if r.name not in pending and ctx.units[r.name].db is not None:
            ctx.touched_paths.add(ctx.units[r.name].db.path)
    # Parents first: a unit is created once the unit above it exists.
    while pending:
        ready = [r for r in pending.values() if not r.parent_name or ctx.units[r.parent_name].db is not None]
        for r in sorted(ready, key=lambda r: r.row):
            unit = Unit(
                name=r.name,
                kind=r.kind,
                parent=ctx.units[r.parent_name].db if r.parent_name else None,
                founded_on=r.founded_on,
                dissolved_on=r.dissolved_on,
                term_years=DEFAULT_TERM_YEARS[UnitKind(r.kind)],
            )
            unit.save()
            ctx.units[r.name].db = unit
            ctx.touched_paths.add(unit.path)
            log_action(
                "organizations.unit.imported",
                actor=ctx.actor,
                obj=unit,
                unit=unit,
                data={"sheet": SHEET, "row": r.row, "kind": LABEL_BY_KIND[r.kind], "parent": r.parent_name},
            )
            outcome.added += 1
            del pending[r.name]


UNITS = register(
    SheetSpec(
        name=SHEET,
        key="units",
        label=gettext_lazy("组织"),
        description=gettext_lazy("组织树：机关党委、党总支、党支部、党小组，每行一个组织。"),
        key_column="名称",
        columns=(
            Column(
                "名称",
                required=True,
                help=gettext_lazy("组织全称，全系统唯一，如“第一党支部”"),
                width=24,
                example="第一党支部",
            ),
            Column(
                "类型",
                required=True,
                help=gettext_lazy("机关党委、党总支、党支部或党小组"),
                choices=tuple(KIND_BY_LABEL),
                width=12,
                example="党支部",
            ),
            Column(
                "上级",
                required=True,
                help=gettext_lazy("上级组织的名称（本表中或系统中已有）；只有顶级机关党委可留空"),
                width=24,
                example="某某机关党委",
            ),
            Column(
                "成立日期",
                required=True,
                help=gettext_lazy("Excel 日期或 YYYY-MM-DD"),
                is_date=True,
                example="2020-06-01",
            ),
            Column("撤销日期", help=gettext_lazy("已撤销的组织填写，否则留空"), is_date=True, example=""),
        ),
        order=10,
        parse_row=parse_unit_row,
        check=check_units,
        check_failed=check_failed_units,
        write=write_units,
    )
)
