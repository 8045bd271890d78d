"""Importing the ledger workbook (台账导入): all or nothing, idempotent, every error reported."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import Role
from accounts.scope import get_scope
from common.audit import log_action
from common.errors import DomainError
from ledger.sheets import RowError, SheetSpec, registered_sheets
from ledger.sheets.base import Row, cell_text
from ledger.sheets.context import ImportContext

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class LedgerImportError(DomainError):
    """The workbook was refused; ``rows`` lists every reason (sheet, row, column). Nothing was stored.

    Raised as ``LedgerImportError(rows)``; the message sums them up."""

    def __init__(self, rows: list[RowError]):
        self.rows = list(rows)
        super().__init__(
            _("台账导入失败：发现%(n)s处问题，未导入任何数据。") % {"n": len(self.rows)}
            if len(self.rows) != 1
            else _("台账导入失败：%(reason)s 未导入任何数据。") % {"reason": self.rows[0]}
        )


@dataclass(frozen=True)
class SheetSummary:
    name: str
    label: str
    rows: int
    added: int
    present: int


@dataclass(frozen=True)
class ImportResult:
    filename: str
    sheets: list[SheetSummary]

    @property
    def added(self) -> int:
        return sum(s.added for s in self.sheets)

    @property
    def present(self) -> int:
        return sum(s.present for s in self.sheets)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets)

    def lines(self) -> list[str]:
        return [
            _("%(sheet)s：%(rows)s行，新增%(label)s%(added)s个，已存在%(present)s个")
            % {"sheet": s.name, "rows": s.rows, "label": s.label, "added": s.added, "present": s.present}
            for s in self.sheets
        ]


def _fail(reason: str) -> LedgerImportError:
    return LedgerImportError([RowError("", None, "", reason)])


def max_bytes() -> int:
    return settings.ZHIBU["IMPORT_MAX_BYTES"]


def too_large_message(size: int) -> str:
    return _("文件过大（%(size)s），台账文件不能超过%(limit)s。") % {"size": _human(size), "limit": _human(max_bytes())}


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _read_bytes(file_or_path) -> tuple[bytes, str]:
    """The file's bytes, refusing files over the limit before reading them."""
    limit = max_bytes()
    if isinstance(file_or_path, str | os.PathLike):
        size = os.path.getsize(file_or_path)
        if size > limit:
            raise _fail(too_large_message(size))
        with open(file_or_path, "rb") as fh:
            return fh.read(), os.path.basename(file_or_path)
    name = os.path.basename(getattr(file_or_path, "name", "") or "")
    size = getattr(file_or_path, "size", None)
    if size is not None and size > limit:
        raise _fail(too_large_message(size))
    if hasattr(file_or_path, "seek"):
        file_or_path.seek(0)
    data = file_or_path.read(limit + 1)
    if len(data) > limit:
        raise _fail(too_large_message(len(data)))
    return data, name


