"""Backup and restore (services.backup) on real files and a real PostgreSQL server with the
real pg_dump / pg_restore: a backup taken while a writer keeps committing customers restores
into a fresh database that passes PRAGMA integrity_check and has the export hash the source
had at the backup's moment; newer schemas, damaged files and non-administrators are refused;
the live database is untouched until the restored copy is verified."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custmd_gui.domain.authorization import Forbidden
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.auth import login
from custmd_gui.services.backup import (
    BEFORE_RESTORE,
    DATA,
    MANIFEST,
    backup_database,
    read_manifest,
    restore_database,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.export_hash import export_hash
from tests.conftest import PostgresServer, example_document

ADMIN = Actor("admin")
SECRET = "Secret-2024-x"


def _doc(i: int) -> dict[str, object]:
    return {
        "KNA1": {
            "KTOKD": "1310",
            "NAME1": f"备份收货方 {i}",
            "SORTL": "备份",
            "STRAS": "测试路1号",
            "PSTLZ": "200000",
            "ORT01": "上海",
            "LAND1": "CN",
            "SPRAS": "ZH",
        }
    }


class Writer(threading.Thread):
    """Keeps creating customers, each in its own committed transaction, on its own engine,
    until stopped; `committed` holds the numbers whose commit has returned."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.factory = UnitOfWorkFactory(self.engine)
        self.stop = threading.Event()
        self.committed: list[str] = []
        self.errors: list[str] = []

    def run(self) -> None:
        with self.factory() as uow:
            customizing = uow.customizing.load()
        i = 0
        while not self.stop.is_set():
            i += 1
            try:
                customer = create_customer(
                    self.factory, from_document(_doc(i)), ADMIN, customizing=customizing
                )
            except Exception as exc:  # reported by the test
                self.errors.append(repr(exc))
                return
            self.committed.append(customer.number)

    def finish(self) -> None:
        self.stop.set()
        self.join(60)
        self.engine.dispose()


def _numbers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(Kna1.kunnr)))



def test_backup_while_writing_restores_what_was_committed(
    db_url: str, engine: Engine, uow_factory: UnitOfWorkFactory, empty_url: str, tmp_path: Path
) -> None:
    create_customer(uow_factory, from_document(example_document()), ADMIN)
    writer = Writer(db_url)
    writer.start()
    try:
        while len(writer.committed) < 5 and not writer.errors:
            writer.join(0.05)
        before = set(writer.committed)  # committed before the backup started
        backup = tmp_path / "backups" / "b.custmd-backup"
        manifest = backup_database(engine, backup, ADMIN)
        while len(writer.committed) < len(before) + 5 and not writer.errors:
            writer.join(0.05)  # the writer went on during and after the backup
    finally:
        writer.finish()
    assert writer.errors == []
    assert manifest.schema_revision == migrate.SCHEMA_HEAD
    assert read_manifest(backup) == manifest

    result = restore_database(backup, empty_url, ADMIN)
    restored_engine = make_engine(empty_url)
    try:
        restored = _numbers(restored_engine)
        # Nothing committed before the backup is missing; what came later is not there.
        assert before <= restored
        assert restored < _numbers(engine)
        assert len(restored) == manifest.counts["kna1"] == result.counts["kna1"]
        restored_factory = UnitOfWorkFactory(restored_engine)
        assert export_hash(restored_factory, ADMIN) == export_hash(
            uow_factory, ADMIN, only=restored
        )
        assert export_hash(restored_factory, ADMIN) != export_hash(uow_factory, ADMIN)
        if restored_engine.dialect.name == "sqlite":
            path = Path(restored_engine.url.database or "")
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The restored database is a working one: the next customer gets the next number.
        with restored_factory() as uow:
            customizing = uow.customizing.load()
        new = create_customer(
            restored_factory, from_document(_doc(9999)), ADMIN, customizing=customizing
        )
        assert new.number not in restored
    finally:
        restored_engine.dispose()


def _rewrite(
    backup: Path,
    target: Path,
    *,
    manifest: dict[str, object] | None = None,
    data: bytes | None = None,
) -> Path:
    """A copy of the backup with its manifest or data member replaced."""
    with zipfile.ZipFile(backup) as archive:
        old_manifest = archive.read(MANIFEST)
        name = next(n for n in archive.namelist() if n != MANIFEST)
        old_data = archive.read(name)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(MANIFEST, json.dumps(manifest) if manifest is not None else old_manifest)
        archive.writestr(name, data if data is not None else old_data)
    return target


@pytest.fixture
def backup_file(engine: Engine, uow_factory: UnitOfWorkFactory, tmp_path: Path) -> Path:
    create_customer(uow_factory, from_document(example_document()), ADMIN)
    path = tmp_path / "one.custmd-backup"
    backup_database(engine, path, ADMIN)
    return path


