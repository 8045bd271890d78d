"""What the sheets of one import share: the units and members named so far, errors, outcomes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ledger.sheets.base import RowError, SheetOutcome
from organizations.models import PATH_STEP, Unit, UnitKind


@dataclass
class UnitRef:
    """A unit named by the workbook: planned from a 组织 row, or already in the database."""

    name: str
    kind: str
    parent_name: str
    founded_on: datetime.date
    dissolved_on: datetime.date | None
    row: int | None = None  # the 组织 row that plans it (None: only in the database)
    db: object = None  # the saved Unit, once it exists
    in_scope: bool = True


@dataclass
class MemberRef:
    """A member named by the workbook (a 党员 row) or found in the database by ID number."""

    id_number: str
    name: str
    category: str
    joined_on: datetime.date
    full_member_on: datetime.date | None
    branch_name: str = ""
    entered_on: datetime.date | None = None
    row: int | None = None
    db: object = None
    group_name: str = ""  # the 党小组 a 党员 row puts the member in (from ``entered_on`` on)


@dataclass
class ImportContext:
    actor: object
    # Paths the actor may import into; None means unrestricted (the command line).
    scope_paths: list[str] | None = None
    today: datetime.date = field(default_factory=timezone.localdate)
    errors: list[RowError] = field(default_factory=list)
    # Sheet name -> key-column texts of rows that failed to parse (not reported twice).
    broken: dict[str, set[str]] = field(default_factory=dict)
    units: dict[str, UnitRef] = field(default_factory=dict)
    members: dict[str, MemberRef] = field(default_factory=dict)
    outcomes: dict[str, SheetOutcome] = field(default_factory=dict)
    _db_units_loaded: set[str] = field(default_factory=set)
    touched_paths: set[str] = field(default_factory=set)
    # What a sheet's check planned for its writer (e.g. the terms grouped from 支委 rows).
    plans: dict[str, object] = field(default_factory=dict)

    def error(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, reason))

    def is_broken(self, sheet: str, key: str) -> bool:
        return key in self.broken.get(sheet, set())

    def outcome(self, key: str) -> SheetOutcome:
        return self.outcomes.setdefault(key, SheetOutcome())

    # Units -----------------------------------------------------------------------------------

    def in_scope(self, unit) -> bool:
        return self.scope_paths is None or any(unit.path.startswith(p) for p in self.scope_paths)

    def load_units(self, names) -> None:
        """Fetch, in one query, the database units among ``names`` not looked up yet."""
        wanted = {n for n in names if n and n not in self._db_units_loaded}
        if not wanted:
            return
        self._db_units_loaded |= wanted
        for unit in Unit.objects.filter(name__in=wanted).select_related("parent"):
            ref = UnitRef(
                name=unit.name,
                kind=unit.kind,
                parent_name=unit.parent.name if unit.parent_id else "",
                founded_on=unit.founded_on,
                dissolved_on=unit.dissolved_on,
                db=unit,
                in_scope=self.in_scope(unit) and not unit.is_archived,
            )
            existing = self.units.get(unit.name)
            if existing is None:
                self.units[unit.name] = ref
            else:  # planned by a 组织 row and also in the database: remember the saved one
                existing.db = unit
                existing.in_scope = ref.in_scope

    def unit(self, name: str) -> UnitRef | None:
        """A unit usable as a reference: planned in the workbook or in the database and in scope."""
        self.load_units([name])
        ref = self.units.get(name)
        if ref is None or not ref.in_scope:
            return None
        return ref

    def unit_in_cell(
        self, sheet: str, row: int | None, column: str, name: str, kinds, *, missing: str, wrong: str
    ) -> UnitRef | None:
        """The unit a cell names, if it is one of ``kinds``; otherwise the cell's error — ``missing``
        or ``wrong`` (each naming ``%(name)s``) — and None. None, and no error, when the 组织 row
        of that name is broken (its own error says why)."""
        if self.is_broken("组织", name):
            return None
        unit = self.unit(name)
        if unit is None or unit.kind not in kinds:
            self.error(sheet, row, column, (missing if unit is None else wrong) % {"name": name})
            return None
        return unit

    def branch_in_cell(self, sheet: str, row: int | None, column: str, name: str) -> UnitRef | None:
        """``unit_in_cell`` for a cell that names a 党支部."""
        return self.unit_in_cell(
            sheet,
            row,
            column,
            name,
            (UnitKind.BRANCH,),
            missing=_("党支部“%(name)s”不存在（表中和系统中都没有）"),
            wrong=_("“%(name)s”不是党支部"),
        )

    def unit_obj(self, name: str):
        return self.units[name].db

    def common_unit(self):
        """The lowest unit above everything this import touched (for the summary entry)."""
        paths = sorted(self.touched_paths)
        if not paths:
            return None
        prefix = paths[0]
        for p in paths[1:]:
            while not p.startswith(prefix):
                prefix = prefix[:-PATH_STEP]
        if not prefix:
            return None
        return Unit.objects.filter(path=prefix).first()
