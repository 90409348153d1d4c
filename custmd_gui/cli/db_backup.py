"""`custmd db backup FILE` and `custmd db restore FILE [--force]` (services.backup).

Who acts: backing up needs an administrator, signed in as for every command. Restoring
needs one of the database being replaced when it is readable and has users; a file that is
not there, has no users or cannot be read any more (the data loss a restore is for) leaves
the decision to the file system's rights, and on PostgreSQL, where only an empty database
is restored into, to the server's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from custmd_gui.cli.common import EXIT_OK, session, session_actor

if TYPE_CHECKING:
    from custmd_gui.catalog import Text
    from custmd_gui.services.context import Actor


def _progress(lang: str) -> Callable[[Text], None]:
    """Each step on stderr, in the user's language."""

    def progress(text: Text) -> None:
        print(text.get(lang), file=sys.stderr, flush=True)

    return progress


def backup(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.backup import backup_database

    factory, actor = session(url, args)
    assert isinstance(factory, UnitOfWorkFactory)
    target = Path(args.file)
    try:
        manifest = backup_database(factory.engine, target, actor, _progress(lang))
    finally:
        factory.engine.dispose()
    customers = manifest.counts.get("kna1", 0)
    if lang == "en":
        print(
            f"backup written: {target} (schema {manifest.schema_revision}, "
            f"{customers} customers, sha256 {manifest.sha256[:16]}…)"
        )
    else:
        print(
            f"备份已写入：{target}（结构版本 {manifest.schema_revision}，{customers} 个客户，"
            f"sha256 {manifest.sha256[:16]}…）"
        )
    return EXIT_OK


def _restore_actor(url: str, args: argparse.Namespace) -> Actor:
    """Who restores (see the module)."""
    from sqlalchemy.exc import SQLAlchemyError

    from custmd_gui.persistence.backup import sqlite_path
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.auth import single_user_mode
    from custmd_gui.services.context import Actor

    path = sqlite_path(url)
    if path is None:
        return Actor.signed_in(url)
    if not path.exists():
        return Actor.current()
    engine = make_engine(url)
    try:
        factory = UnitOfWorkFactory(engine)
        try:
            if single_user_mode(factory):
                return Actor.current()
        except SQLAlchemyError:  # no users table, or no database any more
            return Actor.current()
        return session_actor(factory, args)
    finally:
        engine.dispose()


def restore(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.persistence.engine import normalize_url
    from custmd_gui.services.backup import restore_database
    from custmd_gui.settings import with_keyring_password

    url = normalize_url(with_keyring_password(url))
    actor = _restore_actor(url, args)
    result = restore_database(
        Path(args.file), url, actor, force=args.force, progress=_progress(lang)
    )
    customers = result.counts.get("kna1", 0)
    kept = result.before_restore
    if lang == "en":
        print(
            f"restored: {customers} customers, schema {result.revision_before} -> "
            f"{result.revision_after}, backup of {result.manifest.created_at}"
            + (f"; the replaced file is kept as {kept}" if kept else "")
        )
    else:
        print(
            f"已恢复：{customers} 个客户，结构版本 {result.revision_before} -> "
            f"{result.revision_after}，备份时间 {result.manifest.created_at}"
            + (f"；被替换的文件保留为 {kept}" if kept else "")
        )
    return EXIT_OK
