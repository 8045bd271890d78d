"""The ledger workbook's sheets. Importing this package registers the built-in ones; they run
组织 (units) before 党员 (members, who name their branch) before 支委 (terms, whose seats name members).
"""

from ledger.sheets import committees, members, units  # noqa: F401  (registers the sheets)
from ledger.sheets.base import Column, Row, RowError, SheetOutcome, SheetSpec, get_sheet, register, registered_sheets

__all__ = ["Column", "Row", "RowError", "SheetOutcome", "SheetSpec", "get_sheet", "register", "registered_sheets"]
