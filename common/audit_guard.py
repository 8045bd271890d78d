"""The database side of the append-only audit log (migration common/0002_audit_log_append_only).

Triggers refuse UPDATE of ``common_auditentry`` always, and DELETE / TRUNCATE unless the one-row
table ``common_auditguard`` has ``allow_delete`` set. Nothing in Zhibu's operation deletes audit
entries; ``deletion_allowed()`` exists for the test suite's flush (tests/audit_guard.py) and is
the documented, deliberate way to open the guard, inside one transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections, transaction

GUARD_TABLE = "common_auditguard"
TRIGGERS = {
    "sqlite": {"common_auditentry_no_update", "common_auditentry_no_delete"},
    "postgresql": {"common_auditentry_no_update_delete", "common_auditentry_no_truncate"},
}
_TRUE = {"sqlite": "1", "postgresql": "true"}
_FALSE = {"sqlite": "0", "postgresql": "false"}


def guard_sql(vendor: str, *, allow: bool) -> str | None:
    """The statement that opens (``allow=True``) or closes the guard; ``None`` without triggers."""
    if vendor not in TRIGGERS:
        return None
    value = (_TRUE if allow else _FALSE)[vendor]
    return f"UPDATE {GUARD_TABLE} SET allow_delete = {value} WHERE id = 1"


def installed_triggers(using: str = "default") -> set[str]:
    """Names of the audit-log triggers present in the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'common_auditentry'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'common_auditentry'::regclass AND NOT tgisinternal"
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()} & TRIGGERS[connection.vendor]


def has_guard(using: str = "default") -> bool:
    connection = connections[using]
    return connection.vendor in TRIGGERS and GUARD_TABLE in connection.introspection.table_names()


@contextmanager
def deletion_allowed(using: str = "default"):
    """Open the guard for the enclosed statements, in one transaction that closes it again."""
    connection = connections[using]
    with transaction.atomic(using=using):
        opened = has_guard(using)
        if opened:
            with connection.cursor() as cursor:
                cursor.execute(guard_sql(connection.vendor, allow=True))
        yield
        if opened:
            with connection.cursor() as cursor:
                cursor.execute(guard_sql(connection.vendor, allow=False))
