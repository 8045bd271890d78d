"""Test support: let Django's ``flush`` (run after every transactional test) empty the audit log.

The audit log is append-only in the database (common/audit_guard.py): on SQLite ``flush`` deletes
rows, which the trigger refuses; on PostgreSQL it truncates, which the statement trigger refuses.
While the hook is installed, each flush opens the guard as its first statement and closes it as
its last, inside the single transaction ``execute_sql_flush`` runs, so no other connection ever
sees the guard open. Installed for the whole session from conftest.py.
"""

from contextlib import contextmanager

from django.db.backends.base.operations import BaseDatabaseOperations

from common.audit_guard import GUARD_TABLE, guard_sql


@contextmanager
def flush_opens_audit_guard():
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        vendor = self.connection.vendor
        if guard_sql(vendor, allow=True) and GUARD_TABLE in self.connection.introspection.table_names():
            sql_list = [guard_sql(vendor, allow=True), *sql_list, guard_sql(vendor, allow=False)]
        return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    try:
        yield
    finally:
        BaseDatabaseOperations.execute_sql_flush = original
