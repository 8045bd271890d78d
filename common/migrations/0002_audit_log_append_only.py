"""The audit log becomes append-only in the database itself, not only in the model.

Triggers refuse every UPDATE of ``common_auditentry``, and every DELETE (and, on PostgreSQL,
TRUNCATE) unless the one-row control table ``common_auditguard`` says ``allow_delete``. Nothing in
Zhibu sets that flag; the test suite opens it inside the transaction of its flush between
transactional tests (tests/audit_guard.py), and closes it again before that transaction ends, so
no other connection ever sees it open. ``common_auditguard`` is not a Django model on purpose:
``flush`` does not empty it. See docs/security.md (tamper evidence).

SQLite has no procedures: its triggers ``SELECT RAISE(ABORT, ...)``. PostgreSQL: one plpgsql
function behind a row trigger (UPDATE, DELETE) and a statement trigger (TRUNCATE, which row
triggers do not see). Other databases get no triggers.

Note for later migrations: on SQLite, altering ``common_auditentry`` rebuilds the table and drops
its triggers; such a migration must create them again (common/tests/test_audit_tamper.py checks
that they exist after all migrations).
"""

from django.db import migrations

UPDATE_MESSAGE = "审计日志只能追加，不能修改"
DELETE_MESSAGE = "审计日志只能追加，不能删除"

SQLITE_INSTALL = [
    "CREATE TABLE common_auditguard ("
    " id integer NOT NULL PRIMARY KEY CHECK (id = 1),"
    " allow_delete integer NOT NULL DEFAULT 0 CHECK (allow_delete IN (0, 1)))",
    "INSERT INTO common_auditguard (id, allow_delete) VALUES (1, 0)",
    "CREATE TRIGGER common_auditentry_no_update BEFORE UPDATE ON common_auditentry"
    f" BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END",
    "CREATE TRIGGER common_auditentry_no_delete BEFORE DELETE ON common_auditentry"
    " WHEN NOT EXISTS (SELECT 1 FROM common_auditguard WHERE id = 1 AND allow_delete = 1)"
    f" BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS common_auditentry_no_update",
    "DROP TABLE IF EXISTS common_auditguard",
]

POSTGRESQL_INSTALL = [
    "CREATE TABLE common_auditguard ("
    " id integer NOT NULL PRIMARY KEY CHECK (id = 1),"
    " allow_delete boolean NOT NULL DEFAULT false)",
    "INSERT INTO common_auditguard (id, allow_delete) VALUES (1, false)",
    f"""
    CREATE FUNCTION common_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '{UPDATE_MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NOT COALESCE((SELECT allow_delete FROM common_auditguard WHERE id = 1), false) THEN
            RAISE EXCEPTION '{DELETE_MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER common_auditentry_no_update_delete BEFORE UPDATE OR DELETE ON common_auditentry"
    " FOR EACH ROW EXECUTE FUNCTION common_auditentry_append_only()",
    "CREATE TRIGGER common_auditentry_no_truncate BEFORE TRUNCATE ON common_auditentry"
    " FOR EACH STATEMENT EXECUTE FUNCTION common_auditentry_append_only()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_truncate ON common_auditentry",
    "DROP TRIGGER IF EXISTS common_auditentry_no_update_delete ON common_auditentry",
    "DROP FUNCTION IF EXISTS common_auditentry_append_only()",
    "DROP TABLE IF EXISTS common_auditguard",
]

SQL = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def install(apps, schema_editor):
    statements = SQL.get(schema_editor.connection.vendor, ([], []))[0]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    statements = SQL.get(schema_editor.connection.vendor, ([], []))[1]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
