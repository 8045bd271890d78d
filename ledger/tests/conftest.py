import pytest

from ledger.services import LedgerImportError, import_ledger
from ledger.tests.helpers import counts, upload


@pytest.fixture
def refused(personas):
    """``refused(data)``: import must fail; asserts nothing was stored and returns the errors."""

    def _refused(data: bytes, *, actor=None, name="台账.xlsx"):
        before = counts()
        with pytest.raises(LedgerImportError) as info:
            import_ledger(upload(data, name), actor=actor or personas.staff)
        assert counts() == before, "a refused workbook must store nothing"
        return info.value.rows

    return _refused


def has_error(errors, sheet, row, column, text) -> bool:
    return any(e.sheet == sheet and e.row == row and e.column == column and text in e.reason for e in errors)
