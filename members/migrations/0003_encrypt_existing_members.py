"""Step 2 of 3: encrypt the 公民身份号码 and phone of existing members and fill their lookup hashes.

Raw SQL, so that it reads the plaintext as it is stored (the model field would try to decrypt it).
Rows already encrypted are only re-hashed, so running it over a half-migrated table is safe. On an
empty database it does nothing. Reversible: going back decrypts the values into plain text again
(which needs the same keys); the hash columns go with the reverse of 0002.
"""

from django.db import migrations

from members import crypto
from members.idnumbers import normalize
from members.rules import normalize_phone

TABLE = "members_member"
ID_CONTEXT = "members.member.id_number"
PHONE_CONTEXT = "members.member.phone"


def _rows(connection):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number, phone FROM {TABLE} ORDER BY id")
        return cursor.fetchall()


def _plain(value, context):
    value = value or ""
    return crypto.decrypt(value, context=context) if crypto.is_encrypted(value) else value


def encrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    updates, seen = [], {}
    for pk, id_number, phone in _rows(connection):
        plain_id, plain_phone = _plain(id_number, ID_CONTEXT), _plain(phone, PHONE_CONTEXT)
        id_hash = crypto.lookup_hash(normalize(plain_id), purpose="id_number")
        if id_hash in seen:
            raise RuntimeError(
                f"党员 {seen[id_hash]} 和 {pk} 的公民身份号码相同（仅大小写或空格不同）；"
                "请先合并或更正这两条记录，再运行迁移"
            )
        seen[id_hash] = pk
        updates.append(
            (
                id_number if crypto.is_encrypted(id_number) else crypto.encrypt(plain_id, context=ID_CONTEXT),
                phone if crypto.is_encrypted(phone) else crypto.encrypt(plain_phone, context=PHONE_CONTEXT),
                id_hash,
                crypto.lookup_hash(normalize_phone(plain_phone), purpose="phone"),
                pk,
            )
        )
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {TABLE} SET id_number = %s, phone = %s, id_number_hash = %s, phone_hash = %s WHERE id = %s",
                updates,
            )


def decrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    updates = [
        (_plain(id_number, ID_CONTEXT), _plain(phone, PHONE_CONTEXT), pk) for pk, id_number, phone in _rows(connection)
    ]
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {TABLE} SET id_number = %s, phone = %s WHERE id = %s",
                updates,
            )


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_encrypted_personal_data"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
