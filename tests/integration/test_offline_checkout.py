"""The checkout of a replica (issue 19) against a real PostgreSQL server: its first fill
(persistence.replica_load, no journal, rows as the server hands them over) stores what the
copy of a sync stores, and a checkout killed or cut half-way leaves no replica behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from custmd_gui.persistence import replica_copy, replica_load
from custmd_gui.persistence.engine import make_engine
from custmd_gui.services.offline_checkout import (
    checkout,
    connection_refusal,
    open_replica,
    partial_path,
)
from tests.integration.offline_faults_support import fault_proxy, via_proxy
from tests.integration.offline_support import Server, pg, seed
from tests.integration.tcp_proxy import Cut

__all__ = ["pg"]  # the fixture

NUMBERS = [str(2110380201 + i) for i in range(5)]


def _seed(pg: Server) -> None:
    seed(pg, NUMBERS, random.Random(5))


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return {
                name: sorted(conn.exec_driver_sql(f"SELECT * FROM {name}").all(), key=repr)
                for name in replica_copy.CUSTOMER_TABLES
            }
    finally:
        engine.dispose()


def test_the_first_fill_stores_what_the_copy_of_a_sync_stores(pg: Server, tmp_path: Path) -> None:
    _seed(pg)
    path = checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.sqlite"]
    filled = _rows(path)
    assert {r[1] for r in filled["kna1"]} == set(NUMBERS)
    assert all(filled[name] for name in ("kna1", "knb1", "knvv", "kna1_search", "kna1_find"))
    replica = open_replica(path)
    pg.engines.append(replica.engine)
    with replica.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # The same customers copied again the way a sync's pull copies them (their rows
    # deleted, then read by number into the replica with its indexes): not one value differs.
    server = make_engine(pg.url("laptop1"))
    pg.engines.append(server)
    with server.connect() as src, replica.engine.begin() as dst:
        replica_load.copy_customers(src, dst, NUMBERS)
    assert _rows(path) == filled
    with replica.engine.connect() as conn:
        found = conn.execute(
            text("SELECT kunnr FROM kna1_find WHERE kind = :k AND token = :t"),
            {"k": filled["kna1_find"][0][0], "t": filled["kna1_find"][0][1]},
        )
        assert filled["kna1_find"][0][2] in set(found.scalars())


_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from custmd_gui.services.offline_checkout import checkout

def progress(step, done, total):
    if step == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)

checkout(sys.argv[1], Path(sys.argv[2]), progress=progress)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.parametrize("moment", ["customers", "numbers"])
def test_a_checkout_killed_half_way_leaves_no_replica_and_a_new_one_succeeds(
    pg: Server, tmp_path: Path, moment: str
) -> None:
    """Killed at the first rows of customers (the file has no journal then), or once the
    file is complete but before the blocks of numbers are reserved."""
    _seed(pg)
    path = tmp_path / "l.sqlite"
    process = subprocess.run(
        [sys.executable, "-c", _KILLED_AT, pg.url("laptop1"), str(path), moment],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CUSTMD_LANG": "zh"},
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert not path.exists()
    assert partial_path(path).exists()  # what the killed checkout left, under its own name
    result = checkout(pg.url("laptop1"), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.sqlite"]
    replica = open_replica(result.path)
    pg.engines.append(replica.engine)
    with replica() as uow:
        assert uow.customers.existing(NUMBERS) == set(NUMBERS)
        assert uow.meta.get("device") == result.device


def test_a_connection_cut_during_the_fill_is_told_and_leaves_no_file(
    pg: Server, tmp_path: Path
) -> None:
    """Cut in the answer to the reader thread's first fetch of kna1_find: the error reaches
    the caller as a lost connection (the message of the window and the command)."""
    _seed(pg)
    path = tmp_path / "l.sqlite"
    with fault_proxy(pg) as proxy:
        proxy.arm(Cut(b"custmd_checkout_kna1_find", 2, 200))
        with pytest.raises(Exception) as failed:
            checkout(via_proxy(pg.url("laptop1"), proxy), path)
        assert proxy.fired.is_set()
    told = failed.value
    assert connection_refusal(told) is not None and not told.__context__, repr(told)
    assert list(tmp_path.iterdir()) == []
