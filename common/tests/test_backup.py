"""``manage.py backup`` / ``restore``: everything comes back (rows, attachments, the audit chain),
and a corrupt, incomplete or newer backup is refused without touching anything.

Runs on the configured database: SQLite (online backup API) or PostgreSQL (pg_dump/pg_restore
against the test database ``test_<name>``), hence ``transaction=True``: the restore must see and
replace committed data, not rows inside a test transaction.
"""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from common.audit import log_action, verify_chain
from common.backup import DATABASE_FILES, MANIFEST, create_backup, restore_backup
from common.models import AuditEntry
from members.models import Member
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

ATTACHMENT = "attachments/2026/会议记录.pdf"
ATTACHMENT_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 8


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = settings.MEDIA_ROOT / ATTACHMENT
    path.parent.mkdir(parents=True)
    path.write_bytes(ATTACHMENT_BYTES)
    return settings.MEDIA_ROOT


@pytest.fixture
def backup(personas, media, tmp_path):
    """A backup of the personas' organisation, two audit entries and one attachment."""
    log_action("members.member.revealed", actor=personas.staff, obj=personas.members.other_a, data={"field": "phone"})
    log_action("members.member.exported", actor=personas.staff, data={"count": 3})
    call_command("backup", output=str(tmp_path / "backups"))
    (path,) = (tmp_path / "backups").iterdir()
    return path


def state():
    return {
        "members": sorted(Member.objects.values_list("name", flat=True)),
        "audit": list(AuditEntry.objects.order_by("id").values_list("id", "action", "entry_hash")),
    }


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_writes_database_attachments_and_a_manifest_with_checksums(backup):
    manifest = json.loads((backup / MANIFEST).read_text("utf-8"))
    database_file = DATABASE_FILES[connection.vendor]
    assert backup.name.startswith("zhibu-backup-")
    assert manifest["database"] == {"vendor": connection.vendor, "file": database_file}
    assert set(manifest["files"]) == {database_file, f"media/{ATTACHMENT}"}
    assert manifest["files"][f"media/{ATTACHMENT}"]["size"] == len(ATTACHMENT_BYTES)
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())
    assert manifest["migrations"]["members"].startswith("0")
    assert manifest["migrations"]["common"].startswith("0")
    assert manifest["django_version"] and manifest["zhibu_version"] and manifest["created_at"]
    created = AuditEntry.objects.filter(action="common.backup.created").get()
    assert created.data["backup"] == backup.name
    assert created.data["files"] == 2


def test_restore_brings_back_rows_attachments_and_the_audit_chain(backup, media, personas):
    before = state()
    # Changes after the backup: a new member, more audit entries, a new and an altered attachment.
    f.member_in(personas.org.branch_a, name="备份后新增")
    log_action("members.member.exported", actor=personas.staff, data={"count": 9})
    (media / "attachments" / "after.txt").write_text("备份后上传", "utf-8")
    (media / ATTACHMENT).write_bytes(b"changed")
    assert state() != before

    call_command("restore", str(backup), yes=True)

    after = state()
    assert after["members"] == before["members"]
    # The log is the backed-up log entry for entry (the backup's own "created" entry came after
    # the snapshot), then the restore.
    backed_up = [e for e in before["audit"] if e[1] != "common.backup.created"]
    assert len(backed_up) == len(before["audit"]) - 1
    assert after["audit"][:-1] == backed_up
    restored = AuditEntry.objects.order_by("-id").first()
    assert restored.action == "common.backup.restored"
    assert restored.data["backup"] == backup.name
    assert verify_chain() == []
    assert media_files(media) == {ATTACHMENT: ATTACHMENT_BYTES}
    # The attachments the restore replaced are kept aside, not deleted.
    (aside,) = media.parent.glob("media-replaced-*")
    assert restored.data["replaced_media"] == str(aside)
    assert media_files(aside) == {ATTACHMENT: b"changed", "attachments/after.txt": "备份后上传".encode()}


def test_the_service_restores_the_same_way(backup, media, personas):
    before = state()
    f.member_in(personas.org.branch_b, name="再次新增")
    restore_backup(backup)
    assert state()["members"] == before["members"]
    assert verify_chain() == []


def test_a_backup_of_an_empty_media_folder_restores(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "no-media-yet"
    path = create_backup(tmp_path / "b")
    assert (path / "media").is_dir()
    restore_backup(path)
    assert settings.MEDIA_ROOT.is_dir()
    assert verify_chain() == []


def _assert_refused(backup, media, personas, text):
    """The restore is refused with ``text`` and nothing changes: rows, log, attachments."""
    f.member_in(personas.org.branch_a, name="恢复被拒后仍在")
    (media / "after.txt").write_text("仍在", "utf-8")
    before, files = state(), media_files(media)
    with pytest.raises(CommandError) as info:
        call_command("restore", str(backup), yes=True)
    assert text in str(info.value)
    assert "已拒绝恢复，现有数据未作任何改动" in str(info.value)
    assert state() == before
    assert media_files(media) == files
    assert not list(media.parent.glob("media-replaced-*"))


def test_it_refuses_a_backup_with_a_corrupted_attachment(backup, media, personas):
    target = backup / "media" / ATTACHMENT
    data = bytearray(target.read_bytes())
    data[100] ^= 0xFF
    target.write_bytes(bytes(data))
    _assert_refused(backup, media, personas, f"文件 media/{ATTACHMENT} 的校验和不符")


def test_it_refuses_a_backup_with_a_corrupted_database_snapshot(backup, media, personas):
    database = backup / DATABASE_FILES[connection.vendor]
    with database.open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00garbage\x00")
    _assert_refused(backup, media, personas, "校验和不符")


def test_it_refuses_a_backup_with_a_missing_attachment(backup, media, personas):
    (backup / "media" / ATTACHMENT).unlink()
    _assert_refused(backup, media, personas, f"缺少文件 media/{ATTACHMENT}")


def test_it_refuses_a_backup_without_its_database_snapshot(backup, media, personas):
    (backup / DATABASE_FILES[connection.vendor]).unlink()
    _assert_refused(backup, media, personas, "缺少文件 database.")


def test_it_refuses_a_backup_without_a_manifest(backup, media, personas):
    (backup / MANIFEST).unlink()
    _assert_refused(backup, media, personas, "缺少清单文件")


def test_it_refuses_a_backup_with_a_file_the_manifest_does_not_list(backup, media, personas):
    (backup / "media" / "planted.html").write_text("<script>", "utf-8")
    _assert_refused(backup, media, personas, "清单未列出的文件 media/planted.html")


def test_it_refuses_a_manifest_entry_pointing_outside_the_backup(backup, media, personas):
    manifest = json.loads((backup / MANIFEST).read_text("utf-8"))
    manifest["files"]["../outside.txt"] = {"sha256": "0" * 64, "size": 1}
    (backup / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    _assert_refused(backup, media, personas, "条目“../outside.txt”无效")


def test_it_refuses_a_backup_from_a_newer_schema(backup, media, personas):
    manifest = json.loads((backup / MANIFEST).read_text("utf-8"))
    manifest["migrations"]["members"] = "9999_from_the_future"
    (backup / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    _assert_refused(backup, media, personas, "members 的迁移 9999_from_the_future 在当前程序中不存在")


def test_it_refuses_a_backup_from_another_database_vendor(backup, media, personas):
    manifest = json.loads((backup / MANIFEST).read_text("utf-8"))
    manifest["database"]["vendor"] = "oracle"
    (backup / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    _assert_refused(backup, media, personas, "备份来自 oracle 数据库")


def test_it_refuses_an_unreadable_manifest(backup, media, personas):
    (backup / MANIFEST).write_text("{not json", "utf-8")
    _assert_refused(backup, media, personas, "清单 manifest.json 已损坏")


def test_it_refuses_a_path_that_is_not_a_backup(media, personas, tmp_path):
    with pytest.raises(CommandError, match="备份不存在或不是目录"):
        call_command("restore", str(tmp_path / "nowhere"), yes=True)


def test_restore_asks_before_replacing_and_stops_unless_told_yes(backup, media, personas, monkeypatch):
    f.member_in(personas.org.branch_a, name="未确认")
    before = state()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(backup))
    assert state() == before
