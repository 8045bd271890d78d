"""Sheet 支委: elected branch committees, one row per seat; rows of one 党支部 + 届次 form a term."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Approval, CommitteeRole, CommitteeTerm, TermMember, TermStatus, TermStatusChange
from committees.rules import composition_errors
from common.audit import log_action
from common.masking import mask_id_number
from ledger.sheets.base import Column, Row, RowErrors, SheetSpec, register
from ledger.sheets.context import ImportContext
from ledger.sheets.members import EXAMPLE_ID
from members.idnumbers import IdNumberError, check_id_number, normalize
from members.models import Member

SHEET = "支委"
ROLE_BY_LABEL = {str(label): value for value, label in CommitteeRole.choices}
APPROVED = (TermStatus.CURRENT, TermStatus.ENDED)


@dataclass
class SeatRow:
    row: int
    branch_name: str
    number: int
    elected_on: datetime.date
    term_years: int | None
    doc_number: str
    approved_on: datetime.date | None
    name: str
    id_number: str
    role: str


@dataclass
class PlannedTerm:
    branch_name: str
    number: int
    first: SeatRow
    seats: list[SeatRow] = field(default_factory=list)
    existing: CommitteeTerm | None = None
    status: str = TermStatus.SUBMITTED
    ended_on: datetime.date | None = None

    @property
    def approved(self) -> bool:
        return bool(self.first.doc_number)


def parse_seat_row(row: Row):
    branch_name = row.text("党支部", required=True)
    number = row.integer("届次", required=True, maximum=999)
    elected_on = row.date("选举日期", required=True)
    term_years = row.integer("任期(年)", maximum=5)
    doc_number = row.text("批复文号", max_length=100)
    approved_on = row.date("批复日期")
    name = row.text("姓名", required=True, max_length=50)
    raw_id = row.text("公民身份号码", required=True)
    id_number = normalize(raw_id)
    if raw_id:
        try:
            id_number = check_id_number(raw_id)
        except IdNumberError as exc:
            row.error("公民身份号码", str(exc))
    role = row.choice("职务", ROLE_BY_LABEL, required=True)
    today = timezone.localdate()
    if elected_on and elected_on > today:
        row.error("选举日期", _("选举日期晚于今天"))
    if bool(doc_number) != bool(approved_on) and not any(e.column == "批复日期" for e in row.errors):
        if doc_number:
            row.error("批复日期", _("填写了批复文号，也须填写批复日期"))
        else:
            row.error("批复文号", _("填写了批复日期，也须填写批复文号"))
    if approved_on and elected_on and approved_on < elected_on:
        row.error("批复日期", _("批复日期早于选举日期（%(date)s）") % {"date": elected_on})
    if approved_on and approved_on > today:
        row.error("批复日期", _("批复日期晚于今天"))
    return row.result(
        SeatRow(row.number, branch_name, number, elected_on, term_years, doc_number, approved_on, name, id_number, role)
    )


def _full_on(category: str, full_member_on, day: datetime.date) -> bool:
    return category == "full" and (full_member_on is None or full_member_on <= day)


def _group_terms(ctx: ImportContext, rows: list[SeatRow]) -> dict[tuple[str, int], PlannedTerm]:
    terms: dict[tuple[str, int], PlannedTerm] = {}
    for r in rows:
        term = terms.get((r.branch_name, r.number))
        if term is None:
            terms[(r.branch_name, r.number)] = PlannedTerm(r.branch_name, r.number, r, [r])
            continue
        term.seats.append(r)
        first = term.first
        for header, mine, theirs in (
            ("选举日期", r.elected_on, first.elected_on),
            ("任期(年)", r.term_years, first.term_years),
            ("批复文号", r.doc_number, first.doc_number),
            ("批复日期", r.approved_on, first.approved_on),
        ):
            if mine != theirs:
                ctx.error(
                    SHEET,
                    r.row,
                    header,
                    _("同一届次（%(branch)s第%(number)s届）的%(header)s应与第%(row)s行相同")
                    % {"branch": r.branch_name, "number": r.number, "header": header, "row": first.row},
                )
    return terms


def check_terms(ctx: ImportContext, rows: list[SeatRow]) -> None:
    ctx.load_units({r.branch_name for r in rows})
    terms = _group_terms(ctx, rows)
    branches = {}
    for (branch_name, _number), term in terms.items():
        branch = ctx.branch_in_cell(SHEET, term.first.row, "党支部", branch_name)
        if branch is not None:
            branches[branch_name] = branch
            if term.first.elected_on < branch.founded_on:
                ctx.error(
                    SHEET,
                    term.first.row,
                    "选举日期",
                    _("早于党支部“%(name)s”的成立日期（%(date)s）") % {"name": branch_name, "date": branch.founded_on},
                )
            if branch.dissolved_on and term.first.elected_on >= branch.dissolved_on:
                ctx.error(
                    SHEET,
                    term.first.row,
                    "选举日期",
                    _("党支部“%(name)s”已于%(date)s撤销") % {"name": branch_name, "date": branch.dissolved_on},
                )
    db_members = _db_members(ctx, rows)
    db_terms = _db_terms(ctx, branches)
    for key, term in terms.items():
        if term.branch_name not in branches:
            continue
        _check_seats(ctx, term, db_members)
        existing = db_terms.get(key)
        if existing is not None:
            term.existing = existing
            _compare_existing(ctx, term)
    _check_order_and_status(ctx, terms, branches, db_terms)
    for term in terms.values():
        if term.branch_name in branches and term.existing is None:
            full = _full_member_count(ctx, branches[term.branch_name], term.first.elected_on)
            for message in composition_errors(full, [s.role for s in term.seats]):
                ctx.error(SHEET, term.first.row, "职务", message)
    ctx.plans["terms"] = terms


def check_failed_seats(ctx: ImportContext, failed: list[RowErrors]) -> None:
    """The branch named by rows that failed to parse (when that cell was readable)."""
    rows = [f.partial for f in failed if f.partial.branch_name and "党支部" not in f.columns]
    ctx.load_units({r.branch_name for r in rows})
    for r in rows:
        ctx.branch_in_cell(SHEET, r.row, "党支部", r.branch_name)


def _db_members(ctx: ImportContext, rows: list[SeatRow]) -> dict[str, Member]:
    wanted = {r.id_number for r in rows} - {i for i, m in ctx.members.items() if m.db is None}
    return {m.id_number: m for m in Member.objects.with_id_numbers(wanted).prefetch_related("branch_memberships")}


def _db_terms(ctx: ImportContext, branches) -> dict[tuple[str, int], CommitteeTerm]:
    units = [b.db for b in branches.values() if b.db is not None]
    out = {}
    for term in (
        CommitteeTerm.objects.filter(unit__in=units)
        .select_related("unit", "approval")
        .prefetch_related("seats__member")
    ):
        out[(term.unit.name, term.number)] = term
    return out


def _check_seats(ctx: ImportContext, term: PlannedTerm, db_members: dict[str, Member]) -> None:
    day = term.first.elected_on
    seen: dict[str, int] = {}
    db_branch = ctx.units[term.branch_name].db
    for s in term.seats:
        if s.id_number in seen:
            ctx.error(
                SHEET,
                s.row,
                "公民身份号码",
                _("此人已在同一届次的第%(row)s行出现，每人只能担任一个职务") % {"row": seen[s.id_number]},
            )
            continue
        seen[s.id_number] = s.row
        if ctx.is_broken("党员", s.id_number):
            continue
        planned = ctx.members.get(s.id_number)
        member = db_members.get(s.id_number)
        if planned is not None:
            name, category, full_on = planned.name, planned.category, planned.full_member_on
            belonged = planned.branch_name == term.branch_name and planned.entered_on and planned.entered_on <= day
            if planned.db is not None and not belonged and db_branch is not None:
                belonged = _belonged(planned.db, db_branch, day)
        elif member is not None:
            name, category, full_on = member.name, member.category, member.full_member_on
            belonged = db_branch is not None and _belonged(member, db_branch, day)
        else:
            ctx.error(
                SHEET,
                s.row,
                "公民身份号码",
                _("没有公民身份号码为%(id)s的党员（党员表中和系统中都没有）") % {"id": mask_id_number(s.id_number)},
            )
            continue
        if name != s.name:
            ctx.error(SHEET, s.row, "姓名", _("与公民身份号码对应的党员姓名“%(name)s”不一致") % {"name": name})
            continue
        if not belonged:
            ctx.error(
                SHEET,
                s.row,
                "姓名",
                _("%(name)s在选举日期%(date)s不是党支部“%(branch)s”的党员")
                % {"name": s.name, "date": day, "branch": term.branch_name},
            )
        elif not _full_on(category, full_on, day):
            ctx.error(
                SHEET, s.row, "姓名", _("%(name)s在选举日期不是正式党员，预备党员没有被选举权") % {"name": s.name}
            )


def _belonged(member: Member, branch, day: datetime.date) -> bool:
    return any(m.unit_id == branch.pk and m.is_current_on(day) for m in member.branch_memberships.all())


def _compare_existing(ctx: ImportContext, term: PlannedTerm) -> None:
    old = term.existing
    first = term.first
    approval = getattr(old, "approval", None)
    pairs = [
        ("选举日期", old.elected_on, first.elected_on),
        ("任期(年)", old.term_years, first.term_years or old.term_years),
        ("批复文号", approval.doc_number if approval else "", first.doc_number),
        ("批复日期", approval.approved_on if approval else None, first.approved_on),
        (
            "职务",
            sorted((s.member.id_number, s.role) for s in old.seats.all()),
            sorted((s.id_number, s.role) for s in term.seats),
        ),
    ]
    diff = [header for header, a, b in pairs if a != b]
    if diff:
        ctx.error(
            SHEET,
            first.row,
            diff[0],
            _("%(term)s已存在，且表中的%(fields)s与系统中不同；导入不会覆盖已有数据，请在支委会页面修改")
            % {"term": old, "fields": "、".join(diff)},
        )


def _check_order_and_status(ctx, terms, branches, db_terms) -> None:
    """Election dates rise with the 届次; the latest approved term is current, earlier ones ended."""
    by_branch: dict[str, dict[int, tuple[datetime.date, bool, object]]] = defaultdict(dict)
    for (branch_name, number), old in db_terms.items():
        by_branch[branch_name][number] = (old.elected_on, old.status in APPROVED, old)
    for (branch_name, number), term in terms.items():
        if branch_name in branches and term.existing is None:
            by_branch[branch_name][number] = (term.first.elected_on, term.approved, term)
    for numbers in by_branch.values():
        ordered = sorted(numbers.items())
        for (_n1, (d1, _a1, _t1)), (_n2, (d2, _a2, t2)) in zip(ordered, ordered[1:], strict=False):
            if isinstance(t2, PlannedTerm) and d2 <= d1:
                ctx.error(
                    SHEET,
                    t2.first.row,
                    "选举日期",
                    _("应晚于上一届（第%(n)s届）的选举日期%(date)s") % {"n": _n1, "date": d1},
                )
        approved = [(n, d, t) for n, (d, a, t) in ordered if a]
        latest = approved[-1][0] if approved else None
        for i, (n, _d, t) in enumerate(approved):
            if isinstance(t, PlannedTerm):
                t.status = TermStatus.CURRENT if n == latest else TermStatus.ENDED
                t.ended_on = approved[i + 1][1] if n != latest else None
        pending = [t for n, (d, a, t) in ordered if not a and (not isinstance(t, CommitteeTerm) or not t.is_archived)]
        for t in pending:
            if not isinstance(t, PlannedTerm):
                continue
            if latest is not None and t.number < latest:
                ctx.error(
                    SHEET,
                    t.first.row,
                    "批复文号",
                    _("第%(latest)s届已批复，更早的第%(n)s届须填写批复文号和批复日期")
                    % {"latest": latest, "n": t.number},
                )
            elif len(pending) > 1:
                ctx.error(
                    SHEET,
                    t.first.row,
                    "批复文号",
                    _("一个党支部只能有一个待批复的届次，请为已批复的届次填写批复文号和批复日期"),
                )


def _full_member_count(ctx: ImportContext, branch, day: datetime.date) -> int:
    ids = set()
    if branch.db is not None:
        rows = (
            Member.objects.active()
            .in_unit_on(branch.db, day)
            .values_list("id_number", "category", "full_member_on")
            .distinct()
        )
        ids |= {i for i, category, full_on in rows if _full_on(category, full_on, day)}
    for ref in ctx.members.values():
        if (
            ref.branch_name == branch.name
            and ref.entered_on
            and ref.entered_on <= day
            and _full_on(ref.category, ref.full_member_on, day)
        ):
            ids.add(ref.id_number)
    return len(ids)


def write_terms(ctx: ImportContext, rows: list[SeatRow]) -> None:
    outcome = ctx.outcome("terms")
    terms = sorted(ctx.plans["terms"].values(), key=lambda t: (t.branch_name, t.number))
    members = {m.id_number: m for m in Member.objects.with_id_numbers({r.id_number for r in rows})}
    for term in terms:
        branch = ctx.unit_obj(term.branch_name)
        ctx.touched_paths.add(branch.path)
        if term.existing is not None:
            outcome.present += 1
            continue
        if term.status == TermStatus.CURRENT:
            _end_previous(ctx, branch, term)
        first = term.first
        new = CommitteeTerm.objects.create(
            unit=branch,
            number=term.number,
            elected_on=first.elected_on,
            term_years=first.term_years or branch.term_years,
            status=term.status,
            ended_on=term.ended_on,
        )
        if term.approved:
            Approval.objects.create(term=new, doc_number=first.doc_number, approved_on=first.approved_on)
        TermMember.objects.bulk_create(
            [
                TermMember(term=new, member=members[s.id_number], role=s.role, sort_order=i)
                for i, s in enumerate(term.seats, start=1)
            ]
        )
        TermStatusChange.objects.create(
            term=new, from_status="", to_status=term.status, reason=_("台账导入"), actor=_user(ctx.actor)
        )
        log_action(
            "committees.term.imported",
            actor=ctx.actor,
            obj=new,
            unit=branch,
            data={
                "sheet": SHEET,
                "row": first.row,
                "status": TermStatus(term.status).label,
                "doc_number": first.doc_number,
                "seats": "、".join(f"{s.name}（{CommitteeRole(s.role).label}）" for s in term.seats),
            },
        )
        outcome.added += 1


def _end_previous(ctx: ImportContext, branch, term: PlannedTerm) -> None:
    """A newly imported current term ends the branch's current one, as an approval would."""
    previous = CommitteeTerm.objects.filter(unit=branch, status=TermStatus.CURRENT).first()
    if previous is None:
        return
    previous.status = TermStatus.ENDED
    previous.ended_on = term.first.elected_on
    previous.version += 1
    previous.save(update_fields=["status", "ended_on", "version", "updated_at"])
    TermStatusChange.objects.create(
        term=previous,
        from_status=TermStatus.CURRENT,
        to_status=TermStatus.ENDED,
        reason=_("台账导入了第%(n)s届") % {"n": term.number},
        actor=_user(ctx.actor),
    )
    log_action(
        "committees.term.ended",
        actor=ctx.actor,
        obj=previous,
        unit=branch,
        changes={"status": [TermStatus.CURRENT.label, TermStatus.ENDED.label], "ended_on": [None, previous.ended_on]},
        data={"successor": _("第%(n)s届") % {"n": term.number}},
    )


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


