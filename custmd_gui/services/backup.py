"""Backup and restore of a whole database (`custmd db backup/restore`, 系统 → 备份/恢复).

A backup file is a ZIP archive of two members: `manifest.json` (format, schema revision,
when, the source's kind, the row count of every table, the SHA-256 of the data) and the data,
`database.sqlite` (a snapshot by SQLite's online backup API, deflated) or `database.pgdump`
(pg_dump's custom format, already compressed; stored). One file the user can copy anywhere;
persistence.backup does the engine's part.

Restore never touches the live database before the restored copy is verified: the data is
unpacked to a temporary file, its hash checked against the manifest, SQLite's
`PRAGMA integrity_check` run, every count compared, an older schema migrated. Only then:

- SQLite: the live file is checkpointed and switched out of WAL (which fails while another
  program has it open), kept as `<file>.before-restore`, and the restored file takes its
  place by an atomic rename. Replacing a file that holds customers or users needs `force`
  (the GUI's question is that confirmation): after data loss the damaged file is still
  there to look at, and a restore by mistake is undone by renaming it back.
- PostgreSQL: restored into an EMPTY database only (`createdb` a new one). A damaged
  database is evidence and may hold work newer than the backup; the administrator points
  the clients at the restored database once satisfied, the PostgreSQL counterpart of
  `.before-restore`. pg_restore runs in one transaction: a failure leaves it empty.

A backup with a newer schema than this program's is refused (upgrade custmd first); an older
one is migrated after the restore by the normal upgrade. Backing up and restoring need
Permission.ADMIN; the automatic backups (services.backup_automatic) are the program's own
and ask nobody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from custmd_gui import __version__
from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import backup as engine_backup
from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine, normalize_url
from custmd_gui.services.authorization import authorize
from custmd_gui.services.context import Actor

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DATA = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
SUFFIX = ".custmd-backup"
BEFORE_RESTORE = ".before-restore"
KEY = "BACKUP-FILE"  # the "field" of every problem: the backup file
_CHUNK = 1 << 20

Progress = Callable[[Text], None]


def _quiet(_text: Text) -> None:
    return None


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    created_at: str  # ISO 8601, UTC
    source: str  # "sqlite" | "postgresql"
    counts: dict[str, int]
    sha256: str  # of the data member
    app_version: str = __version__
    format: int = FORMAT
    # SQLite only: the file's state when backed up (automatic backups skip an unchanged file)
    fingerprint: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: Any = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("the manifest is no JSON object")
        counts = data.get("counts")
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in counts.items()
        ):
            raise ValueError("counts")
        return cls(
            schema_revision=str(data["schema_revision"]),
            created_at=str(data["created_at"]),
            source=str(data["source"]),
            counts=counts,
            sha256=str(data["sha256"]),
            app_version=str(data.get("app_version", "")),
            format=int(data.get("format", 0)),
            fingerprint=str(data.get("fingerprint", "")),
        )


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    revision_before: str  # the backup's schema
    revision_after: str  # after the upgrade
    # SQLite: where the replaced file was kept (None: there was none)
    before_restore: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _problem(zh: str, en: str) -> DomainError:
    return DomainError.single(KEY, zh, en)


def _kind(url: str) -> str:
    return "sqlite" if engine_backup.sqlite_path(url) is not None else "postgresql"


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _tool_missing(exc: engine_backup.ToolMissing) -> DomainError:
    return _problem(
        f"找不到 PostgreSQL 客户端程序 {exc.tool}（PATH 中没有）：请安装 PostgreSQL 客户端工具"
        "（与服务器版本相同或更新），或把其所在目录加入 PATH",
        f"The PostgreSQL client program {exc.tool} is not on PATH: install the PostgreSQL "
        "client tools (the server's version or newer) or add their folder to PATH",
    )


def _tool_failed(tool: str, exc: engine_backup.ToolFailed) -> DomainError:
    return _problem(f"{tool} 失败：{exc}", f"{tool} failed: {exc}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# -- backup -----------------------------------------------------------------------------------


def backup_database(
    engine: Engine, target: Path, actor: Actor, progress: Progress = _quiet
) -> Manifest:
    """Back the database of `engine` up into the file `target` (replaced if it exists, and
    only once the backup is complete). Forbidden unless the actor administers."""
    authorize(actor, Permission.ADMIN)
    return backup_unchecked(engine, target, progress)


def backup_unchecked(engine: Engine, target: Path, progress: Progress = _quiet) -> Manifest:
    """backup_database without the permission check: the program's own automatic backups."""
    url = _url(engine)
    kind = _kind(url)
    target = target.expanduser().absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".custmd-backup-", dir=target.parent))
    except OSError as exc:
        raise _problem(
            f"无法写入备份文件夹 {target.parent}：{exc.strerror or exc}",
            f"Cannot write to the folder {target.parent}: {exc.strerror or exc}",
        ) from exc
    try:
        data = work / DATA[kind]
        if kind == "sqlite":
            source = engine_backup.sqlite_path(url)
            assert source is not None
            fingerprint = engine_backup.sqlite_fingerprint(source)
            progress(Text(zh="正在复制数据库…", en="Copying the database…"))
            engine_backup.sqlite_snapshot(source, data)
            progress(Text(zh="正在检查副本…", en="Checking the copy…"))
            complaints = engine_backup.sqlite_integrity(data)
            counts, revision = engine_backup.sqlite_counts(data)
            if complaints:
                raise _problem(
                    "数据库本身已损坏，备份中止：" + "; ".join(complaints[:5]),
                    "The database itself is damaged; no backup made: " + "; ".join(complaints[:5]),
                )
        else:
            fingerprint = ""
            got: dict[str, Any] = {}

            def counted(counts: dict[str, int], revision: str) -> None:
                got.update(counts=counts, revision=revision)

            progress(Text(zh="正在运行 pg_dump…", en="Running pg_dump…"))
            try:
                engine_backup.pg_dump(engine, url, data, counted)
            except engine_backup.ToolMissing as exc:
                raise _tool_missing(exc) from exc
            except engine_backup.ToolFailed as exc:
                raise _tool_failed("pg_dump", exc) from exc
            counts, revision = got["counts"], got["revision"]
        if not revision:
            raise _problem("数据库中没有 custmd 的表", "The database holds no custmd schema")
        manifest = Manifest(
            schema_revision=revision,
            created_at=_now(),
            source=kind,
            counts=counts,
            sha256=_sha256(data),
            fingerprint=fingerprint,
        )
        progress(Text(zh="正在写入备份文件…", en="Writing the backup file…"))
        packed = work / "backup.zip"
        method = zipfile.ZIP_DEFLATED if kind == "sqlite" else zipfile.ZIP_STORED
        with zipfile.ZipFile(packed, "w", compression=method, compresslevel=1) as archive:
            archive.writestr(MANIFEST, manifest.to_json())
            archive.write(data, DATA[kind])
        os.replace(packed, target)  # a backup file is whole or not there
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


