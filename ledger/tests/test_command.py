"""``manage.py import_ledger``."""

import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from common.models import AuditEntry
from ledger.tests import helpers as h
from members.models import Member


def run(*argv):
    """Run the command; return the exit code the shell would see (CommandError exits 1).

    ``call_command`` rather than ``ManagementUtility``: the latter closes every database
    connection when it finishes, which kills the test's own connection on PostgreSQL.
    """
    try:
        call_command("import_ledger", *argv)
    except CommandError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return exc.returncode
    return 0


def test_it_imports_and_prints_the_summary(personas, tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(h.valid_workbook())
    assert run(str(path), "--actor", "staff") == 0
    out = capsys.readouterr().out
    assert "新增16条" in out and "党员：10行，新增党员10个，已存在0个" in out
    assert Member.objects.filter(name="赵一").exists()
    assert AuditEntry.objects.get(action="ledger.workbook.imported").actor == personas.staff


def test_it_prints_every_error_and_exits_non_zero(personas, tmp_path, capsys):
    members = h.member_rows()
    members[1][3] = "1980-13-01"
    members[2][1] = "M"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(h.xlsx({"组织": h.unit_rows(), "党员": members}))
    before = h.counts()
    assert run(str(path)) == 1
    err = capsys.readouterr().err
    assert "工作表“党员”第2行“出生日期”列：日期“1980-13-01”不存在" in err
    assert "工作表“党员”第3行“性别”列：“M”不是允许的值" in err
    assert "未导入任何数据" in err
    assert h.counts() == before


def test_it_may_create_a_new_root_committee(db, tmp_path):
    path = tmp_path / "root.xlsx"
    path.write_bytes(h.xlsx({"组织": [h.UNIT_HEADERS, ["新机关党委", "机关党委", None, "2019-01-01", None]]}))
    call_command("import_ledger", str(path))
    assert AuditEntry.objects.get(action="organizations.unit.imported").object_repr == "新机关党委"


def test_it_refuses_an_unknown_actor_or_a_missing_file(db, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(h.valid_workbook())
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        call_command("import_ledger", str(path), actor="nobody")
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_ledger", str(tmp_path / "missing.xlsx"))
