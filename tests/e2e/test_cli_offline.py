"""`custmd offline` by script against a real PostgreSQL server: checkout, a create on the
replica with the ordinary command (numbered from the device's block, queued in the outbox),
sync, no conflicts; bad input answered with a message, not a traceback."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from custmd_gui.domain.sap_document import to_document
from custmd_gui.persistence.tables import OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from custmd_gui.services.offline_checkout import open_replica
from tests.e2e.test_cli import _write, custmd
from tests.integration.offline_support import PASSWORD, Server, new_customer, pg

__all__ = ["pg"]  # the fixture


def test_checkout_create_offline_and_sync_by_script(pg: Server, tmp_path: Path) -> None:
    # The password by PGPASSWORD (URL.set(password=None) would keep it in the URL).
    url = make_url(pg.url("laptop1"))._replace(password=None).render_as_string(hide_password=False)
    env = {"PGPASSWORD": PASSWORD}
    replica = tmp_path / "laptop.sqlite"
    out = custmd(
        "offline", "checkout", "--db", url, "--to", str(replica), "--block-size", "5", env=env
    )
    assert out.returncode == 0, out.stderr
    assert "离线副本" in out.stdout and "05: " in out.stdout

    doc = to_document(new_customer(random.Random(1), group="1610"))
    created = custmd("customer", "create", _write(tmp_path, doc), "--db", str(replica))
    assert created.returncode == 0, created.stderr
    number = next(w for w in created.stdout.split() if w.isdigit() and len(w) == 10)
    factory = open_replica(replica)
    pg.engines.append(factory.engine)
    with factory() as uow:
        assert list(uow.session.scalars(select(OutboxRow.kunnr))) == [number]

    synced = custmd("offline", "sync", "--replica", str(replica), env=env)
    assert synced.returncode == 0, synced.stderr
    assert "已上传 1 项，冲突 0 个" in synced.stdout
    assert read_customer(UnitOfWorkFactory(pg.owner), number).general.number == number
    listed = custmd("offline", "conflicts", "--replica", str(replica))
    assert (listed.returncode, listed.stdout) == (0, "")

    again = custmd("offline", "checkout", "--db", url, "--to", str(replica), env=env)
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    bad = custmd("offline", "resolve", "--replica", str(replica), "nix", "mine")
    assert bad.returncode == 1 and "冲突编号无效" in bad.stderr