# -- reading a backup -------------------------------------------------------------------------


def _corrupt(path: Path, why: str) -> DomainError:
    return _problem(
        f"备份文件 {path} 已损坏或不是 custmd 备份（{why}）",
        f"The backup file {path} is damaged or no custmd backup ({why})",
    )


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup file `path`; DomainError when it is none."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = Manifest.from_json(archive.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError as exc:
        raise _problem(f"备份文件 {path} 不存在", f"The backup file {path} does not exist") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, OSError) as exc:
        raise _corrupt(path, str(exc) or type(exc).__name__) from exc
    if manifest.format != FORMAT or manifest.source not in DATA:
        raise _corrupt(path, f"format {manifest.format}, source {manifest.source}")
    return manifest


def _known_revisions() -> list[str]:
    """The schema revisions this program knows, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def _check_schema(manifest: Manifest) -> None:
    if manifest.schema_revision not in _known_revisions():
        raise _problem(
            f"备份的数据库结构版本 {manifest.schema_revision} 比本程序的 {migrate.SCHEMA_HEAD} "
            "更新：请先升级 custmd，再恢复",
            f"The backup's schema {manifest.schema_revision} is newer than this program's "
            f"{migrate.SCHEMA_HEAD}: upgrade custmd first, then restore",
        )


def _unpack(path: Path, manifest: Manifest, target: Path) -> None:
    """The data member into `target`, its hash checked against the manifest."""
    digest = hashlib.sha256()
    try:
        with (
            zipfile.ZipFile(path) as archive,
            archive.open(DATA[manifest.source]) as data,
            target.open("wb") as out,
        ):
            while chunk := data.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise _corrupt(path, str(exc) or type(exc).__name__) from exc
    if digest.hexdigest() != manifest.sha256:
        raise _corrupt(path, "SHA-256")


def _compare_counts(path: Path, manifest: Manifest, counts: dict[str, int]) -> None:
    wrong = [
        f"{name} {counts.get(name)} ≠ {n}"
        for name, n in sorted(manifest.counts.items())
        if counts.get(name) != n
    ]
    if wrong:
        raise _corrupt(path, "; ".join(wrong[:5]))


# -- restore ----------------------------------------------------------------------------------


def restore_database(
    source: Path,
    url: str,
    actor: Actor,
    *,
    force: bool = False,
    progress: Progress = _quiet,
) -> RestoreResult:
    """Restore the backup file `source` into the database at `url` (see the module). The
    caller has closed its own connections to a SQLite target (engine.dispose())."""
    authorize(actor, Permission.ADMIN)
    url = normalize_url(url)
    source = source.expanduser().absolute()
    progress(Text(zh="正在读取备份…", en="Reading the backup…"))
    manifest = read_manifest(source)
    _check_schema(manifest)
    kind = _kind(url)
    if kind != manifest.source:
        raise _problem(
            f"这是 {manifest.source} 数据库的备份，不能恢复到 {kind} 数据库",
            f"This is a backup of a {manifest.source} database; it cannot be restored into "
            f"a {kind} database",
        )
    if kind == "sqlite":
        target = engine_backup.sqlite_path(url)
        assert target is not None
        return _restore_sqlite(source, manifest, target, force, progress)
    return _restore_postgres(source, manifest, url, force, progress)


def _holds_data(path: Path) -> bool:
    """The SQLite file `path` holds customers, users or change documents."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        counts, _revision = engine_backup.sqlite_counts(path)
    except Exception:  # unreadable: damaged, so worth keeping
        return True
    return any(counts.get(t, 0) for t in ("kna1", "app_user", "cdhdr"))


