"""The rolling automatic backups of a local database file: one a day, written when the app
opens the database (in the background), skipped when today's exists or nothing changed since
the newest (the file's size and time, recorded in the manifest), the newest few kept. They
are the program's own and ask nobody for a permission: the file is the user's own already.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import Engine

from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import backup as engine_backup
from custmd_gui.services.backup import SUFFIX, backup_unchecked, read_manifest

KEEP = 7


def automatic_folder(folder: Path, database: Path) -> Path:
    """Where the automatic backups of the file `database` go: a folder per database file
    under `folder` (the per-user data folder's backups)."""
    # Two files of the same name in different folders get different folders here.
    tag = hashlib.sha1(str(database.absolute()).encode("utf-8")).hexdigest()[:8]
    return folder / f"{database.stem}-{tag}"


def automatic_backup(
    engine: Engine, folder: Path, *, today: dt.date | None = None, keep: int = KEEP
) -> Path | None:
    """One backup a day of a local SQLite file into `automatic_folder(folder, file)`, the
    newest `keep` kept; None when nothing was written (not a local file, today's exists, or
    nothing changed since the newest)."""
    url = engine.url.render_as_string(hide_password=False)
    database = engine_backup.sqlite_path(url)
    if database is None or not database.exists():
        return None
    where = automatic_folder(folder, database)
    day = (today or dt.date.today()).isoformat()
    target = where / f"{day}{SUFFIX}"
    existing = sorted(where.glob(f"*{SUFFIX}")) if where.exists() else []
    if target in existing:
        return None
    if existing:
        try:
            newest = read_manifest(existing[-1])
        except DomainError:
            newest = None
        if newest and newest.fingerprint == engine_backup.sqlite_fingerprint(database):
            return None
    backup_unchecked(engine, target)
    for old in sorted(where.glob(f"*{SUFFIX}"))[:-keep]:
        old.unlink(missing_ok=True)
    return target
