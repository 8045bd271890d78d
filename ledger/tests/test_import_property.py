"""Property-based: whatever workbook arrives, the importer either imports it or refuses it with
``LedgerImportError`` and stores nothing at all; the page never answers 500. And text we export
to .xlsx stays text: a name like ``=HYPERLINK(...)`` never becomes a formula.

Random and malformed inputs: random sheets, headers and cells (strings, numbers, dates, None,
booleans, formulas, huge strings), valid workbooks with cells replaced at random, truncated or
altered zip bytes, and random bytes.
"""

import datetime
import io
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from common.models import AuditEntry
from ledger.services import LedgerImportError, import_ledger
from ledger.tests import helpers as h
from members.models import Member
from members.roster import build_roster

SHEETS = ["组织", "党员", "支委"]
HEADERS = sorted(set(h.UNIT_HEADERS + h.MEMBER_HEADERS + h.TERM_HEADERS))
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text openpyxl can store (no control characters or lone surrogates).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
FORMULAS = st.sampled_from(
    [
        '=HYPERLINK("http://example.com/x","点我")',
        "=1+1",
        "=SUM(A1:A3)",
        "=cmd|' /C calc'!A0",
        "+1-2",
        "@SUM(1)",
        "=",
    ]
)
CELLS = st.one_of(
    st.none(),
    TEXT,
    FORMULAS,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.builds(lambda n: "党" * n, st.integers(min_value=1000, max_value=32000)),  # huge strings
    st.sampled_from(HEADERS + SHEETS + ["测试机关党委", "第一党支部", "党支部", "男", "正式党员", " "]),
)
SHEET_NAMES = st.one_of(
    st.sampled_from(SHEETS),
    st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=20),
)
HEADER_ROWS = st.one_of(
    st.lists(st.sampled_from(HEADERS), max_size=16),
    st.lists(st.one_of(st.sampled_from(HEADERS), CELLS), max_size=16),
)


@st.composite
def random_workbooks(draw) -> bytes:
    """Random sheets with random (often plausible) headers and random rows."""
    names = draw(st.lists(SHEET_NAMES, min_size=1, max_size=4, unique_by=str.lower))
    sheets = {}
    for name in names:
        rows = [draw(HEADER_ROWS)]
        rows += draw(st.lists(st.lists(CELLS, max_size=16), max_size=6))
        sheets[name] = rows
    return h.xlsx(sheets)


@st.composite
def mutated_valid_workbooks(draw) -> bytes:
    """The valid ledger workbook with a few cells (or headers) replaced by random values."""
    sheets = {"组织": h.unit_rows(), "党员": h.member_rows(), "支委": h.term_rows()}
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        name = draw(st.sampled_from(SHEETS))
        rows = sheets[name]
        r = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        c = draw(st.integers(min_value=0, max_value=len(rows[r]) - 1))
        rows[r] = [*rows[r][:c], draw(CELLS), *rows[r][c + 1 :]]
    if draw(st.booleans()):
        del sheets[draw(st.sampled_from(SHEETS))]
    return h.xlsx(sheets)


VALID = h.valid_workbook()


@st.composite
def broken_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["truncated", "flipped", "zip prefix", "random", "zip of junk"]))
    if kind == "truncated":
        return VALID[: draw(st.integers(min_value=0, max_value=len(VALID) - 1))]
    if kind == "flipped":
        data = bytearray(VALID)
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "zip prefix":
        return b"PK\x03\x04" + draw(st.binary(max_size=2000))
    if kind == "zip of junk":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name in draw(
                st.lists(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "x.bin"]), unique=True)
            ):
                zf.writestr(name, draw(st.binary(max_size=300)))
        return buf.getvalue()
    return draw(st.binary(max_size=4000))


WORKBOOKS = st.one_of(random_workbooks(), mutated_valid_workbooks(), broken_bytes())


def all_counts() -> dict[str, int]:
    """Rows of every model (the audit log included): a refusal must leave each one unchanged."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@HYPOTHESIS
@given(data=WORKBOOKS)
def test_the_importer_stores_everything_or_nothing_and_raises_only_its_own_error(personas, data):
    before = all_counts()
    try:
        result = import_ledger(h.upload(data), actor=personas.staff)
    except LedgerImportError as exc:
        assert exc.rows, "a refusal names at least one reason"
        assert all(str(e) for e in exc.rows)
        assert all_counts() == before, "a refused workbook must store nothing"
    else:
        # A workbook that happens to be valid (a mutation that changed nothing that matters, a
        # flipped byte in a zip comment) is imported and recorded.
        assert AuditEntry.objects.order_by("-id").values_list("action", flat=True)[0] == "ledger.workbook.imported"
        assert result.rows >= 0


@settings(parent=HYPOTHESIS, max_examples=30)
@given(data=WORKBOOKS, name=st.sampled_from(["台账.xlsx", "台账.xls", "../../etc/passwd", "a" * 200 + ".xlsx"]))
def test_the_import_page_never_fails_with_a_server_error(personas, login, data, name):
    client = login(personas.staff)
    before = all_counts()
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("ledger:import"), {"file": upload})
    # The test client re-raises any exception in the view, so reaching here means no 500.
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        counts = all_counts()
        # The session row may be written on every request; everything else stays as it was.
        counts.pop("sessions.Session"), before.pop("sessions.Session")
        assert counts == before


# --- Exports keep text as text ----------------------------------------------------------------------

INJECTION = '=HYPERLINK("http://evil.example/","点我领取")'


def test_the_roster_export_stores_a_formula_like_name_as_text(personas, login):
    member = personas.members.other_a
    Member.objects.filter(pk=member.pk).update(name=INJECTION, department="=1+1", post="@SUM(1)")
    response = login(personas.staff).get(reverse("members:member.export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml, "no cell of the roster may be a formula"
    ws = load_workbook(io.BytesIO(content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in (INJECTION, "=1+1", "@SUM(1)")}
    assert set(cells) == {INJECTION, "=1+1", "@SUM(1)"}
    assert all(c.data_type == "s" for c in cells.values())


@settings(max_examples=40, deadline=None)
@given(name=st.builds(lambda lead, rest: lead + rest, st.sampled_from(["=", "+", "-", "@"]), TEXT))
def test_any_exported_text_is_read_back_as_the_same_text(name):
    member = Member(name=name, department=name, ethnicity="汉族")
    member.open_branches, member.open_groups = [], []
    content, count = build_roster(
        [member], exported_by=name, exported_at=datetime.datetime(2026, 1, 1, 9, 0), show_full=lambda m: False
    )
    assert count == 1
    ws = load_workbook(io.BytesIO(content)).active
    row = [c for c in ws[5] if c.value is not None]
    assert row[0].value == name and row[0].data_type == "s"
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_a_wrong_type_of_input_is_refused_not_crashed(personas):
    before = all_counts()
    for data in (b"", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "台账".encode(), VALID[:30]):
        with pytest.raises(LedgerImportError):
            import_ledger(h.upload(data), actor=personas.staff)
    assert all_counts() == before
