"""The sheet registry: what each worksheet of the ledger workbook holds and how it is stored.

A sheet spec names the worksheet, its ordered columns (required or optional), a row parser that
turns one Excel row into a typed row (or a list of errors), a cross-row check that sees the whole
workbook, and a writer that stores the checked rows. Sheets are processed by their ``order``,
so a sheet may rely on the ones with a smaller order (党员 rows name units from 组织). Other apps
add their sheets with ``register(...)`` from their AppConfig.ready().
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One reason a workbook is refused. ``row`` is the row number as Excel shows it."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self):
        where = []
        if self.sheet:
            where.append(_("工作表“%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("第%(row)s行") % {"row": self.row})
        if self.column:
            where.append(_("“%(column)s”列") % {"column": self.column})
        return ("".join(where) + "：" if where else "") + self.reason


class RowErrors(list):
    """The errors of a row that failed to parse, with the row as far as it could be read
    (``partial``; ``None`` in a field whose cell was wrong), so that the checks against other
    rows and sheets can still report what else is wrong with it."""

    def __init__(self, errors, partial=None):
        super().__init__(errors)
        self.partial = partial

    @property
    def columns(self) -> set[str]:
        return {e.column for e in self}


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False  # the column must be present in the sheet
    help: str = ""  # shown in the template's 说明 sheet
    choices: tuple[str, ...] = ()  # allowed values (dropdown in the template)
    width: int = 14
    example: str = ""
    is_date: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str  # the worksheet's title, e.g. "组织"
    key: str  # short code used in results, e.g. "units"
    label: str  # what the rows are, for summaries, e.g. "组织"
    columns: tuple[Column, ...]
    parse_row: Callable[[Row], object]  # returns the typed row, or a list of RowError
    check: Callable[[object, list], None]  # (ImportContext, typed rows): cross-row checks
    write: Callable[[object, list], None]  # (ImportContext, typed rows): store, inside the transaction
    # The column identifying a row (its text is remembered when the row fails to parse, so that
    # other sheets naming it are not reported a second time).
    key_column: str = ""
    description: str = ""
    # Processing order: a sheet may rely on sheets with a smaller number (组织 10, 党员 20, 支委 30).
    order: int = 100
    # (ImportContext, [RowErrors]): the references (units named, ...) of rows that failed to
    # parse, checked all the same so that every error of a row is reported at once.
    check_failed: Callable[[object, list], None] | None = None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]


_REGISTRY: dict[str, SheetSpec] = {}


def register(spec: SheetSpec) -> SheetSpec:
    """Add (or replace) a sheet; sheets are processed by their ``order``."""
    _REGISTRY[spec.name] = spec
    return spec


def registered_sheets() -> list[SheetSpec]:
    return sorted(_REGISTRY.values(), key=lambda spec: spec.order)


def get_sheet(name: str) -> SheetSpec | None:
    return _REGISTRY.get(name)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cell_text(value) -> str:
    """The text of a cell: numbers without a trailing ``.0``, dates as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class Row:
    """One data row of a sheet, with typed accessors that collect errors instead of raising."""

    def __init__(self, sheet: str, number: int, values: dict[str, object]):
        self.sheet = sheet
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.sheet, self.number, column, reason))

    def result(self, typed):
        """The parser's return value: the typed row, or the errors found (with the row as read)."""
        return RowErrors(self.errors, typed) if self.errors else typed

    def text(self, header: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.values.get(header))
        if required and not value:
            self.error(header, _("不能为空"))
        if max_length and len(value) > max_length:
            self.error(header, _("不能超过%(n)s个字") % {"n": max_length})
        return value

    def choice(self, header: str, choices: dict[str, object], *, required: bool = False):
        """The value mapped from the cell's text (e.g. ``{"男": "male"}``), or None if blank."""
        value = self.text(header, required=required)
        if not value:
            return None
        if value not in choices:
            self.error(
                header,
                _("“%(value)s”不是允许的值，应为：%(allowed)s") % {"value": value, "allowed": "、".join(choices)},
            )
            return None
        return choices[value]

    def date(self, header: str, *, required: bool = False) -> datetime.date | None:
        value = self.values.get(header)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(header, _("不能为空"))
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not _ISO_DATE.match(text):
            self.error(header, _("“%(value)s”不是日期，请填写 Excel 日期或 YYYY-MM-DD 格式的文字") % {"value": text})
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.error(header, _("日期“%(value)s”不存在") % {"value": text})
            return None

    def integer(self, header: str, *, required: bool = False, minimum: int = 1, maximum: int = 999) -> int | None:
        text = self.text(header, required=required)
        if not text:
            return None
        match = re.fullmatch(r"第?(\d+)届?", text)
        number = int(match.group(1)) if match else None
        if number is None or not minimum <= number <= maximum:
            self.error(
                header,
                _("“%(value)s”应为%(min)s到%(max)s之间的整数") % {"value": text, "min": minimum, "max": maximum},
            )
            return None
        return number


@dataclass
class SheetOutcome:
    """What one sheet did: how many objects were added and how many were already there."""

    added: int = 0
    present: int = 0
    notes: list[str] = field(default_factory=list)