def _refused(source: Path, url: str, *words: str) -> str:
    with pytest.raises(DomainError) as caught:
        restore_database(source, url, ADMIN)
    message = caught.value.problems[0].message
    for word in words:
        assert word in message.zh + message.en
    return message.zh


def test_restore_refuses_a_newer_schema(backup_file: Path, empty_url: str, tmp_path: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(backup_file).read(MANIFEST))
    manifest["schema_revision"] = "0099"
    newer = _rewrite(backup_file, tmp_path / "newer.custmd-backup", manifest=manifest)
    zh = _refused(newer, empty_url, "0099", "upgrade custmd")
    assert "更新" in zh
    _assert_nothing_restored(empty_url)


def test_restore_refuses_a_damaged_file(backup_file: Path, empty_url: str, tmp_path: Path) -> None:
    with zipfile.ZipFile(backup_file) as archive:
        data = bytearray(archive.read(next(n for n in archive.namelist() if n != MANIFEST)))
    data[len(data) // 2] ^= 0xFF
    flipped = _rewrite(backup_file, tmp_path / "flipped.custmd-backup", data=bytes(data))
    _refused(flipped, empty_url, "damaged", "SHA-256")
    truncated = tmp_path / "truncated.custmd-backup"
    truncated.write_bytes(backup_file.read_bytes()[: backup_file.stat().st_size // 2])
    _refused(truncated, empty_url, "damaged")
    _assert_nothing_restored(empty_url)


def test_restore_refuses_a_sqlite_file_that_fails_integrity_check(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """A damaged database whose manifest was made to match (hash and all): the integrity
    check and the counts still find it out, before the live file is touched."""
    live = tmp_path / "live.sqlite"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    factory = UnitOfWorkFactory(engine)
    create_customer(factory, from_document(example_document()), ADMIN)
    backup = tmp_path / "b.custmd-backup"
    backup_database(engine, backup, ADMIN)
    engine.dispose()
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        data = bytearray(archive.read(DATA["sqlite"]))
    page = 4096
    for at in range(page * 3, len(data) - page, page * 7):  # scribble over some pages
        data[at + 100 : at + 400] = b"\x5a" * 300
    import hashlib

    manifest["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    forged = _rewrite(
        backup, tmp_path / "forged.custmd-backup", manifest=manifest, data=bytes(data)
    )
    live_bytes = live.read_bytes()
    with pytest.raises(DomainError) as caught:
        restore_database(forged, f"sqlite:///{live}", ADMIN, force=True)
    assert "damaged" in caught.value.problems[0].message.en
    assert live.read_bytes() == live_bytes  # the live database was not touched
    assert not live.with_name(live.name + BEFORE_RESTORE).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if ".restore-" in p.name) == []


def _assert_nothing_restored(url: str) -> None:
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            assert not Path(engine.url.database or "").exists()
        else:
            from sqlalchemy import inspect

            with engine.connect() as conn:
                assert inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_sqlite_restore_keeps_the_replaced_file_and_asks_for_force(
    tmp_path: Path, sqlite_template: Path
) -> None:
    live = tmp_path / "custmd.sqlite"
    shutil.copyfile(sqlite_template, live)
    url = f"sqlite:///{live}"
    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    first = create_customer(factory, from_document(example_document()), ADMIN).number
    backup = tmp_path / "b.custmd-backup"
    backup_database(engine, backup, ADMIN)
    second = create_customer(factory, from_document(_doc(1)), ADMIN).number
    engine.dispose()

    with pytest.raises(DomainError) as caught:
        restore_database(backup, url, ADMIN)
    assert "--force" in caught.value.problems[0].message.zh
    result = restore_database(backup, url, ADMIN, force=True)

    kept = live.with_name(live.name + BEFORE_RESTORE)
    assert result.before_restore == kept
    for path, expected in ((live, {first}), (kept, {first, second})):
        check = make_engine(f"sqlite:///{path}")
        try:
            assert _numbers(check) == expected
        finally:
            check.dispose()


def test_only_an_administrator_backs_up_and_restores(
    engine: Engine, uow_factory: UnitOfWorkFactory, empty_url: str, tmp_path: Path
) -> None:
    users.create_user(uow_factory, ADMIN, "chief", password=SECRET, roles=["administrator"])
    users.create_user(uow_factory, ADMIN, "clerk", password=SECRET, roles=["assistant"])
    clerk = Actor.logged_in(login(uow_factory, "clerk", SECRET, "pc-01"))
    chief = Actor.logged_in(login(uow_factory, "chief", SECRET, "pc-01"))
    target = tmp_path / "b.custmd-backup"
    with pytest.raises(Forbidden):
        backup_database(engine, target, clerk)
    assert not target.exists()
    backup_database(engine, target, chief)
    with pytest.raises(Forbidden):
        restore_database(target, empty_url, clerk)
    _assert_nothing_restored(empty_url)
    result = restore_database(target, empty_url, chief)
    assert result.counts["app_user"] == 2


def test_missing_pg_dump_is_named(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = postgres.create(template=postgres.template)
    engine = make_engine(postgres.url(name))
    try:
        monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump there
        with pytest.raises(DomainError) as caught:
            backup_database(engine, tmp_path / "b.custmd-backup", ADMIN)
        message = caught.value.problems[0].message
        assert "pg_dump" in message.zh and "PATH" in message.zh
        assert "pg_dump" in message.en and "PATH" in message.en
        assert not (tmp_path / "b.custmd-backup").exists()
    finally:
        engine.dispose()
        postgres.drop(name)


def test_postgres_restore_refuses_a_database_in_use(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    """A PostgreSQL backup goes into an empty database only; --force changes nothing."""
    name = postgres.create(template=postgres.template)
    url = postgres.url(name)
    engine = make_engine(url)
    try:
        backup = tmp_path / "b.custmd-backup"
        backup_database(engine, backup, ADMIN)
        for force in (False, True):
            with pytest.raises(DomainError) as caught:
                restore_database(backup, url, ADMIN, force=force)
            assert "createdb" in caught.value.problems[0].message.en
    finally:
        engine.dispose()
        postgres.drop(name)


def test_automatic_backups_one_a_day_only_when_changed_last_seven_kept(
    tmp_path: Path, sqlite_template: Path
) -> None:
    from datetime import date, timedelta

    from custmd_gui.services.backup_automatic import automatic_backup, automatic_folder

    live = tmp_path / "custmd.sqlite"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    factory = UnitOfWorkFactory(engine)
    folder = tmp_path / "data" / "backups"
    day = date(2026, 1, 1)
    try:
        first = automatic_backup(engine, folder, today=day)
        assert first == automatic_folder(folder, live) / "2026-01-01.custmd-backup"
        assert first.is_file()
        assert automatic_backup(engine, folder, today=day) is None  # one a day
        # Nothing changed: the next day's start writes nothing (cheap).
        assert automatic_backup(engine, folder, today=day + timedelta(days=1)) is None
        numbers = []
        for i in range(1, 10):
            numbers.append(create_customer(factory, from_document(_doc(i)), ADMIN).number)
            made = automatic_backup(engine, folder, today=day + timedelta(days=i))
            assert made is not None
        kept = sorted(p.name for p in automatic_folder(folder, live).iterdir())
        assert kept == [
            f"{day + timedelta(days=i)}.custmd-backup" for i in range(3, 10)
        ]  # the last 7
        newest = read_manifest(automatic_folder(folder, live) / kept[-1])
        assert newest.counts["kna1"] == 9
    finally:
        engine.dispose()


def test_a_committed_customer_still_in_the_wal_is_in_the_backup(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """The defect of the issue: a copy of the file while the app has it open (WAL mode) lost
    a committed customer, which is still in the -wal file. The backup has it."""
    live = tmp_path / "custmd.sqlite"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")  # open, as the app keeps it
    try:
        number = create_customer(
            UnitOfWorkFactory(engine), from_document(example_document()), ADMIN
        ).number
        plain = tmp_path / "plain-copy.sqlite"
        shutil.copyfile(live, plain)
        copied = make_engine(f"sqlite:///{plain}")
        try:
            assert number not in _numbers(copied)  # what the plain copy lost
        finally:
            copied.dispose()
        backup = tmp_path / "b.custmd-backup"
        backup_database(engine, backup, ADMIN)
    finally:
        engine.dispose()
    restored = tmp_path / "restored.sqlite"
    restore_database(backup, f"sqlite:///{restored}", ADMIN)
    check = make_engine(f"sqlite:///{restored}")
    try:
        assert _numbers(check) == {number}
    finally:
        check.dispose()


def test_sqlite_restore_refuses_a_file_another_program_has_open(
    tmp_path: Path, sqlite_template: Path
) -> None:
    import subprocess
    import sys

    live = tmp_path / "custmd.sqlite"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    create_customer(UnitOfWorkFactory(engine), from_document(example_document()), ADMIN)
    backup = tmp_path / "b.custmd-backup"
    backup_database(engine, backup, ADMIN)
    engine.dispose()
    # Another custmd keeps the database open (a reader in WAL mode, as the app's pool).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            "c.execute('SELECT count(*) FROM kna1').fetchall(); print('open', flush=True);"
            "sys.stdin.read()",
            str(live),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = live.read_bytes()
        with pytest.raises(DomainError) as caught:
            restore_database(backup, f"sqlite:///{live}", ADMIN, force=True)
        assert "in use by another program" in caught.value.problems[0].message.en
        assert "正被另一个程序使用" in caught.value.problems[0].message.zh
        assert live.read_bytes() == before
    finally:
        holder.communicate("", timeout=30)
    restore_database(backup, f"sqlite:///{live}", ADMIN, force=True)  # once it is closed