def _migrate(url: str, revision: str, progress: Progress) -> str:
    from custmd_gui.services.customizing import upgrade_database

    engine = make_engine(url)
    try:
        if revision != migrate.SCHEMA_HEAD:
            progress(
                Text(zh="正在升级数据库结构…", en="Upgrading the schema of the restored copy…")
            )
            upgrade_database(engine)
        with engine.begin() as conn:
            engine_backup.clear_transient(conn)
        return migrate.current_revision(engine) or ""
    finally:
        engine.dispose()


def _restore_sqlite(
    source: Path, manifest: Manifest, target: Path, force: bool, progress: Progress
) -> RestoreResult:
    target = target.expanduser().absolute()
    if _holds_data(target) and not force:
        raise _problem(
            f"目标数据库 {target} 中已有数据。确定要用备份替换它时，请加上 --force"
            f"（原文件将保留为 {target.name}{BEFORE_RESTORE}）",
            f"The database {target} holds data. To replace it with the backup, add --force "
            f"(the file is kept as {target.name}{BEFORE_RESTORE})",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.restore-", dir=target.parent)
    os.close(fd)
    restored = Path(name)
    try:
        progress(Text(zh="正在解压并校验备份…", en="Unpacking and checking the backup…"))
        _unpack(source, manifest, restored)
        try:
            complaints = engine_backup.sqlite_integrity(restored)
            counts, revision = engine_backup.sqlite_counts(restored)
        except (sqlite3.DatabaseError, SQLAlchemyError) as exc:
            raise _corrupt(source, str(exc).splitlines()[0]) from exc
        if complaints:
            raise _corrupt(source, "integrity_check: " + "; ".join(complaints[:5]))
        if revision != manifest.schema_revision:
            raise _corrupt(source, f"revision {revision}")
        _compare_counts(source, manifest, counts)
        after = _migrate(f"sqlite:///{restored}", manifest.schema_revision, progress)
        engine_backup.sqlite_set_rollback_journal(restored)
        counts, _ = engine_backup.sqlite_counts(restored)
        progress(Text(zh="正在替换数据库文件…", en="Replacing the database file…"))
        kept = _keep_before_restore(target)
        if kept is not None:
            shutil.copymode(kept, restored)
        os.replace(restored, target)
    finally:
        for leftover in (restored, *_sidecars(restored)):
            leftover.unlink(missing_ok=True)
    return RestoreResult(manifest, manifest.schema_revision, after, kept, counts)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def _keep_before_restore(target: Path) -> Path | None:
    """Make the live file whole (no -wal) and keep it as <file>.before-restore."""
    if not target.exists():
        for stale in _sidecars(target):
            stale.unlink(missing_ok=True)
        return None
    try:
        engine_backup.sqlite_take_over(target)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _problem(
                f"数据库 {target} 正被另一个程序使用：请先关闭使用它的其他 custmd 窗口，再恢复",
                f"The database {target} is in use by another program: close the other custmd "
                "windows using it, then restore",
            ) from exc
        # A damaged live file: keep it as it is.
        log.warning("%s: not checkpointed before the restore: %s", target, exc)
    kept = target.with_name(target.name + BEFORE_RESTORE)
    kept.unlink(missing_ok=True)
    try:
        os.link(target, kept)  # the same file under a second name: no gap, no copy
    except OSError:
        shutil.copy2(target, kept)
    for stale in _sidecars(target):
        stale.unlink(missing_ok=True)
    return kept


def _restore_postgres(
    source: Path, manifest: Manifest, url: str, force: bool, progress: Progress
) -> RestoreResult:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            empty = engine_backup.pg_is_empty(conn)
    finally:
        engine.dispose()
    if not empty:
        raise _problem(
            "PostgreSQL 备份只能恢复到一个空的新数据库（用 createdb 创建），原数据库保持不变"
            + ("；--force 仅适用于 SQLite 文件" if force else ""),
            "A PostgreSQL backup is restored into an empty new database only (createdb); "
            "the damaged one stays as it is"
            + ("; --force is for SQLite files only" if force else ""),
        )
    with tempfile.TemporaryDirectory(prefix="custmd-restore-") as tmp:
        dump = Path(tmp) / DATA["postgresql"]
        progress(Text(zh="正在解压并校验备份…", en="Unpacking and checking the backup…"))
        _unpack(source, manifest, dump)
        progress(Text(zh="正在运行 pg_restore…", en="Running pg_restore…"))
        try:
            engine_backup.pg_restore(url, dump)
        except engine_backup.ToolMissing as exc:
            raise _tool_missing(exc) from exc
        except engine_backup.ToolFailed as exc:
            raise _tool_failed("pg_restore", exc) from exc
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            counts = engine_backup.row_counts(conn)
    finally:
        engine.dispose()
    _compare_counts(source, manifest, counts)
    after = _migrate(url, manifest.schema_revision, progress)
    return RestoreResult(manifest, manifest.schema_revision, after, None, counts)
