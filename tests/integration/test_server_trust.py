"""The shared server trusts no client (issue 13, migration 0012).

Each shipped role gets its own LOGIN role, made the way the admin window makes users: an
administrator signed in to the server calls services.users.create_user with the user's
authorization groups, company codes and sales areas. The tests then connect with psycopg as
those roles, with no custmd code in between, and show that what the app never does is refused
or recorded: the number range cannot be set by hand, a change of customer data without a
change document is rolled back at COMMIT, a bare general-data row needs a drawn number and
known codes, a customer cannot be created blocked or flagged past finance. The services are
held to the same rules on both databases.

Roles belong to the whole server: each run names its roles with a random prefix and drops
them at teardown. The test server trusts 127.0.0.1, so passwords are not checked here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from custmd_gui.domain.authorization import Forbidden
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import login, server_actor
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.users import create_user, read_user
from tests.conftest import PostgresServer, example_document

# The same customers (KNA1-BEGRU '', 1038, 1039) and the change document a psql user writes.
from tests.integration.test_pg_authorization import DOCUMENT, MINE, OPEN, OTHERS

PASSWORD = "Geheim-2026!"
# Each shipped role with the scopes the administrator gives its user.
SCOPES: dict[str, dict[str, list[str]]] = {
    "assistant": {
        "auth_groups": ["1038"],
        "company_codes": ["F011", "F015"],
        "sales_areas": ["F011/*/*"],
    },
    "general_maintainer": {"auth_groups": ["1038"], "company_codes": ["*"], "sales_areas": []},
    "cc_maintainer": {"auth_groups": ["1038"], "company_codes": ["F011"], "sales_areas": []},
    "finance": {"auth_groups": ["1038"], "company_codes": ["*"], "sales_areas": ["*/*/*"]},
    "auditor": {"auth_groups": ["*"], "company_codes": ["*"], "sales_areas": ["*/*/*"]},
}
ROLES = ("administrator", *SCOPES)
# The server's refusals: no permission, and migration 0012's own (SQLSTATE class CM).
DENIED, UNDOCUMENTED, UNKNOWN_CODE, OUTSIDE_RANGE = "42501", "CM001", "CM002", "CM003"


def customer(number: str, group: str = "1038", **general: Any) -> Customer:
    """The documents' example as customer `number` of authorization group `group`."""
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": f"客户{number}", "STCD5": "", "BEGRU": group})
    doc["KNA1"].update(general)
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    return from_document(doc)


def ship_to() -> Customer:
    """A ship-to party (1310): general data only, an internal number."""
    general = {"KTOKD": "1310", "NAME1": "收货方", "SORTL": "收货", "STRAS": "测试路 1 号"}
    general |= {"PSTLZ": "200000", "ORT01": "上海", "LAND1": "CN", "SPRAS": "ZH"}
    return from_document({"KNA1": general})


TABLES = ("kna1", "knbk", "knb1", "knvv", "knvi", "knvp", "cdhdr", "cdpos", "nriv", "nr_block")


def contents(engine: Engine) -> dict[str, tuple[int, str]]:
    """Per table its row count and a digest of every row: equal means untouched."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in TABLES:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}")))
            out[table] = (len(rows), str(hash("\n".join(rows))))
    return out


@dataclass
class Server:
    postgres: PostgresServer
    database: str
    owner: Engine
    prefix: str
    users: dict[str, str] = field(default_factory=dict)  # app role -> login role

    def url(self, role: str, *, driver: str = "postgresql") -> str:
        url = make_url(self.postgres.url(self.database)).set(
            drivername=driver, username=self.users[role], password=PASSWORD
        )
        return url.render_as_string(hide_password=False)

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(role), autocommit=True)

    def run(self, role: str, *statements: tuple[str, tuple[Any, ...]]) -> list[Any]:
        """The statements in one transaction as `role`; the last one's rows, if any."""
        with self.connect(role) as conn, conn.transaction():
            cursor = None
            for statement, params in statements:
                cursor = conn.execute(statement.encode(), params)  # type: ignore[arg-type]
            assert cursor is not None
            return cursor.fetchall() if cursor.description else [cursor.rowcount]

    def refused(self, sqlstate: str, role: str, *statements: tuple[str, tuple[Any, ...]]) -> str:
        """The server's refusal of the transaction, with the SQLSTATE expected."""
        with pytest.raises(psycopg.Error) as refusal:
            self.run(role, *statements)
        assert refusal.value.sqlstate == sqlstate, refusal.value
        return str(refusal.value)

    def factory(self, role: str) -> UnitOfWorkFactory:
        return UnitOfWorkFactory(make_engine(self.url(role)))

    def scalar(self, statement: str, **params: Any) -> Any:
        with self.owner.connect() as conn:
            return conn.execute(text(statement), params).scalar()


