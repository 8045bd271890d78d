import datetime
import io
import itertools

from openpyxl import load_workbook

from tests import factories as f

_seq = itertools.count(100)


def person(branch, **kwargs):
    """A member of ``branch`` old enough for the joining rule whatever the factory sequence is."""
    n = next(_seq)
    kwargs.setdefault("birth_date", datetime.date(1960, 1, 1) + datetime.timedelta(days=n))
    return f.member_in(branch, **kwargs)


def sheet_rows(response):
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def as_post(data: dict) -> dict:
    """Form values as a browser would send them (dates as YYYY-MM-DD, checkboxes "on" or absent)."""
    out = {}
    for key, value in data.items():
        if value is True:
            out[key] = "on"
        elif value in (None, False):
            out[key] = ""
        elif isinstance(value, datetime.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out