TERMS = register(
    SheetSpec(
        name=SHEET,
        key="terms",
        label=gettext_lazy("支委会届次"),
        description=gettext_lazy(
            "支部委员会届次，每行一个当选人员；同一党支部、同一届次的各行组成一届。"
            "填写批复文号和批复日期的届次按已批复导入（最新一届为现任，之前的为已届满），否则为待批复。"
        ),
        key_column="",
        columns=(
            Column(
                "党支部",
                required=True,
                help=gettext_lazy("党支部名称（组织表中或系统中已有）"),
                width=20,
                example="第一党支部",
            ),
            Column("届次", required=True, help=gettext_lazy("第几届，填数字，如 3"), width=8, example="3"),
            Column(
                "选举日期", required=True, help=gettext_lazy("同一届次各行相同"), is_date=True, example="2024-03-15"
            ),
            Column("任期(年)", help=gettext_lazy("1至5年；留空按党支部的默认任期"), width=10, example="3"),
            Column(
                "批复文号",
                help=gettext_lazy("上级党委批复的文号；与批复日期同时填写"),
                width=18,
                example="机党字〔2024〕5号",
            ),
            Column("批复日期", help=gettext_lazy("不早于选举日期"), is_date=True, example="2024-03-28"),
            Column(
                "姓名",
                required=True,
                help=gettext_lazy("当选人员姓名，须与党员表或系统中一致"),
                width=10,
                example="张三",
            ),
            Column(
                "公民身份号码",
                required=True,
                help=gettext_lazy("当选人员的公民身份号码，须为党员表中或系统中已有的党员"),
                width=22,
                example=EXAMPLE_ID,
            ),
            Column(
                "职务",
                required=True,
                help=gettext_lazy("书记、副书记、组织委员、宣传委员、纪检委员或委员"),
                choices=tuple(ROLE_BY_LABEL),
                width=12,
                example="书记",
            ),
        ),
        order=30,
        parse_row=parse_seat_row,
        check=check_terms,
        check_failed=check_failed_seats,
        write=write_terms,
    )
)
