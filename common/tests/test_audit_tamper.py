"""Tamper evidence (issue 4 part 6): the audit log is append-only in the database itself, and
``manage.py verify_audit`` finds an entry changed or removed behind the application's back."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction

from common.audit import log_action, verify_chain
from common.audit_guard import GUARD_TABLE, TRIGGERS, deletion_allowed, installed_triggers
from common.models import AuditEntry
from tests.helpers import log_branch_a_changes

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entries(personas):
    """Five entries on the chain (after whatever the personas' setup logged)."""
    log_branch_a_changes(personas, 5, changes=lambda i: {"name": [str(i), str(i + 1)]})
    return list(AuditEntry.objects.order_by("id"))


def raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def refused(sql, params=None) -> str:
    """Run ``sql`` in a savepoint and return the database's refusal message."""
    with pytest.raises((IntegrityError, DatabaseError)) as exc, transaction.atomic():
        raw(sql, params)
    return str(exc.value)


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


def drop_update_trigger():
    """What an attacker with database rights does first. Rolled back with the test's transaction."""
    if connection.vendor == "sqlite":
        raw("DROP TRIGGER common_auditentry_no_update")
    else:
        raw(f"DROP TRIGGER common_auditentry_no_update_delete ON {TABLE}")


# --- The database refuses -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_triggers_exist_after_every_migration():
    # A later migration that rebuilds the table on SQLite would drop them: this test says so.
    assert installed_triggers() == TRIGGERS[connection.vendor]


def test_the_database_refuses_to_update_an_audit_entry(entries):
    target = entries[2]
    message = refused(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["篡改", target.pk])
    assert "审计日志只能追加，不能修改" in message
    assert AuditEntry.objects.get(pk=target.pk).object_repr == target.object_repr


def test_the_database_refuses_to_delete_audit_entries(entries):
    count = AuditEntry.objects.count()
    assert "审计日志只能追加，不能删除" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [entries[2].pk])
    assert "审计日志只能追加，不能删除" in refused(f"DELETE FROM {TABLE}")
    assert AuditEntry.objects.count() == count


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="TRUNCATE exists on PostgreSQL only")
def test_the_database_refuses_to_truncate_the_audit_log(entries):
    count = AuditEntry.objects.count()
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # the test's pending foreign-key checks would block TRUNCATE first
    assert "审计日志只能追加，不能删除" in refused(f"TRUNCATE {TABLE} CASCADE")
    assert AuditEntry.objects.count() == count


def test_the_guard_opens_only_inside_its_own_transaction(entries):
    with deletion_allowed():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk])
        # Updates stay refused even with the guard open.
        assert "不能修改" in refused(f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", [entries[0].pk])
    assert raw(f"SELECT allow_delete FROM {GUARD_TABLE}") in ([(0,)], [(False,)])
    assert "不能删除" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])
    assert not AuditEntry.objects.filter(pk=entries[-1].pk).exists()


def test_a_failure_inside_the_guard_closes_it_again(entries):
    with pytest.raises(RuntimeError), deletion_allowed():
        raise RuntimeError("boom")
    assert "不能删除" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_empties_the_log_and_leaves_the_guard_closed(personas):
    log_action("organizations.unit.changed", actor=personas.staff, obj=personas.org.branch_a)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    assert AuditEntry.objects.count() == 0
    assert raw(f"SELECT allow_delete FROM {GUARD_TABLE}") in ([(0,)], [(False,)])
    assert installed_triggers() == TRIGGERS[connection.vendor]


# --- verify_audit ---------------------------------------------------------------------------------


def test_verify_audit_reports_an_intact_chain_with_its_length(entries):
    code, output = verify()
    assert code == 0
    assert f"审计链完整，共{len(entries)}条" in output
    assert entries[-1].entry_hash in output


@pytest.mark.django_db
def test_verify_audit_accepts_an_empty_log():
    assert verify() == (0, "审计链完整，共0条\n")


def test_verify_audit_names_the_row_edited_behind_the_apps_back(entries):
    target = entries[2]
    drop_update_trigger()
    raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["篡改后的对象", target.pk])

    code, output = verify()
    assert code == 1
    assert f"审计链在编号 {target.pk} 的记录处断开" in output
    assert "记录被改动" in output
    assert "审计链校验未通过" in output


def test_verify_audit_finds_an_edit_that_recomputed_the_rows_own_hash(entries):
    # A careful attacker recomputes the edited row's hash; the next row's link still breaks.
    target = entries[2]
    drop_update_trigger()
    target.data = {"changes": {"name": ["无", "伪造"]}}
    raw(
        f"UPDATE {TABLE} SET data = %s, entry_hash = %s WHERE id = %s",
        ['{"changes": {"name": ["无", "伪造"]}}', target.compute_hash(), target.pk],
    )
    code, output = verify()
    assert code == 1
    assert f"审计链在编号 {entries[3].pk} 的记录处断开" in output
    assert "之前的记录被删除、插入或改动" in output


def test_verify_audit_finds_a_row_deleted_through_the_guard(entries):
    # The control flag is the other way in for someone with database rights.
    raw(f"UPDATE {GUARD_TABLE} SET allow_delete = {'1' if connection.vendor == 'sqlite' else 'true'}")
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])

    code, output = verify()
    assert code == 1
    assert f"审计链在编号 {entries[2].pk} 的记录处断开" in output
    assert verify_chain()[0] == entries[2].pk
