"""The password reaches pg_dump and pg_restore through a temporary passfile, never through
their command line (which every user of the machine can read in the process list)."""

from __future__ import annotations

import stat
from pathlib import Path

from custmd_gui.persistence.backup import _libpq


def test_the_password_goes_to_a_private_passfile_that_is_deleted() -> None:
    url = "postgresql+psycopg://chief:s3cr:et\\x@db.example:5433/custmd"
    with _libpq(url) as (uri, env):
        assert uri == "postgresql://chief@db.example:5433/custmd"
        assert "s3cr" not in uri
        assert "PGPASSWORD" not in env
        passfile = Path(env["PGPASSFILE"])
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
        assert passfile.read_text(encoding="utf-8") == (
            "db.example:5433:custmd:chief:s3cr\\:et\\\\x\n"
        )
    assert not passfile.exists()


def test_without_a_password_libpq_finds_its_own() -> None:
    with _libpq("postgresql+psycopg://chief@db.example/custmd") as (uri, env):
        assert uri == "postgresql://chief@db.example/custmd"
        assert "PGPASSFILE" not in env
