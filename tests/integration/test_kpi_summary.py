"""The step times kept on each request for the KPIs (migration 0021: requests.kpi_*, kept by
triggers of request_steps) on SQLite and PostgreSQL: after the documents' flow with returns,
corrections and resubmits, and the children an activation files, they equal what the steps
themselves give (the aggregate the KPIs computed over the steps before 0021), to the bit;
after a step is removed they are read again from the steps that remain. The migration fills
them in for the requests stored before it, and its downgrade drops them."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import psycopg
from alembic import command
from sqlalchemy import Engine, Table, case, delete, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
from custmd_gui.domain.requests import RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import migrate, tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.kpi import epoch
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.context import Actor
from tests.conftest import PostgresServer, example_document

ROLES = {r.code: r for r in DEFAULT_ROLES}
ASSISTANT = Actor.logged_in(
    Authorizations.of_roles(
        "wang_1038", [ROLES["assistant"]], company_codes=["F011"], sales_areas=["F011/*/*"]
    )
)
HEAD_OFFICE = Actor.logged_in(Authorizations.of_roles("zhao_hq", [ROLES["general_maintainer"]]))
CC_F011 = Actor.logged_in(
    Authorizations.of_roles("chen_f011", [ROLES["cc_maintainer"]], company_codes=["F011"])
)
COLUMNS = ("kpi_submitted", "kpi_reviewed", "kpi_approved", "kpi_activated", "kpi_edited")
REQUESTS: Table = tables.MaintenanceRequest.__table__  # type: ignore[assignment]


def _from_steps(engine: Engine) -> dict[str, tuple[Any, ...]]:
    """Per request: first submit and review, last approve, activate and edit (epoch seconds)
    and the number of returns, aggregated over its steps."""
    s = tables.RequestStep

    def pick(action: str, agg: Any) -> Any:
        return agg(case((s.action == action, epoch(s.at))))

    stmt = (
        select(
            tables.MaintenanceRequest.number,
            pick("submit", func.min),
            pick("review", func.min),
            pick("approve", func.max),
            pick("activate", func.max),
            pick("edit", func.max),
            func.coalesce(func.sum(case((s.action == "return", 1), else_=0)), 0),
        )
        .outerjoin(s, s.request_number == tables.MaintenanceRequest.number)
        .group_by(tables.MaintenanceRequest.number)
    )
    with Session(engine) as session:
        return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def _kept(engine: Engine) -> dict[str, tuple[Any, ...]]:
    c = REQUESTS.c
    stmt = select(c.number, *(c[name] for name in COLUMNS), c.kpi_returns)
    with engine.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(stmt)}


def test_kept_times_equal_the_steps_after_returns_and_resubmits(
    engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    document = from_document(example_document())
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CREATE, document, reason="新客户"
    ).number
    assert _kept(engine)[number] == (None, None, None, None, None, 0)
    rq.submit(uow_factory, ASSISTANT, number)
    for round_ in range(2):  # returned twice, corrected and resubmitted each time
        rq.start_review(uow_factory, HEAD_OFFICE, number)
        rq.return_request(uow_factory, HEAD_OFFICE, number, f"第{round_ + 1}次退回")
        corrected = from_document(example_document())
        corrected.general.telephone = f"021-6234567{round_}"
        rq.edit_request(uow_factory, ASSISTANT, number, document=corrected)
        rq.resubmit(uow_factory, ASSISTANT, number, "已更正")
    rq.start_review(uow_factory, HEAD_OFFICE, number)
    rq.approve(uow_factory, HEAD_OFFICE, number)
    rq.activate(uow_factory, HEAD_OFFICE, number)
    children = rq.list_requests(uow_factory, HEAD_OFFICE, parent=number)
    assert children  # filed submitted by the activation, without a submit step
    for child in children:
        if child.company_code == "F011":
            rq.approve(uow_factory, CC_F011, child.number)
            rq.activate(uow_factory, CC_F011, child.number)

    kept, expected = _kept(engine), _from_steps(engine)
    assert kept == expected
    submitted, reviewed, approved, activated, edited, returns = kept[number]
    assert returns == 2 and None not in (submitted, reviewed, approved, activated, edited)
    assert submitted < reviewed < edited < approved < activated
    cc_child = next(c.number for c in children if c.company_code == "F011")
    assert kept[cc_child][0] is None and kept[cc_child][2] is not None  # approved, never submitted

    # Steps are removed only by the owner; what stays is read again.
    with Session(engine) as session:
        session.execute(
            delete(tables.RequestStep).where(
                tables.RequestStep.request_number == number,
                tables.RequestStep.action.in_(["return", "activate"]),
            )
        )
        session.commit()
    kept = _kept(engine)
    assert kept == _from_steps(engine)
    assert kept[number][3] is None and kept[number][5] == 0


def test_upgrade_fills_existing_requests_and_downgrade_drops_the_columns(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0020")
        sqlite = engine.dialect.name == "sqlite"  # Uuid as SQLAlchemy keeps it there
        steps = [("create", "09:00"), ("submit", "09:30"), ("return", "10:00")]
        steps += [("edit", "11:00"), ("resubmit", "11:30"), ("review", "12:00")]
        steps += [("approve", "13:00"), ("activate", "13:05")]
        with engine.begin() as conn:
            for number, its_steps in (("0000000001", steps), ("0000000002", steps[:2]), ("3", [])):
                conn.execute(
                    text(
                        "INSERT INTO requests (number, type, status, requester, document, "
                        "created_at, changed_at, last_editor) VALUES (:n, 'create', 'draft', "
                        "'wang', '{}', :t, :t, 'wang')"
                    ),
                    {"n": number, "t": datetime(2026, 3, 2, 1, tzinfo=UTC)},
                )
                for seq, (action, hhmm) in enumerate(its_steps, 1):
                    hour, minute = (int(p) for p in hhmm.split(":"))
                    conn.execute(
                        text(
                            "INSERT INTO request_steps (id, request_number, seq, at, actor, "
                            "action, to_status) VALUES (:i, :n, :s, :t, 'wang', :a, 'x')"
                        ),
                        {
                            "i": uuid.uuid4().hex if sqlite else uuid.uuid4(),
                            "n": number,
                            "s": seq,
                            "t": datetime(2026, 3, 2, hour, minute, tzinfo=UTC),
                            "a": action,
                        },
                    )
        migrate.upgrade(engine)
        kept = _kept(engine)
        assert kept == _from_steps(engine)
        assert kept["0000000001"][5] == 1 and kept["0000000001"][3] is not None
        assert kept["3"] == (None, None, None, None, None, 0)
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0020")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("requests")}
        assert not {c for c in columns if c.startswith("kpi_")}
        migrate.upgrade(engine)
        assert migrate.is_current(engine) and _kept(engine) == _from_steps(engine)
    finally:
        engine.dispose()


def test_steps_written_at_once_both_count(postgres: PostgresServer) -> None:
    """PostgreSQL: two transactions each add a step to one request; the second waits for the
    first, and the times kept then hold both (not the second's snapshot alone)."""
    name = postgres.create(template=postgres.template)
    url = make_url(postgres.url(name)).set(drivername="postgresql")
    libpq = url.render_as_string(hide_password=False)
    insert_step = (
        "INSERT INTO request_steps (id, request_number, seq, at, actor, action, to_status) "
        "VALUES (%s, '0000000001', %s, now(), 'x', 'return', 'returned')"
    )
    try:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO requests (number, type, status, requester, document, created_at, "
                "changed_at, last_editor) VALUES ('0000000001', 'create', 'submitted', 'wang', "
                "'{}', now(), now(), 'wang')"
            )
        with psycopg.connect(libpq) as first, psycopg.connect(libpq) as second:
            first.execute(insert_step, (uuid.uuid4(), 1))

            def add_second() -> None:
                second.execute(insert_step, (uuid.uuid4(), 2))
                second.commit()

            with ThreadPoolExecutor(1) as pool:
                waiting = pool.submit(add_second)
                time.sleep(0.5)
                assert not waiting.done()  # queued behind the first's lock
                first.commit()
                waiting.result(timeout=30)
        with psycopg.connect(libpq) as conn:
            row = conn.execute("SELECT kpi_returns FROM requests").fetchone()
        assert row == (2,)
    finally:
        postgres.drop(name)