def _open_workbook(data: bytes):
    if not data:
        raise _fail(_("文件是空的，请选择填写好的台账模板（.xlsx）。"))
    if data.startswith(OLE_SIGNATURE):
        raise _fail(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if not data.startswith(ZIP_SIGNATURE):
        raise _fail(_("文件不是 Excel 工作簿（.xlsx），请使用台账导入模板。"))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _fail(_("文件无法作为 Excel 工作簿（.xlsx）打开，可能已损坏或不是 .xlsx 格式。")) from exc
    except Exception as exc:  # openpyxl raises assorted errors on malformed parts
        raise _fail(_("文件无法作为 Excel 工作簿（.xlsx）打开，可能已损坏或不是 .xlsx 格式。")) from exc


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ctx: ImportContext, spec: SheetSpec, ws) -> tuple[bool, list, list, int]:
    """Check the header row and parse every data row.

    Returns (headers fine, typed rows, the errors of each row that failed, data row count).
    """
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None or all(_blank(v) for v in header_row):
        ctx.error(spec.name, 1, "", _("第1行应为表头：%(headers)s") % {"headers": "、".join(spec.headers)})
        return False, [], [], 0
    positions: dict[str, int] = {}
    ok = True
    for i, value in enumerate(header_row):
        header = cell_text(value)
        if not header:
            continue
        if header in positions:
            ctx.error(spec.name, 1, header, _("列“%(header)s”重复") % {"header": header})
            ok = False
        positions[header] = i
    missing = [h for h in spec.required_headers if h not in positions]
    if missing:
        ctx.error(spec.name, 1, "", _("缺少必填列：%(headers)s") % {"headers": "、".join(missing)})
        ok = False
    unknown = [h for h in positions if h not in spec.headers]
    if unknown:
        ctx.error(
            spec.name,
            1,
            "",
            _("无法识别的列：%(unknown)s（本表可用的列：%(headers)s）")
            % {"unknown": "、".join(unknown), "headers": "、".join(spec.headers)},
        )
        ok = False
    if not ok:
        return False, [], [], 0
    typed, failed, count = [], [], 0
    for number, values in enumerate(rows, start=2):
        if all(_blank(v) for v in values):
            continue
        count += 1
        cells = {h: (values[i] if i < len(values) else None) for h, i in positions.items()}
        result = spec.parse_row(Row(spec.name, number, cells))
        if isinstance(result, list):
            ctx.errors.extend(result)
            if getattr(result, "partial", None) is not None:
                failed.append(result)
            if spec.key_column:
                key = cell_text(cells.get(spec.key_column))
                ctx.broken.setdefault(spec.name, set()).update({key, key.replace(" ", "").upper()})
        else:
            typed.append(result)
    return True, typed, failed, count


def import_ledger(file_or_path, *, actor, within_scope: bool = True) -> ImportResult:
    """Import a ledger workbook: check every row of every sheet, then store all of it or nothing.

    ``within_scope``: units referenced or created must lie under the actor's committee-staff
    grants (the web page). The command line imports as the server's operator (``False``).
    """
    data, filename = _read_bytes(file_or_path)
    wb = _open_workbook(data)
    try:
        specs = [spec for spec in registered_sheets() if spec.name in wb.sheetnames]
        if not specs:
            raise _fail(
                _("工作簿中没有可导入的工作表，应至少包含以下之一：%(sheets)s。请使用台账导入模板。")
                % {"sheets": "、".join(s.name for s in registered_sheets())}
            )
        scope_paths = None
        if within_scope and getattr(actor, "pk", None):
            scope_paths = get_scope(actor).paths(Role.COMMITTEE_STAFF)
        ctx = ImportContext(actor=actor, scope_paths=scope_paths)
        parsed, failed, counts, headers_ok = {}, {}, {}, True
        for spec in specs:
            ok, typed, failed_rows, count = _read_sheet(ctx, spec, wb[spec.name])
            headers_ok &= ok
            parsed[spec.name], failed[spec.name], counts[spec.name] = typed, failed_rows, count
    finally:
        wb.close()

    # Cross-row and cross-sheet checks need every sheet readable.
    if headers_ok:
        for spec in specs:
            spec.check(ctx, parsed[spec.name])
            if spec.check_failed and failed[spec.name]:
                spec.check_failed(ctx, failed[spec.name])
    if ctx.errors:
        raise LedgerImportError(_sorted(ctx.errors, specs))

    with transaction.atomic():
        for spec in specs:
            spec.write(ctx, parsed[spec.name])
        summaries = [
            SheetSummary(
                spec.name,
                str(spec.label),
                counts[spec.name],
                ctx.outcome(spec.key).added,
                ctx.outcome(spec.key).present,
            )
            for spec in specs
        ]
        log_action(
            "ledger.workbook.imported",
            actor=actor,
            unit=ctx.common_unit(),
            data={
                "file": filename,
                "sheets": {s.name: {"rows": s.rows, "added": s.added, "present": s.present} for s in summaries},
            },
        )
    return ImportResult(filename, summaries)


def _sorted(errors: list[RowError], specs: list[SheetSpec]) -> list[RowError]:
    """Sheet by sheet in workbook order, then by row, keeping each row's column order."""
    order = {spec.name: i for i, spec in enumerate(specs)}
    columns = {spec.name: {h: i for i, h in enumerate(spec.headers)} for spec in specs}
    unique = list(dict.fromkeys(errors))
    return sorted(
        unique,
        key=lambda e: (order.get(e.sheet, -1), e.row or 0, columns.get(e.sheet, {}).get(e.column, -1)),
    )