@pytest.fixture
def server(postgres: PostgresServer) -> Iterator[Server]:
    name = postgres.create(template=postgres.template)
    owner = make_engine(postgres.url(name))
    s = Server(postgres, name, owner, f"ctrust_{uuid.uuid4().hex[:8]}")
    admin_engine: Engine | None = None
    try:
        owning = UnitOfWorkFactory(owner)
        for number, group in ((OPEN, "1038"), (MINE, "1038"), (OTHERS, "1039")):
            create_customer(owning, customer(number, group), Actor("setup"))
        with owner.begin() as conn:  # OPEN: no authorization group, everyone's
            conn.execute(text("UPDATE kna1 SET begru = '' WHERE kunnr = :n"), {"n": OPEN})
        # The first user, made by the database's owner on the server (single-user mode) ...
        s.users["administrator"] = f"{s.prefix}_administrator"
        create_user(
            owning,
            Actor("dba", "server"),
            s.users["administrator"],
            password=PASSWORD,
            roles=["administrator"],
            auth_groups=["*"],
            company_codes=["*"],
            sales_areas=["*/*/*"],
        )
        # ... then every other one by that administrator, signed in as their own role: the
        # path the admin window takes.
        admin_engine = make_engine(s.url("administrator", driver="postgresql+psycopg"))
        admin_factory = UnitOfWorkFactory(admin_engine)
        admin = server_actor(admin_factory, s.url("administrator"))
        assert admin is not None and admin.origin == "server"
        for role, scopes in SCOPES.items():
            s.users[role] = f"{s.prefix}_{role}"
            create_user(
                admin_factory, admin, s.users[role], password=PASSWORD, roles=[role], **scopes
            )
        yield s
    finally:
        if admin_engine is not None:
            admin_engine.dispose()
        with owner.begin() as conn:
            for user in s.users.values():
                if db_roles.role_exists(conn, user):
                    db_roles.drop_login(conn, user)
        owner.dispose()
        postgres.drop(name)


# --- users and their scopes ------------------------------------------------------------------


def test_a_user_made_on_the_server_keeps_its_scopes_and_works_in_its_center(
    server: Server,
) -> None:
    owning = UnitOfWorkFactory(server.owner)
    info = read_user(owning, Actor("setup"), server.users["assistant"])
    assert (info.scopes.auth_groups, info.scopes.company_codes) == (("1038",), ("F011", "F015"))
    assert info.scopes.sales_areas == (("F011", "*", "*"),)
    assert not info.has_password  # the server checks the role's password
    with server.owner.connect() as conn:
        assert db_roles.can_log_in(conn, server.users["assistant"])
        assert db_roles.role_groups(conn, server.users["assistant"]) == ["assistant"]
    factory = server.factory("assistant")
    try:
        actor = server_actor(factory, server.url("assistant"))
        assert actor is not None and actor.rights.can_see("1038")
        created = create_customer(factory, customer("2110380010"), actor)
        assert read_customer(factory, created.number, actor).general.authorization_group == "1038"
        with pytest.raises(Forbidden):  # another center's customer
            create_customer(factory, customer("2110380011", "1039"), actor)
    finally:
        factory.engine.dispose()


def test_custmd_user_create_on_the_server_makes_a_login_role_with_its_scopes(
    server: Server,
) -> None:
    new = f"{server.prefix}_cli"
    server.users["cli"] = new  # dropped at teardown
    env = {**os.environ, "NEW_PW": PASSWORD}
    env.pop("CUSTMD_USER", None)
    result = subprocess.run(
        [
            sys.executable, "-m", "custmd_gui", "user", "create", new, "--role", "assistant",
            "--auth-group", "1038", "--company-code", "F011", "--sales-area", "F011/10/01",
            "--password-env", "NEW_PW", "--db", server.url("administrator"),
        ],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with server.owner.connect() as conn:
        assert db_roles.can_log_in(conn, new) and db_roles.role_groups(conn, new) == ["assistant"]
    info = read_user(UnitOfWorkFactory(server.owner), Actor("setup"), new)
    assert info.scopes.auth_groups == ("1038",) and info.scopes.company_codes == ("F011",)
    assert info.scopes.sales_areas == (("F011", "10", "01"),)
    # the new role sees its center's customers only
    seen = server.run("cli", ("SELECT kunnr FROM kna1 ORDER BY kunnr", ()))
    assert [r[0] for r in seen] == [OPEN, MINE]


def test_a_user_made_locally_keeps_its_scopes_and_works_in_its_center(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The same path on a local file (or app logins): password, login, create."""
    create_user(uow_factory, Actor("setup"), "admin", password=PASSWORD, roles=["administrator"])
    admin = Actor.logged_in(login(uow_factory, "admin", PASSWORD, "test"))
    create_user(
        uow_factory, admin, "lisi", password=PASSWORD, roles=["assistant"],
        auth_groups=["1038"], company_codes=["F011"], sales_areas=["F011/10/01"],
    )  # fmt: skip
    lisi = Actor.logged_in(login(uow_factory, "lisi", PASSWORD, "test"))
    assert lisi.rights.auth_groups == frozenset({"1038"})
    created = create_customer(uow_factory, customer("2110380010"), lisi)
    assert created.number == "2110380010"


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES[1:])
def test_nobody_but_the_administrator_sets_the_number_range(server: Server, role: str) -> None:
    level = server.scalar("SELECT nrlevel FROM nriv WHERE nrrangenr = '02'")
    for statement in (
        "UPDATE nriv SET nrlevel = 1000000000 WHERE nrrangenr = '02'",
        "UPDATE nr_block SET last_number = last_number + 1",
        "INSERT INTO nr_block (id, nrrangenr, device, first_number, last_number, issued_at) "
        "VALUES (gen_random_uuid(), '02', 'x', 1, 2, now())",
    ):
        server.refused(DENIED, role, (statement, ()))
    assert server.scalar("SELECT nrlevel FROM nriv WHERE nrrangenr = '02'") == level


def test_numbers_are_drawn_and_reserved_only_through_the_server(server: Server) -> None:
    assert server.run("assistant", ("SELECT custmd_draw_number('02')", ())) == [(1000000000,)]
    block = server.run("assistant", ("SELECT * FROM custmd_reserve_numbers('02', 'lt-7', 50)", ()))
    assert block == [(1000000001, 1000000050)]
    issued = server.scalar("SELECT issued_to FROM nr_block WHERE device = 'lt-7'")
    assert issued == server.users["assistant"]
    assert server.run("assistant", ("SELECT custmd_draw_number('02')", ())) == [(1000000051,)]
    # an external range has nothing to draw; a block is at most 10,000 numbers
    assert server.run("assistant", ("SELECT custmd_draw_number('01')", ())) == [(None,)]
    server.refused(
        "22023",
        "assistant",
        ("SELECT * FROM custmd_reserve_numbers('02', 'lt-7', 1000000)", ()),
    )
    for role in ("finance", "auditor", "cc_maintainer"):
        server.refused(DENIED, role, ("SELECT custmd_draw_number('02')", ()))
    # the head office draws numbers when it activates a request's general data (0017)
    assert server.run("general_maintainer", ("SELECT custmd_draw_number('02')", ())) == [
        (1000000052,)
    ]
    server.refused(
        DENIED, "general_maintainer", ("SELECT * FROM custmd_reserve_numbers('02', 'x', 1)", ())
    )


def test_a_kept_number_raises_the_range_and_never_lowers_it(server: Server) -> None:
    """An import keeping a migrated customer's internal number (0022): the level goes up to
    it, never down, only inside an internal range, only for the roles that draw numbers."""

    def adopt(role: str, range_id: str, number: int) -> object:
        sql = "SELECT custmd_adopt_number(%s, %s)"
        return server.run(role, (sql, (range_id, number)))

    assert adopt("administrator", "02", 1000000500) == [(True,)]
    assert server.scalar("SELECT nrlevel FROM nriv WHERE nrrangenr = '02'") == 1000000500
    assert adopt("assistant", "02", 1000000100) == [(True,)]  # below the level: kept as it is
    assert server.scalar("SELECT nrlevel FROM nriv WHERE nrrangenr = '02'") == 1000000500
    assert adopt("administrator", "02", 5) == [(False,)]  # outside the range
    assert adopt("administrator", "01", 2110380001) == [(False,)]  # an external range
    for role in ("finance", "auditor", "cc_maintainer", "general_maintainer"):
        server.refused(DENIED, role, ("SELECT custmd_adopt_number('02', 1000000900)", ()))
    assert server.run("assistant", ("SELECT custmd_draw_number('02')", ())) == [(1000000501,)]


def test_a_range_set_back_skips_the_numbers_in_use(uow_factory: UnitOfWorkFactory) -> None:
    """Set back by hand (or restored from an old backup), the range no longer makes every
    internal-number create fail with a duplicate key: the numbers in use are skipped."""
    first = create_customer(uow_factory, ship_to(), Actor("setup"))
    second = create_customer(uow_factory, ship_to(), Actor("setup"))
    with uow_factory(write=True) as uow:
        uow.session.execute(text("UPDATE nriv SET nrlevel = nrlevel - 2 WHERE nrrangenr = '02'"))
        uow.commit()
    third = create_customer(uow_factory, ship_to(), Actor("setup"))
    assert int(third.number) == int(second.number) + 1 == int(first.number) + 2


def test_numbers_drawn_together_skip_the_numbers_in_use(uow_factory: UnitOfWorkFactory) -> None:
    """An import's batch draws its numbers in one step (draw_many): consecutive numbers, the
    ones in use skipped as a single draw skips them, the level where the last one stands."""
    create_customer(uow_factory, ship_to(), Actor("setup"))
    create_customer(uow_factory, ship_to(), Actor("setup"))
    with uow_factory(write=True) as uow:
        top = uow.numbers.level("02")  # the two ship-to parties (1310) hold top - 1 and top
        uow.session.execute(text("UPDATE nriv SET nrlevel = nrlevel - 3 WHERE nrrangenr = '02'"))
        drawn = uow.numbers.draw_many("02", 4)
        level = uow.numbers.level("02")
        uow.commit()
    assert drawn == [top - 2, top + 1, top + 2, top + 3] and level == top + 3
    with uow_factory(write=True) as uow:
        assert uow.numbers.draw_many("02", 0) == []


# --- a change document with every change -----------------------------------------------------

# (role, statement, params, what it changes) — each allowed to the role by its grants.
CHANGES = [
    ("assistant", "UPDATE knvv SET vsbed = '12' WHERE kunnr = %s", (MINE,)),
    ("assistant", "DELETE FROM knvp WHERE kunnr = %s", (MINE,)),
    ("assistant", "DELETE FROM knvi WHERE kunnr = %s", (MINE,)),
    ("assistant", "UPDATE kna1 SET changed_at = now(), version = version + 1 WHERE kunnr = %s",
     (MINE,)),
    ("general_maintainer", "UPDATE kna1 SET stras = '长宁路 1 号' WHERE kunnr = %s", (MINE,)),
    ("general_maintainer", "DELETE FROM knbk WHERE kunnr = %s", (MINE,)),
    ("cc_maintainer", "UPDATE knb1 SET zterm = 'Z030' WHERE kunnr = %s", (MINE,)),
    ("finance", "UPDATE kna1 SET aufsd = '01' WHERE kunnr = %s", (MINE,)),
    ("finance", "UPDATE knvv SET loevm = true WHERE kunnr = %s", (MINE,)),
    ("administrator", "DELETE FROM knvp WHERE kunnr = %s", (MINE,)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "statement", "params"), CHANGES, ids=[f"{c[0]}:{c[1][:22]}" for c in CHANGES]
)
def test_a_change_without_a_change_document_is_rolled_back(
    server: Server, role: str, statement: str, params: tuple[Any, ...]
) -> None:
    before = contents(server.owner)
    message = server.refused(UNDOCUMENTED, role, (statement, params))
    assert "没有更改凭证" in message and MINE in message
    assert contents(server.owner) == before
    # with a change document of the same role in the same transaction, it is recorded
    changed = server.run(role, (DOCUMENT, (uuid.uuid4(), MINE)), (statement, params))
    assert changed[0] >= 1
    who = server.scalar(
        "SELECT username FROM cdhdr WHERE objectid = :n AND origin = 'psql'", n=MINE
    )
    assert who == server.users[role]


def test_a_change_document_of_another_transaction_or_customer_does_not_count(
    server: Server,
) -> None:
    change = ("UPDATE knvv SET vsbed = '12' WHERE kunnr = %s", (MINE,))
    server.run("assistant", (DOCUMENT, (uuid.uuid4(), MINE)))  # committed on its own
    server.refused(UNDOCUMENTED, "assistant", change)
    server.refused(UNDOCUMENTED, "assistant", (DOCUMENT, (uuid.uuid4(), OPEN)), change)
    assert server.scalar("SELECT vsbed FROM knvv WHERE kunnr = :n", n=MINE) == "11"


def test_a_bare_general_data_row_is_refused_or_recorded(server: Server) -> None:
    insert = (
        "INSERT INTO kna1 (id, kunnr, ktokd, begru, land1, version, created_at) "
        "VALUES (%s, %s, %s, '1038', %s, 1, now())"
    )
    before = contents(server.owner)

    def bare(number: str, group: str = "1110", country: str = "CN") -> tuple[str, tuple[Any, ...]]:
        return insert, (uuid.uuid4(), number, group, country)

    def documented(number: str) -> tuple[str, tuple[Any, ...]]:
        return DOCUMENT, (uuid.uuid4(), number)

    # without a change document
    server.refused(UNDOCUMENTED, "assistant", bare("2110380020"))
    # an internal number nobody drew, a number outside the group's range, an unknown group
    for number, group in (("1300000500", "1310"), ("3110380020", "1110"), ("2110380020", "ZZZZ")):
        message = server.refused(
            OUTSIDE_RANGE, "assistant", documented(number), bare(number, group)
        )
        assert "KNA1-KUNNR" in message and "编号范围" in message
    # a country that is no code of the customizing
    message = server.refused(
        UNKNOWN_CODE,
        "assistant",
        documented("2110380020"),
        bare("2110380020", "1110", "XX"),
    )
    assert "KNA1-LAND1" in message and "XX" in message
    assert contents(server.owner) == before
    # within the rules it is recorded: the row comes with its change document
    server.run("assistant", documented("2110380020"), bare("2110380020"))
    assert server.scalar("SELECT count(*) FROM cdhdr WHERE objectid = '2110380020'") == 1


# --- blocks and deletion flags at creation ----------------------------------------------------

BLOCKED = [
    ("kna1", "aufsd", "'01'"),
    ("kna1", "sperr", "true"),
    ("kna1", "loevm", "true"),
    ("knvv", "lifsd", "'01'"),
    ("knb1", "sperr", "true"),
]


@pytest.mark.parametrize(("table", "column", "value"), BLOCKED)
def test_the_assistant_cannot_insert_blocked_or_flagged_data(
    server: Server, table: str, column: str, value: str
) -> None:
    number = "2110380021"
    rows = {
        "kna1": f"INSERT INTO kna1 (id, kunnr, ktokd, begru, {column}, version, created_at) "
        f"VALUES (gen_random_uuid(), '{number}', '1110', '1038', {value}, 1, now())",
        "knvv": f"INSERT INTO knvv (id, kunnr, vkorg, vtweg, spart, begru, {column}) "
        f"VALUES (gen_random_uuid(), '{MINE}', 'F011', '20', '01', '1038', {value})",
        "knb1": f"INSERT INTO knb1 (id, kunnr, bukrs, begru, akont, {column}) "
        f"VALUES (gen_random_uuid(), '{MINE}', 'F015', '1038', '00', {value})",
    }
    target = number if table == "kna1" else MINE
    before = contents(server.owner)
    message = server.refused(
        DENIED,
        "assistant",
        (DOCUMENT, (uuid.uuid4(), target)),
        (rows[table], ()),
    )
    assert f"{table.upper()}-{column.upper()}" in message and "冻结" in message
    assert contents(server.owner) == before


def test_the_app_refuses_a_customer_created_blocked_on_the_server(server: Server) -> None:
    factory = server.factory("assistant")
    try:
        actor = server_actor(factory, server.url("assistant"))
        assert actor is not None
        before = contents(server.owner)
        with pytest.raises(DomainError) as refusal:
            create_customer(factory, customer("2110380022", AUFSD="01", LOEVM="X"), actor)
        keys = {p.field_key for p in refusal.value.problems}
        assert {"KNA1-AUFSD", "KNA1-LOEVM"} <= keys
        assert contents(server.owner) == before
    finally:
        factory.engine.dispose()
    # the administrator may (restoring an archived, flagged customer)
    admin = server.factory("administrator")
    try:
        actor = server_actor(admin, server.url("administrator"))
        assert actor is not None
        created = create_customer(admin, customer("2110380022", LOEVM="X"), actor)
        assert read_customer(admin, created.number).general.deletion_flag
    finally:
        admin.engine.dispose()


def _assistant(uow_factory: UnitOfWorkFactory) -> Actor:
    create_user(uow_factory, Actor("setup"), "admin", password=PASSWORD, roles=["administrator"])
    create_user(
        uow_factory, Actor("setup"), "lisi", password=PASSWORD, roles=["assistant"],
        auth_groups=["1038"], company_codes=["F011", "F015"], sales_areas=["*/*/*"],
    )  # fmt: skip
    return Actor.logged_in(login(uow_factory, "lisi", PASSWORD, "test"))


def test_the_create_service_refuses_blocks_and_flags_without_the_right(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    lisi = _assistant(uow_factory)
    before = contents(engine)
    blocked = customer("2110380023", AUFSD="01", SPERR="X")
    blocked.sales_areas[0].delivery_block = "01"
    blocked.company_codes[0].deletion_flag = True
    with pytest.raises(DomainError) as refusal:
        create_customer(uow_factory, blocked, lisi)
    problems = {(p.field_key, p.segment) for p in refusal.value.problems}
    assert problems == {
        ("KNA1-AUFSD", ""),
        ("KNA1-SPERR", ""),
        ("KNVV-LIFSD", "F011/10/01"),
        ("KNB1-LOEVM", "F011"),
    }
    assert all("冻结" in p.message.zh for p in refusal.value.problems)
    assert contents(engine) == before


def test_the_extend_service_refuses_a_blocked_new_segment(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    lisi = _assistant(uow_factory)
    created = create_customer(uow_factory, customer("2110380024"), lisi)
    new_code = created.company_codes[0].model_copy(update={"company_code": "F015"})
    before = contents(engine)
    with pytest.raises(DomainError) as refusal:
        extend_customer(
            uow_factory,
            created.number,
            lisi,
            company_codes=[new_code.model_copy(update={"posting_block": True})],
        )
    assert [(p.field_key, p.segment) for p in refusal.value.problems] == [("KNB1-SPERR", "F015")]
    assert contents(engine) == before
    extended = extend_customer(uow_factory, created.number, lisi, company_codes=[new_code])
    assert extended.company_code("F015") is not None


def test_the_migration_knows_every_coded_field_of_the_catalog() -> None:
    """Migration 0012 freezes the catalog's coded fields for the server's check; a value help
    added to the catalog needs a migration that checks it too."""
    from importlib import import_module

    from custmd_gui.catalog import catalog

    migration = import_module("custmd_gui.persistence.migrations.versions.0012_server_trust")
    cat = catalog()
    expected = {
        (
            f.table.lower(),
            f.column,
            f.key,
            f.label.zh,
            f.value_help,
            cat.field(f.value_help_parent).column if f.value_help_parent else "",
        )
        for f in cat
        if f.value_help and f.value_help != "account_groups"  # the number check's business
    }
    assert set(migration.CODED) == expected


def test_the_apps_own_writes_pass_the_servers_checks(server: Server, tmp_path: Path) -> None:
    """Block, flag and physical deletion through the services, each signed in as its role:
    every change comes with its change document, so the server lets them through."""
    from custmd_gui.services.deletion import delete_customers
    from custmd_gui.services.status import Level, StatusEdit, change_status

    finance = server.factory("finance")
    admin = server.factory("administrator")
    try:
        actor = server_actor(finance, server.url("finance"))
        assert actor is not None
        edit = StatusEdit(Level.CENTRAL, order="01", posting=True)
        assert len(change_status(finance, [MINE], [edit], actor, "逾期欠款").changed) == 1
        boss = server_actor(admin, server.url("administrator"))
        assert boss is not None
        flag = StatusEdit(Level.CENTRAL, deletion=True)
        change_status(admin, [OTHERS], [flag], boss, "重复客户")
        report = delete_customers(admin, [OTHERS], boss, tmp_path, "重复客户")
        assert len(report.removed) == 1
        assert server.scalar("SELECT count(*) FROM kna1 WHERE kunnr = :n", n=OTHERS) == 0
        codes = server.scalar(
            "SELECT string_agg(tcode, ',' ORDER BY udate) FROM cdhdr WHERE objectid = :n",
            n=OTHERS,
        )
        assert codes == "XD01,XD06,XD07"
    finally:
        finance.engine.dispose()
        admin.engine.dispose()


def test_a_right_the_server_does_not_grant_is_refused_with_a_message(
    server: Server, tmp_path: Path
) -> None:
    """An administrator gives the auditor role `create` in the app (and `skip_review`: the
    shipped customizing asks a request for a create otherwise); the server's group role still
    may not insert: the CLI says so in words, without a traceback, and writes nothing."""
    from custmd_gui.services.users import set_role_permissions

    set_role_permissions(
        UnitOfWorkFactory(server.owner),
        Actor("setup"),
        "auditor",
        ["display", "create", "skip_review"],
    )
    document = tmp_path / "customer.json"
    document.write_text(json.dumps(to_document(customer("2110380030"))), encoding="utf-8")
    before = contents(server.owner)
    result = subprocess.run(
        [sys.executable, "-m", "custmd_gui", "customer", "create", str(document),
         "--allow-duplicate", "--db", server.url("auditor")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "数据库服务器拒绝了此操作，没有写入任何数据" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert contents(server.owner) == before
