"""docs/security.md cannot rot: every test it names exists, and every requirement row names one.

A reference is written `path/to/test_file.py::test_name`; `::test_name` right after it in the
same cell means the same file. Parametrised tests are named without their parameters.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"
REFERENCE = re.compile(r"`([\w./-]*)::(\w+)`")


def requirement_rows() -> list[list[str]]:
    """The rows of the requirement tables: Requirement | How | Test | Status."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[0] not in ("Requirement", "") and "---" not in cells[0]:
            rows.append(cells)
    return rows


def references(cell: str) -> list[tuple[str, str]]:
    found, path = [], ""
    for file, name in REFERENCE.findall(cell):
        path = file or path
        found.append((path, name))
    return found


def module_level_functions(path: str) -> set[str]:
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_the_document_has_the_requirement_tables():
    rows = requirement_rows()
    assert len(rows) >= 30
    text = DOC.read_text(encoding="utf-8")
    for heading in (
        "身份鉴别",
        "访问控制",
        "安全审计",
        "入侵防范",
        "数据完整性",
        "数据保密性",
        "数据备份恢复",
        "剩余信息保护",
        "个人信息保护",
    ):
        assert heading in text


def test_every_test_the_document_names_exists():
    missing = []
    for row in requirement_rows():
        for path, name in references(row[2]):
            if not (Path(settings.BASE_DIR) / path).is_file() or name not in module_level_functions(path):
                missing.append(f"{path}::{name}")
    assert missing == [], "docs/security.md names tests that do not exist"


def test_every_row_built_in_the_application_names_a_test():
    """Rows the deployment provides say so; every other row names at least one test."""
    without = [row[0] for row in requirement_rows() if row[3] != "deployment" and not references(row[2])]
    assert without == []


def test_the_reference_parser_carries_the_file_to_the_next_name():
    cell = "`tests/test_security.py::test_a`, `::test_b`, `common/x.py::test_c`"
    assert references(cell) == [
        ("tests/test_security.py", "test_a"),
        ("tests/test_security.py", "test_b"),
        ("common/x.py", "test_c"),
    ]
