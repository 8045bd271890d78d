"""Personal data at rest (issue 7 part 3): 公民身份号码 and phone are encrypted in the database
(AES-GCM), found through keyed hashes, re-encrypted by ``rotate_data_key``; wrong keys fail loudly."""

import base64
import datetime
import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from common.models import AuditEntry
from common.tests.test_deploy_check import run as run_production
from members import crypto, services
from members.models import Member, id_number_hash
from tests import factories as f

TABLE = Member._meta.db_table


def key(byte: int) -> str:
    return base64.b64encode(bytes([byte]) * 32).decode()


K1, K2, OTHER = key(1), key(2), key(3)


def stored(member) -> tuple[str, str, str, str]:
    """The row as the database holds it: (id_number, phone, id_number_hash, phone_hash)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, phone, id_number_hash, phone_hash FROM {TABLE} WHERE id = %s", [member.pk])
        return cursor.fetchone()


def fresh(member) -> Member:
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def member(org):
    return f.member_in(
        org.branch_a, id_number="11010519491231002X", birth_date=datetime.date(1949, 12, 31), phone="13912345678"
    )


# --- At rest -------------------------------------------------------------------------------------


def test_the_database_column_never_holds_the_plain_id_number_or_phone(member):
    id_number, phone, id_hash, phone_hash = stored(member)
    assert "11010519491231002X" not in id_number and "1231002" not in id_number
    assert "13912345678" not in phone and "12345678" not in phone
    assert crypto.is_encrypted(id_number) and crypto.is_encrypted(phone)
    assert id_number.startswith(f"zv1${crypto.current_key_id()}$")
    assert len(id_hash) == 64 and len(phone_hash) == 64
    # Read back through the model, the values are plain again, in objects and in values().
    assert (fresh(member).id_number, fresh(member).phone) == ("11010519491231002X", "13912345678")
    assert list(Member.objects.filter(pk=member.pk).values_list("id_number", "phone")) == [
        ("11010519491231002X", "13912345678")
    ]


def test_equal_values_encrypt_differently_so_the_column_shows_no_duplicates(org):
    a = f.member_in(org.branch_a, phone="13900000000")
    b = f.member_in(org.branch_b, phone="13900000000")
    assert stored(a)[1] != stored(b)[1]
    assert stored(a)[3] == stored(b)[3]  # the lookup hash is what matches


def test_an_empty_phone_stays_empty_with_no_hash(org):
    m = f.member_in(org.branch_a, phone="")
    assert stored(m)[1] == "" and stored(m)[3] == ""
    assert fresh(m).phone == ""


def test_a_value_moved_to_another_column_does_not_decrypt(member):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET id_number = phone WHERE id = %s", [member.pk])
    with pytest.raises(crypto.DecryptionError, match="数据已被改动"):
        fresh(member)


def test_an_altered_ciphertext_is_refused(member):
    token = stored(member)[0]
    blob = bytearray(base64.b64decode(token.split("$")[2]))
    blob[-1] ^= 1
    altered = "$".join([*token.split("$")[:2], base64.b64encode(bytes(blob)).decode()])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET id_number = %s WHERE id = %s", [altered, member.pk])
    with pytest.raises(crypto.DecryptionError, match="解密失败"):
        fresh(member)


# --- Lookup through the hash ---------------------------------------------------------------------


def test_a_member_is_found_by_id_number_through_the_hash(member, org):
    f.member_in(org.branch_b)
    assert Member.objects.by_id_number("11010519491231002X") == member
    assert Member.objects.by_id_number(" 11010519491231002x ") == member  # normalized like the forms
    assert Member.objects.by_id_number("110105194912310038") is None
    assert Member.objects.by_id_number("") is None
    assert list(Member.objects.with_id_numbers(["11010519491231002X", "nobody"])) == [member]
    assert list(Member.objects.with_phone("139-1234-5678")) == [member]
    assert not Member.objects.with_phone("").exists()


def test_the_database_cannot_be_searched_by_the_encrypted_content(member):
    with pytest.raises(FieldError, match="公民身份号码.*加密存储.*with_id_number"):
        Member.objects.filter(id_number="11010519491231002X").exists()
    with pytest.raises(FieldError, match="手机号码"):
        Member.objects.filter(phone__contains="1234").exists()
    assert Member.objects.filter(phone__isnull=False).exists()


def test_a_duplicate_id_number_is_refused_through_the_hash(member, org, personas, member_data):
    staff = personas.staff
    data = member_data(id_number="11010519491231002x", birth_date=datetime.date(1949, 12, 31))
    with pytest.raises(services.MemberError) as exc:
        services.create_member(org.branch_b, data, actor=staff)
    assert exc.value.field == "id_number"
    assert "公民身份号码已登记" in str(exc.value)
    # And the database refuses it too, whoever writes past the services.
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MemberFactory(id_number="11010519491231002X")


def test_the_hashes_follow_an_edit_of_id_number_and_phone(member, personas):
    staff = personas.staff
    from members.idnumbers import make_id_number

    new_id = make_id_number(member.birth_date, 555)
    services.update_member(member, {"id_number": new_id, "phone": "13700000001"}, actor=staff, expected_version=1)
    assert Member.objects.by_id_number(new_id) == member
    assert Member.objects.by_id_number("11010519491231002X") is None
    assert list(Member.objects.with_phone("13700000001")) == [member]
    m = fresh(member)
    m.phone = "13700000002"
    m.save(update_fields=["phone"])
    assert list(Member.objects.with_phone("13700000002")) == [member]
    assert stored(member)[2] == id_number_hash(new_id)


# --- Keys and rotation ---------------------------------------------------------------------------


def rotate() -> str:
    out = io.StringIO()
    call_command("rotate_data_key", stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_every_row_with_the_new_key(org, settings):
    settings.ZHIBU_DATA_KEYS = f"k1:{K1}"
    a = f.member_in(org.branch_a, id_number="11010519491231002X", phone="13912345678")
    b = f.member_in(org.branch_b, phone="")
    assert crypto.key_id_of(stored(a)[0]) == "k1"

    settings.ZHIBU_DATA_KEYS = f"k2:{K2},k1:{K1}"  # step 1: the new key first, the old one still readable
    assert fresh(a).id_number == "11010519491231002X"
    c = f.member_in(org.branch_a)
    assert crypto.key_id_of(stored(c)[0]) == "k2"  # new writes use the new key at once

    output = rotate()  # step 2
    assert "已用密钥 k2 重新加密 3 名党员" in output and "k1 3" in output
    assert {crypto.key_id_of(t) for m in (a, b, c) for t in stored(m)[:2] if t} == {"k2"}
    entry = AuditEntry.objects.filter(action="members.data_key.rotated").get()
    assert entry.data["key"] == "k2" and entry.data["members"] == 3

    settings.ZHIBU_DATA_KEYS = f"k2:{K2}"  # step 3: the old key is gone
    assert (fresh(a).id_number, fresh(a).phone, fresh(b).phone) == ("11010519491231002X", "13912345678", "")
    assert Member.objects.by_id_number("11010519491231002X") == a
    assert fresh(a).version == 1  # not an edit


def test_data_written_with_the_development_key_stays_readable_until_rotated(org, settings):
    settings.ZHIBU_DATA_KEYS = ""
    m = f.member_in(org.branch_a, phone="13912345678")
    assert crypto.key_id_of(stored(m)[0]) == "dev"
    settings.ZHIBU_DATA_KEYS = f"k1:{K1}"
    assert fresh(m).phone == "13912345678"
    rotate()
    assert crypto.key_id_of(stored(m)[1]) == "k1"


def test_a_wrong_key_fails_with_a_clear_error(org, settings):
    settings.ZHIBU_DATA_KEYS = f"k1:{K1}"
    m = f.member_in(org.branch_a)
    settings.ZHIBU_DATA_KEYS = f"k1:{OTHER}"
    with pytest.raises(crypto.DecryptionError, match="解密失败：密钥 k1 与数据不符"):
        fresh(m)
    settings.ZHIBU_DATA_KEYS = f"k9:{K2}"
    with pytest.raises(crypto.DecryptionError, match="由密钥 k1 加密，但 ZHIBU_DATA_KEYS 中没有该密钥"):
        fresh(m)
    with pytest.raises(CommandError, match="轮换失败，数据未作改动"):
        rotate()
    settings.ZHIBU_DATA_KEYS = f"k1:{K1}"
    assert crypto.key_id_of(stored(m)[0]) == "k1"


def test_a_new_hash_key_takes_effect_after_rotation(member, settings):
    settings.ZHIBU_HASH_KEY = K2
    assert Member.objects.by_id_number("11010519491231002X") is None  # hashes still under the old key
    rotate()
    assert Member.objects.by_id_number("11010519491231002X") == member


@pytest.mark.parametrize(
    "raw, message",
    [
        ("nocolon", "格式应为"),
        ("bad id!:" + K1, "格式应为"),
        ("k1:not base64!", "不是有效的 base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "应为 32 字节"),
        (f"k1:{K1},k1:{K2}", "出现了两次"),
    ],
)
def test_malformed_data_keys_are_refused(raw, message):
    with pytest.raises(crypto.DataKeyError, match=message):
        crypto.parse_data_keys(raw)


def test_a_short_hash_key_is_refused():
    with pytest.raises(crypto.DataKeyError, match="至少应为 32 字节"):
        crypto.parse_hash_key(base64.b64encode(b"x" * 16).decode())


def test_the_command_prints_a_fresh_key_without_touching_data(member):
    out = io.StringIO()
    call_command("rotate_data_key", "--new-key", stdout=out)
    assert len(base64.b64decode(out.getvalue().strip())) == 32
    assert not AuditEntry.objects.filter(action="members.data_key.rotated").exists()


# --- Migration of existing rows ------------------------------------------------------------------


def test_the_data_migration_encrypts_plain_rows_and_reverses(member, org):
    migration = importlib.import_module("members.migrations.0003_encrypt_existing_members")
    editor = SimpleNamespace(connection=connection)
    other = f.member_in(org.branch_b, phone="")
    with connection.cursor() as cursor:  # the rows as an install before encryption holds them
        cursor.execute(
            f"UPDATE {TABLE} SET id_number = %s, phone = %s, id_number_hash = '', phone_hash = '' WHERE id = %s",
            ["11010519491231002X", "13912345678", member.pk],
        )
    migration.encrypt_rows(None, editor)
    assert crypto.is_encrypted(stored(member)[0]) and crypto.is_encrypted(stored(member)[1])
    assert Member.objects.by_id_number("11010519491231002X") == member
    assert fresh(other).id_number == other.id_number  # already encrypted: kept, re-hashed
    migration.encrypt_rows(None, editor)  # running twice changes nothing readable
    assert fresh(member).phone == "13912345678"

    migration.decrypt_rows(None, editor)
    assert stored(member)[:2] == ("11010519491231002X", "13912345678")


def test_the_data_migration_stops_on_numbers_equal_but_for_case(member, org):
    migration = importlib.import_module("members.migrations.0003_encrypt_existing_members")
    twin = f.member_in(org.branch_b)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET id_number = %s WHERE id = %s", ["11010519491231002x", twin.pk])
    with pytest.raises(RuntimeError, match=f"党员 {member.pk} 和 {twin.pk} 的公民身份号码相同"):
        migration.encrypt_rows(None, SimpleNamespace(connection=connection))


# --- Production settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ZHIBU_DATA_KEYS": None}, "ZHIBU_DATA_KEYS and ZHIBU_HASH_KEY must be set"),
        ({"ZHIBU_HASH_KEY": ""}, "ZHIBU_DATA_KEYS and ZHIBU_HASH_KEY must be set"),
        ({"ZHIBU_DATA_KEYS": "k1:short"}, "ZHIBU_DATA_KEYS"),
    ],
)
def test_production_refuses_to_start_without_the_data_keys(tmp_path, env, message):
    result = run_production(["check"], tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr
