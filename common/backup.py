"""Backup and restore: a consistent database snapshot, the attachments, and a checksummed manifest.

A backup is a directory ``zhibu-backup-YYYYmmdd-HHMMSS/`` (a directory rather than an archive, so
that it can be checked, copied with rsync and read without unpacking):

- ``database.sqlite3`` (SQLite, written with the online backup API) or ``database.pgdump``
  (PostgreSQL, ``pg_dump -Fc``): one consistent snapshot, taken while the server runs;
- ``media/``: a copy of ``MEDIA_ROOT`` (the attachments);
- ``manifest.json``: format, creation time, Django and Zhibu versions, the database vendor, the
  last applied migration of every app, and the SHA-256 and size of every other file.

A restore checks everything first and refuses a backup that is incomplete, altered or from a newer
schema, touching nothing; then it replaces the database and the attachments (the attachments it
replaces are moved aside, not deleted) and appends ``common.backup.restored`` to the audit log,
after the restore, so that the hash chain continues from the restored entries.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import log_action
from common.errors import DomainError
from common.models import AuditEntry

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup could not be written, or a backup was refused for restore (message in Chinese)."""


# --- Creating ------------------------------------------------------------------------------------


def default_backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def create_backup(output_dir=None, *, actor=None) -> Path:
    """Write a backup directory under ``output_dir`` and return its path.

    It is written as ``<name>.partial`` and renamed when complete, so an interrupted backup never
    looks like a finished one.
    """
    vendor = _vendor()
    root = Path(output_dir) if output_dir else default_backup_dir()
    root.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    target = _unique(root / f"zhibu-backup-{timezone.localtime(created):%Y%m%d-%H%M%S}")
    work = root / f"{target.name}.partial"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    try:
        database_file = DATABASE_FILES[vendor]
        _dump_database(vendor, work / database_file)
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, work / MEDIA_DIR, symlinks=False)
        else:
            (work / MEDIA_DIR).mkdir()
        files = {rel: _describe(work / rel) for rel in _files_under(work)}
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "django_version": django.get_version(),
            "zhibu_version": zhibu_version(),
            "database": {"vendor": vendor, "file": database_file},
            "migrations": applied_migrations(),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log_action(
        "common.backup.created",
        actor=actor,
        data={
            "backup": target.name,
            "database": vendor,
            "files": len(files),
            "bytes": sum(f["size"] for f in files.values()),
            "operator": _operator(),
        },
    )
    return target


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists() or candidate.with_name(candidate.name + ".partial").exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("不支持备份该数据库（%(vendor)s），仅支持 SQLite 和 PostgreSQL。") % {"vendor": connection.vendor}
        )
    return connection.vendor


def _dump_database(vendor: str, path: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # The online backup API copies a consistent snapshot, even while others write.
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)])


def applied_migrations() -> dict[str, str]:
    """The last applied migration of every app, e.g. ``{"members": "0004_member_phone"}``."""
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


def zhibu_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text("utf-8"), re.MULTILINE)
    except OSError:
        match = None
    return match.group(1) if match else ""


def _files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def _describe(path: Path) -> dict:
    return {"sha256": _sha256(path), "size": path.stat().st_size}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


# --- Checking ------------------------------------------------------------------------------------


def verify_backup(path) -> dict:
    """The manifest of a complete, unaltered backup this code can restore; ``BackupError`` otherwise."""
    path = Path(path)
    if not path.is_dir():
        raise _refused([_("备份不存在或不是目录：%(path)s") % {"path": path}])
    try:
        manifest = json.loads((path / MANIFEST).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise _refused([_("备份不完整，缺少清单文件 %(name)s") % {"name": MANIFEST}]) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _refused([_("备份清单 %(name)s 已损坏，无法读取") % {"name": MANIFEST}]) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused([_("备份清单的格式无法识别（应为第%(format)s版）") % {"format": FORMAT}])

    problems = _check_files(path, manifest.get("files"))
    problems += _check_database(manifest.get("database"), manifest.get("files") or {})
    problems += _check_migrations(manifest.get("migrations"))
    if problems:
        raise _refused(problems)
    return manifest


def _refused(problems: list[str]) -> BackupError:
    return BackupError(
        _("备份未通过校验，已拒绝恢复，现有数据未作任何改动：%(problems)s。") % {"problems": "；".join(problems)}
    )


def _check_files(path: Path, files) -> list[str]:
    if not isinstance(files, dict) or not files:
        return [_("清单中没有文件列表")]
    problems = []
    for rel, meta in sorted(files.items()):
        file = path / rel
        if not _inside(path, file) or not isinstance(meta, dict):
            problems.append(_("清单中的条目“%(name)s”无效") % {"name": rel})
        elif not file.is_file():
            problems.append(_("缺少文件 %(name)s") % {"name": rel})
        elif file.stat().st_size != meta.get("size") or _sha256(file) != meta.get("sha256"):
            problems.append(_("文件 %(name)s 的校验和不符（已损坏或被改动）") % {"name": rel})
    for rel in _files_under(path):
        if rel not in files:
            problems.append(_("清单未列出的文件 %(name)s") % {"name": rel})
    return problems


def _inside(root: Path, file: Path) -> bool:
    try:
        file.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _check_database(database, files: dict) -> list[str]:
    if not isinstance(database, dict) or database.get("file") not in files:
        return [_("清单中没有数据库快照")]
    if database.get("vendor") != connection.vendor:
        return [
            _("备份来自 %(backup)s 数据库，当前使用的是 %(current)s")
            % {"backup": database.get("vendor"), "current": connection.vendor}
        ]
    if database.get("file") != DATABASE_FILES.get(connection.vendor):
        return [_("数据库快照文件名“%(name)s”无法识别") % {"name": database.get("file")}]
    return []


def _check_migrations(migrations) -> list[str]:
    if not isinstance(migrations, dict) or not migrations:
        return [_("清单中没有数据库结构（迁移）信息")]
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        _("备份的数据库结构比当前程序新：%(app)s 的迁移 %(name)s 在当前程序中不存在") % {"app": app, "name": name}
        for app, name in sorted(migrations.items())
        if (app, name) not in known
    ]


# --- Restoring -----------------------------------------------------------------------------------


def restore_backup(path, *, actor=None) -> dict:
    """Replace the database and the attachments with the backup's; return the manifest.

    Checks the backup first (``verify_backup``) and changes nothing if it is refused.
    """
    path = Path(path)
    manifest = verify_backup(path)
    replaced = AuditEntry.objects.order_by("-id").values("id", "entry_hash").first() or {}
    media = Path(settings.MEDIA_ROOT)
    staged = _stage_media(path / MEDIA_DIR, media)
    try:
        _load_database(manifest["database"]["vendor"], path / manifest["database"]["file"])
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    set_aside = _swap_media(staged, media)
    ContentType.objects.clear_cache()
    migrated = _migrate_if_behind()
    log_action(
        "common.backup.restored",
        actor=actor,
        data={
            "backup": path.name,
            "backup_created_at": manifest.get("created_at"),
            "database": manifest["database"]["vendor"],
            "files": len(manifest["files"]),
            # The log before the restore ended here; its later entries are in the replaced database.
            "replaced_last_entry": replaced.get("id"),
            "replaced_last_hash": replaced.get("entry_hash", ""),
            "replaced_media": str(set_aside) if set_aside else "",
            "migrated": migrated,
            "operator": _operator(),
        },
    )
    return manifest


def _stage_media(source: Path, media: Path) -> Path:
    """Copy the backup's attachments next to MEDIA_ROOT first: the slow part, before any change."""
    staged = media.with_name(f".{media.name}-restoring")
    if staged.exists():
        shutil.rmtree(staged)
    staged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, staged, symlinks=False)
    return staged


def _swap_media(staged: Path, media: Path) -> Path | None:
    """Put the restored attachments in place; the replaced ones are moved aside, not deleted."""
    set_aside = None
    if media.exists():
        set_aside = _unique(media.with_name(f"{media.name}-replaced-{timezone.localtime():%Y%m%d-%H%M%S}"))
        media.rename(set_aside)
        if not any(set_aside.rglob("*")):
            set_aside.rmdir()
            set_aside = None
    staged.rename(media)
    return set_aside


def _load_database(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # The backup API in reverse: page by page into the live database, in one step.
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # pg_restore works on its own connection; ours must not hold locks on the tables.
        connection.close()
        _run_pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(dump),
            ]
        )


def _migrate_if_behind() -> bool:
    """An older backup is brought up to the current schema, as ``migrate`` would."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


# --- PostgreSQL client programs ------------------------------------------------------------------

_PG_SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def _run_pg(args: list[str]) -> None:
    """Run pg_dump / pg_restore against the configured database (the test database in tests)."""
    params = connection.settings_dict
    args = [*args, "--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])  # never on the command line, where ps shows it
    for option, variable in _PG_SSL_OPTIONS.items():
        if params.get("OPTIONS", {}).get(option):
            env[variable] = str(params["OPTIONS"][option])
    try:
        result = subprocess.run(args + ["--no-password"], env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(_("找不到 %(program)s，请安装 PostgreSQL 客户端程序。") % {"program": args[0]}) from exc
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 执行失败（退出码 %(code)s）：%(error)s")
            % {"program": args[0], "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )
