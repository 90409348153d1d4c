"""kill -9 in the middle of a 20,000-row `custmd customer import`, on both databases: only
whole customers are stored (a batch of customers is one transaction), and running the same
file again completes the import without a duplicate (customers are recognised by KNA1-ALTKN).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import ChangeHeader, Kna1, Knb1, Knbk, Knvi, Knvp, Knvv
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from tests.integration.test_import import _internal, _workbook

ROWS_PER_CUSTOMER = 9  # KNA1, KNBK, KNB1, KNVV, KNVI and four KNVP rows
CUSTOMERS = -(-20_000 // ROWS_PER_CUSTOMER)  # 2,223 customers: 20,007 rows
# Names that differ in more than a serial number, as a real customer master's do.
_PLACES = (
    "东宁",
    "华兴",
    "永安",
    "恒通",
    "金桥",
    "新星",
    "联创",
    "瑞丰",
    "嘉禾",
    "宏达",
    "天成",
    "博远",
    "安泰",
    "鑫源",
    "润和",
)
_TRADES = (
    "广告",
    "物流",
    "机电",
    "食品",
    "纺织",
    "建材",
    "化工",
    "医药",
    "电子",
    "餐饮",
    "印务",
    "软件",
    "钢构",
    "家居",
    "农业",
)
_FORMS = (
    "有限公司",
    "股份有限公司",
    "贸易有限公司",
    "科技有限公司",
    "实业有限公司",
    "商行",
    "工作室",
    "中心",
    "厂",
    "店",
)


def _names() -> list[str]:
    return [f"{p}{t}{f}" for f, p, t in product(_FORMS, _PLACES, _TRADES)][:CUSTOMERS]


def _per_customer(factory: UnitOfWorkFactory) -> dict[str, int]:
    """Stored customers, and how many of them have every row of the file and one change
    document (whole customers)."""
    with factory() as uow:
        s = uow.session

        def count(table: type, rows: int) -> int:
            having = select(table.kunnr).group_by(table.kunnr).having(func.count() == rows)
            return int(s.scalar(select(func.count()).select_from(having.subquery())) or 0)

        documents = (
            select(ChangeHeader.objectid)
            .group_by(ChangeHeader.objectid)
            .having(func.count() == 1)
            .subquery()
        )
        return {
            "customers": int(s.scalar(select(func.count()).select_from(Kna1)) or 0),
            "distinct previous numbers": int(
                s.scalar(select(func.count(func.distinct(Kna1.altkn)))) or 0
            ),
            "KNBK": count(Knbk, 1),
            "KNB1": count(Knb1, 1),
            "KNVV": count(Knvv, 1),
            "KNVI": count(Knvi, 1),
            "KNVP": count(Knvp, 4),
            "change documents": int(s.scalar(select(func.count()).select_from(documents)) or 0),
        }


def test_killed_import_leaves_whole_customers_and_a_rerun_completes(
    db_url: str, tmp_path: Path
) -> None:
    factory = UnitOfWorkFactory(make_engine(db_url))
    customers = [_internal(f"K-{i:05}", name) for i, name in enumerate(_names())]
    path = _workbook(factory, tmp_path / "many.xlsx", customers)
    assert sum(len(rows) for c in customers for rows in c.values()) >= 20_000
    command = [sys.executable, "-m", "custmd_gui", "customer", "import", str(path), "--db", db_url]
    env = {**os.environ, "CUSTMD_LANG": "zh"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        with factory() as uow:
            stored = uow.session.scalar(select(func.count()).select_from(Kna1)) or 0
        if stored >= CUSTOMERS // 3:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        _, err = proc.communicate()
        pytest.fail(f"the import ended ({proc.returncode}) before it was killed: {err.decode()}")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    killed = _per_customer(factory)
    whole = killed["customers"]
    assert CUSTOMERS // 3 <= whole < CUSTOMERS
    assert set(killed.values()) == {whole}, killed  # every stored customer complete
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    assert f"创建 {CUSTOMERS - whole} 个" in rerun.stdout and f"未变 {whole} 个" in rerun.stdout
    done = _per_customer(factory)
    print(f"\nkilled with {whole} of {CUSTOMERS} customers stored: {killed}; rerun: {done}")
    assert set(done.values()) == {CUSTOMERS}, done  # all, each once, each whole
