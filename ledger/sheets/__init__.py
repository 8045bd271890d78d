"""The ledger workbook's sheets. Importing this package registers the built-in ones; they run
组织 (units) before 党员 (members, who name their branch) before 支委 (terms, whose seats name members)
before 会议 (meetings, whose people are members of the unit on the meeting's date).
"""

from ledger.sheets import committees, meetings, members, units  # noqa: F401  (registers the sheets)
from ledger.sheets.base import Column, Row, RowError, SheetOutcome, SheetSpec, get_sheet, register, registered_sheets

__all__ = ["Column", "Row", "RowError", "SheetOutcome", "SheetSpec", "get_sheet", "register", "registered_sheets"]
