"""kill -9 in the middle of `custmd customer import`, on both databases: only whole customers
are stored (each is written in its own transaction), and running the same file again
completes the import without a duplicate (customers are recognised by KNA1-ALTKN)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from tests.integration.test_import import _internal, _workbook

CUSTOMERS = 40


def _stored(factory: UnitOfWorkFactory) -> list[tuple[str, str]]:
    with factory() as uow:
        return [(n, a) for n, a in uow.session.execute(select(Kna1.kunnr, Kna1.altkn)).all()]


def test_killed_import_leaves_whole_customers_and_a_rerun_completes(
    db_url: str, tmp_path: Path
) -> None:
    factory = UnitOfWorkFactory(make_engine(db_url))
    customers = [_internal(f"K-{i:03}", f"断电测试{i:03}号有限公司") for i in range(CUSTOMERS)]
    path = _workbook(factory, tmp_path / "many.xlsx", customers)
    command = [sys.executable, "-m", "custmd_gui", "customer", "import", str(path), "--db", db_url]
    env = {**os.environ, "CUSTMD_LANG": "zh"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with factory() as uow:
            count = uow.session.scalar(select(func.count()).select_from(Kna1)) or 0
        if count >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    stored = _stored(factory)
    assert 3 <= len(stored) < CUSTOMERS
    for number, _ in stored:
        customer = read_customer(factory, number)
        assert len(customer.company_codes) == 1 and len(customer.bank_details) == 1
        area = customer.sales_areas[0]
        assert len(customer.sales_areas) == 1 and len(area.partners) == 4
        assert len(area.tax_classifications) == 1
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"未变 {len(stored)} 个" in rerun.stdout
    after = _stored(factory)
    assert sorted(a for _, a in after) == [f"K-{i:03}" for i in range(CUSTOMERS)]
