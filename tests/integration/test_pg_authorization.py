"""The shared mode's authorization is the server's: connected directly with psycopg as each
user's own login role (no custmd code in between), forbidden SELECTs, INSERTs and UPDATEs are
refused by PostgreSQL (migration 0008); the services, run as such a role, work within it.

PostgreSQL only. Roles belong to the whole server, not to the throw-away database: each run
names its roles with a random prefix and drops them at teardown, also when a test fails.

The test server trusts every connection from 127.0.0.1 (pg_hba.conf), so passwords are not
checked here: the tests show what each role may do once signed in, that a disabled role
cannot sign in at all, and that a password is stored only as a SCRAM verifier.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import db_roles, migrate
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import CustomerLocked, acquire_lock, release_lock
from custmd_gui.services.status import Level, StatusEdit, change_status
from tests.conftest import PostgresServer, example_document

OPEN, MINE, OTHERS = "2110380001", "2110380002", "2110380003"  # BEGRU '', 1038, 1039
ROLES = ("assistant", "general_maintainer", "cc_maintainer", "finance", "administrator", "auditor")
PASSWORD = "Geheim-2024!"
DOCUMENT = (
    "INSERT INTO cdhdr (id, objectclas, objectid, username, udate, tcode, activity, origin) "
    "VALUES (%s, 'DEBI', %s, current_user, now(), 'XD02', 'change', 'psql')"
)


@dataclass
class World:
    server: PostgresServer
    database: str
    owner: Engine
    prefix: str
    users: dict[str, str] = field(default_factory=dict)  # app role -> login role

    def url(self, user: str) -> str:
        """A plain libpq URL (for psycopg) of the test database as `user`."""
        url = make_url(self.server.url(self.database)).set(
            drivername="postgresql", username=user, password=PASSWORD
        )
        return url.render_as_string(hide_password=False)

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(self.users[role]), autocommit=True)

    def rows(self, role: str, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.connect(role) as conn:
            return conn.execute(statement.encode(), params).fetchall()  # type: ignore[arg-type]

    def changed(
        self,
        role: str,
        statement: str,
        params: tuple[Any, ...] = (),
        documents: tuple[str, ...] = (OPEN, MINE, OTHERS),
    ) -> int:
        """Rows the statement changed (row-level security hides the others: 0). As the app
        does, one transaction writes a change document of every customer it may touch
        (migration 0012 refuses a change of customer data without one)."""
        with self.connect(role) as conn, conn.transaction():
            for number in documents:
                conn.execute(DOCUMENT, (uuid.uuid4(), number))
            return conn.execute(statement.encode(), params).rowcount  # type: ignore[arg-type]

    def refused(self, role: str, statement: str, params: tuple[Any, ...] = ()) -> str:
        """The server's refusal of the statement (permission or row-level security)."""
        with self.connect(role) as conn, pytest.raises(errors.InsufficientPrivilege) as exc:
            conn.execute(statement.encode(), params)  # type: ignore[arg-type]
        return str(exc.value)


def _customer(factory: UnitOfWorkFactory, number: str) -> None:
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": f"客户{number}", "STCD5": ""})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    create_customer(factory, from_document(doc), Actor("setup"))


@pytest.fixture
def world(postgres: PostgresServer) -> Iterator[World]:
    name = postgres.create(template=postgres.template)
    owner = make_engine(postgres.url(name))
    w = World(postgres, name, owner, f"ctest_{uuid.uuid4().hex[:8]}")
    try:
        factory = UnitOfWorkFactory(owner)
        for number in (OPEN, MINE, OTHERS):
            _customer(factory, number)
        with owner.begin() as conn:
            # Authorization groups of the general data; the segments' are 1038 (the document's).
            for number, group in ((OPEN, ""), (MINE, "1038"), (OTHERS, "1039")):
                conn.execute(
                    text("UPDATE kna1 SET begru = :g WHERE kunnr = :n"), {"g": group, "n": number}
                )
            # OPEN also has company code F015.
            conn.execute(
                text(
                    "INSERT INTO knb1 (id, kunnr, bukrs, akont, zterm) "
                    "VALUES (:id, :n, 'F015', '00', '0001')"
                ),
                {"id": uuid.uuid4(), "n": OPEN},
            )
            has_app_user = inspect(conn).has_table("app_user")
            for role in ROLES:
                user = f"{w.prefix}_{role}"
                if has_app_user:  # the core's user table, where the scopes refer to it
                    conn.execute(
                        text("INSERT INTO app_user (username, created_at) VALUES (:u, :t)"),
                        {"u": user, "t": datetime.now(UTC)},
                    )
                db_roles.create_login(
                    conn,
                    user,
                    PASSWORD,
                    [role],
                    auth_groups=["1038"],
                    company_codes=["F011"] if role == "cc_maintainer" else ["*"],
                )
                w.users[role] = user
                # Sales areas: the assistant works in F011 only (migration 0009 holds them
                # to it), everyone else everywhere.
                area = ("F011", "*", "*") if role == "assistant" else ("*", "*", "*")
                conn.execute(
                    text(
                        "INSERT INTO user_sales_area (username, vkorg, vtweg, spart) "
                        "VALUES (:u, :o, :c, :d)"
                    ),
                    {"u": user, "o": area[0], "c": area[1], "d": area[2]},
                )
        yield w
    finally:
        # Each role on its own: one that cannot go must not keep the others on the server.
        leftovers = []
        for user in w.users.values():
            try:
                with owner.begin() as conn:
                    db_roles.drop_login(conn, user)
            except Exception as exc:  # reported below, after every role was tried
                leftovers.append(f"{user}: {exc}")
        owner.dispose()
        postgres.drop(name)
        assert not leftovers, leftovers


# --- authorization groups: SELECT and UPDATE ----------------------------------------------


def test_a_user_sees_only_customers_of_their_authorization_groups(world: World) -> None:
    seen = world.rows("assistant", "SELECT kunnr FROM kna1 ORDER BY kunnr")
    assert [r[0] for r in seen] == [OPEN, MINE]
    assert world.rows("assistant", "SELECT * FROM kna1 WHERE kunnr = %s", (OTHERS,)) == []
    # nor any segment, search token, usage entry or change document of the hidden customer
    for table, column in (
        ("knb1", "kunnr"),
        ("knvv", "kunnr"),
        ("knbk", "kunnr"),
        ("knvi", "kunnr"),
        ("knvp", "kunnr"),
        ("kna1_find", "kunnr"),
        ("kna1_search", "kunnr"),
        ("cdhdr", "objectid"),
    ):
        statement = f"SELECT count(*) FROM {table} WHERE {column} = %s"
        assert world.rows("assistant", statement, (OTHERS,)) == [(0,)], table
        assert world.rows("assistant", statement, (MINE,))[0][0] > 0, table
    items = "SELECT count(*) FROM cdpos p JOIN cdhdr h ON h.id = p.header_id WHERE h.objectid = %s"
    assert world.rows("assistant", items, (OTHERS,)) == [(0,)]
    # administrators and auditors see every customer
    for role in ("administrator", "auditor"):
        assert len(world.rows(role, "SELECT kunnr FROM kna1")) == 3, role


def test_a_hidden_customer_cannot_be_changed(world: World) -> None:
    bump = "UPDATE kna1 SET changed_at = now(), version = version + 1 WHERE kunnr = %s"
    assert world.changed("assistant", bump, (OTHERS,)) == 0
    assert world.changed("assistant", bump, (MINE,)) == 1
    area = "UPDATE knvv SET vsbed = '12' WHERE kunnr = %s"
    assert world.changed("assistant", area, (OTHERS,)) == 0
    assert world.changed("assistant", area, (MINE,)) == 1
    assert world.changed("general_maintainer", "UPDATE kna1 SET stras = 'x'", ()) == 2
    with world.owner.connect() as conn:
        stras = conn.execute(text("SELECT stras FROM kna1 WHERE kunnr = :n"), {"n": OTHERS})
        assert stras.scalar() != "x"


def test_an_assistant_writes_only_in_their_sales_areas_and_company_codes(world: World) -> None:
    with world.owner.begin() as conn:  # MINE also sold in F015/10/01, outside their areas
        conn.execute(
            text(
                "INSERT INTO knvv (id, kunnr, vkorg, vtweg, spart, begru) "
                "VALUES (:id, :n, 'F015', '10', '01', '1038')"
            ),
            {"id": uuid.uuid4(), "n": MINE},
        )
    area = "UPDATE knvv SET vsbed = '12' WHERE kunnr = %s AND vkorg = %s"
    assert world.changed("assistant", area, (MINE, "F011")) == 1
    assert world.changed("assistant", area, (MINE, "F015")) == 0  # seen, not changeable
    seen = "SELECT vkorg FROM knvv WHERE kunnr = %s ORDER BY vkorg"
    assert world.rows("assistant", seen, (MINE,)) == [("F011",), ("F015",)]
    partner = (
        "INSERT INTO knvp (id, kunnr, vkorg, vtweg, spart, parvw, parza, kunn2) "
        "VALUES (%s, %s, 'F015', '10', '01', 'WE', '000', %s)"
    )
    assert "row-level security" in world.refused("assistant", partner, (uuid.uuid4(), MINE, MINE))
    with world.owner.begin() as conn:  # the assistant's company codes: F011 only
        conn.execute(
            text("DELETE FROM user_company_code WHERE username = :u"),
            {"u": world.users["assistant"]},
        )
        conn.execute(
            text("INSERT INTO user_company_code (username, bukrs) VALUES (:u, 'F011')"),
            {"u": world.users["assistant"]},
        )
    extend = "INSERT INTO knb1 (id, kunnr, bukrs, akont, zterm) VALUES (%s, %s, %s, '00', '0001')"
    assert "row-level security" in world.refused("assistant", extend, (uuid.uuid4(), MINE, "F015"))
    # the general-data maintainer is not held to sales areas by this rule
    assert (
        world.changed("general_maintainer", "UPDATE kna1 SET stras = 'y' WHERE kunnr = %s", (MINE,))
        == 1
    )


def test_no_one_gives_a_customer_a_group_they_do_not_hold(world: World) -> None:
    message = world.refused(
        "general_maintainer", "UPDATE kna1 SET begru = '1039' WHERE kunnr = %s", (MINE,)
    )
    assert "row-level security" in message
    insert = (
        "INSERT INTO kna1 (id, kunnr, ktokd, begru, version, created_at) "
        "VALUES (%s, %s, '1110', %s, 1, now())"
    )
    world.refused("assistant", insert, (uuid.uuid4(), "2110389999", "1039"))
    # within their groups the assistant creates, drawing internal numbers
    new = (uuid.uuid4(), "2110389998", "1038")
    assert world.changed("assistant", insert, new, documents=("2110389998",)) == 1
    # numbers come only from the server's function (migration 0012)
    assert world.rows("assistant", "SELECT custmd_draw_number('02')") == [(1000000000,)]
    world.refused("assistant", "UPDATE nriv SET nrlevel = nrlevel + 1 WHERE nrrangenr = '02'")
    world.refused("assistant", "UPDATE nriv SET tonumber = '1099999998'")


# --- grants per role and column ------------------------------------------------------------


def test_the_assistant_changes_no_general_data(world: World) -> None:
    message = world.refused("assistant", "UPDATE kna1 SET name1 = 'x' WHERE kunnr = %s", (MINE,))
    assert "permission denied" in message
    world.refused("assistant", "UPDATE knb1 SET akont = '01' WHERE kunnr = %s", (MINE,))
    world.refused("assistant", "UPDATE knvv SET aufsd = '01' WHERE kunnr = %s", (MINE,))
    world.refused("assistant", "DELETE FROM knvv WHERE kunnr = %s", (MINE,))


def test_the_general_maintainer_changes_no_company_code_data(world: World) -> None:
    assert (
        world.changed("general_maintainer", "UPDATE kna1 SET stras = 'x' WHERE kunnr = %s", (OPEN,))
        == 1
    )
    world.refused("general_maintainer", "UPDATE knb1 SET akont = '01' WHERE kunnr = %s", (OPEN,))
    world.refused("general_maintainer", "UPDATE kna1 SET aufsd = '01' WHERE kunnr = %s", (OPEN,))
    world.refused("general_maintainer", "UPDATE knvv SET vsbed = '12' WHERE kunnr = %s", (OPEN,))


def test_the_cc_maintainer_changes_only_their_company_codes(world: World) -> None:
    change = "UPDATE knb1 SET zterm = 'Z030' WHERE kunnr = %s AND bukrs = %s"
    assert world.changed("cc_maintainer", change, (OPEN, "F015")) == 0
    assert world.changed("cc_maintainer", change, (OPEN, "F011")) == 1
    extend = "INSERT INTO knb1 (id, kunnr, bukrs, akont) VALUES (%s, %s, %s, '00')"
    world.refused("cc_maintainer", extend, (uuid.uuid4(), MINE, "F015"))
    world.refused("cc_maintainer", extend, (uuid.uuid4(), MINE, "F001"))
    world.refused("cc_maintainer", "DELETE FROM knb1 WHERE kunnr = %s", (OPEN,))
    world.refused("cc_maintainer", "UPDATE knb1 SET sperr = true WHERE kunnr = %s", (OPEN,))
    world.refused("cc_maintainer", "UPDATE kna1 SET name1 = 'x' WHERE kunnr = %s", (OPEN,))


def test_finance_changes_blocks_only(world: World) -> None:
    assert world.changed("finance", "UPDATE kna1 SET aufsd = '01' WHERE kunnr = %s", (OPEN,)) == 1
    assert world.changed("finance", "UPDATE knb1 SET sperr = true WHERE kunnr = %s", (OPEN,)) == 2
    assert world.changed("finance", "UPDATE knvv SET lifsd = '01' WHERE kunnr = %s", (OPEN,)) == 1
    world.refused("finance", "UPDATE kna1 SET name1 = 'x' WHERE kunnr = %s", (OPEN,))
    world.refused("finance", "UPDATE knb1 SET akont = '01' WHERE kunnr = %s", (OPEN,))
    world.refused("finance", "UPDATE knvv SET vsbed = '12' WHERE kunnr = %s", (OPEN,))


def test_the_auditor_writes_nothing(world: World) -> None:
    for statement, params in (
        (
            "INSERT INTO kna1 (id, kunnr, version, created_at) VALUES (%s, '2110389997', 1, now())",
            (uuid.uuid4(),),
        ),
        ("UPDATE kna1 SET changed_at = now() WHERE kunnr = %s", (OPEN,)),
        ("UPDATE knvv SET aufsd = '01' WHERE kunnr = %s", (OPEN,)),
        ("DELETE FROM knvp WHERE kunnr = %s", (OPEN,)),
        ("DELETE FROM kna1_find WHERE kunnr = %s", (OPEN,)),
        ("UPDATE nriv SET nrlevel = nrlevel + 1", ()),
        (
            "INSERT INTO cdhdr (id, objectclas, objectid, username, udate, tcode, activity, "
            "origin) VALUES (%s, 'DEBI', %s, 'x', now(), 'XD02', 'change', 'server')",
            (uuid.uuid4(), OPEN),
        ),
        (
            "INSERT INTO edit_lock (objectclas, objectid, token, username, pid, acquired_at, "
            "renewed_at, expires_at) VALUES ('DEBI', %s, %s, 'x', 0, now(), now(), now())",
            (OPEN, uuid.uuid4()),
        ),
        ("INSERT INTO user_auth_group (username, begru) VALUES (%s, '1039')", ("x",)),
    ):
        world.refused("auditor", statement, params)
    # but reads all, change documents included
    assert world.rows("auditor", "SELECT count(DISTINCT objectid) FROM cdhdr") == [(3,)]


def test_change_documents_are_never_updated_or_deleted_but_by_the_owner(world: World) -> None:
    for role in ROLES:
        world.refused(role, "UPDATE cdhdr SET tcode = 'XD99' WHERE objectid = %s", (OPEN,))
        world.refused(role, "DELETE FROM cdhdr WHERE objectid = %s", (OPEN,))
        world.refused(role, "UPDATE cdpos SET value_new = 'x'", ())
        world.refused(role, "DELETE FROM cdpos", ())
        world.refused(role, "TRUNCATE cdpos", ())
    with world.owner.begin() as conn:
        done = conn.execute(text("UPDATE cdhdr SET tcode = tcode WHERE objectid = :n"), {"n": OPEN})
        assert done.rowcount >= 1


def test_a_change_document_names_the_signed_in_role(world: World) -> None:
    header = uuid.uuid4()
    insert = (
        "INSERT INTO cdhdr (id, objectclas, objectid, username, udate, tcode, activity, origin) "
        "VALUES (%s, 'DEBI', %s, 'somebody_else', now(), 'XD02', 'change', 'server')"
    )
    assert world.changed("general_maintainer", insert, (header, OPEN)) == 1
    with world.owner.connect() as conn:
        who = conn.execute(text("SELECT username FROM cdhdr WHERE id = :i"), {"i": header})
        assert who.scalar() == world.users["general_maintainer"]


def test_a_user_reads_only_their_own_scopes(world: World) -> None:
    mine = world.users["assistant"]
    assert world.rows("assistant", "SELECT username, begru FROM user_auth_group") == [
        (mine, "1038")
    ]
    assert world.rows("assistant", "SELECT username FROM user_company_code") == [(mine,)]
    world.refused(
        "assistant", "INSERT INTO user_auth_group (username, begru) VALUES (%s, '1039')", (mine,)
    )
    world.refused("assistant", "DELETE FROM user_auth_group", ())
    everyone = {r[0] for r in world.rows("administrator", "SELECT username FROM user_auth_group")}
    assert set(world.users.values()) <= everyone


def test_the_administrator_deletes_and_sees_everything(world: World) -> None:
    assert len(world.rows("administrator", "SELECT kunnr FROM knb1")) == 4
    assert world.changed("administrator", "DELETE FROM knvp WHERE kunnr = %s", (OTHERS,)) == 4
    assert (
        world.changed(
            "administrator", "UPDATE knb1 SET akont = '1122000000' WHERE kunnr = %s", (OPEN,)
        )
        == 2
    )


# --- the login roles ------------------------------------------------------------------------


def test_login_roles_are_members_of_their_group_roles(world: World) -> None:
    with world.owner.begin() as conn:
        for role, user in world.users.items():
            assert db_roles.role_groups(conn, user) == [role]
        user = world.users["finance"]
        db_roles.set_roles(conn, user, ["finance", "auditor"])
        assert db_roles.role_groups(conn, user) == ["auditor", "finance"]
        db_roles.set_roles(conn, user, ["finance"])
        creators = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolcreaterole AND rolname LIKE :p"),
            {"p": f"{world.prefix}%"},
        )
        assert [r[0] for r in creators] == [world.users["administrator"]]


def test_a_disabled_user_cannot_sign_in(world: World) -> None:
    user = world.users["auditor"]
    with world.owner.begin() as conn:
        db_roles.disable_login(conn, user)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(world.url(user)).close()
    with world.owner.begin() as conn:
        db_roles.enable_login(conn, user)
    world.rows("auditor", "SELECT 1")


def test_the_password_is_stored_as_a_scram_verifier(world: World) -> None:
    user = world.users["finance"]
    query = text("SELECT rolpassword FROM pg_authid WHERE rolname = :u")
    with world.owner.begin() as conn:
        before = conn.execute(query, {"u": user}).scalar()
        db_roles.set_password(conn, user, "Neu-Passwort-2025")
        after = conn.execute(query, {"u": user}).scalar()
    assert before.startswith("SCRAM-SHA-256$") and after.startswith("SCRAM-SHA-256$")
    assert before != after and PASSWORD not in before


@pytest.mark.parametrize(
    "name",
    ["Zhangsan", "zhang-san", "张三", "", "a" * 64, "pg_monitor", "custmd_finance", "postgres"],
)
def test_a_user_name_that_cannot_be_a_role_is_refused_in_chinese(name: str) -> None:
    with pytest.raises(db_roles.DbRoleError, match="用户名"):
        db_roles.validate_username(name)


def test_names_are_quoted_never_pasted(world: World) -> None:
    """Even past validation, names and values reach the server as identifiers and literals."""
    with world.owner.begin() as conn, pytest.raises(db_roles.DbRoleError):
        db_roles.create_login(conn, 'x" SUPERUSER --', PASSWORD, ["auditor"])


def test_a_second_database_on_the_same_server_migrates(postgres: PostgresServer) -> None:
    """The group roles exist already (the template database made them): no failure."""
    name = postgres.create()
    engine = make_engine(postgres.url(name))
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.SCHEMA_HEAD
    finally:
        engine.dispose()
        postgres.drop(name)


# --- edit locks (migration 0010) -------------------------------------------------------------


def test_edit_locks_are_held_renewed_and_freed_only_by_their_holder(world: World) -> None:
    assistant, general = _factory(world, "assistant"), _factory(world, "general_maintainer")
    try:
        lock = acquire_lock(assistant, MINE, Actor(world.users["assistant"]), lease=60)
        # Another writer can neither free, renew, nor take over the live lock with psql ...
        for statement in (
            "DELETE FROM edit_lock WHERE objectid = %s",
            "UPDATE edit_lock SET username = current_user WHERE objectid = %s",
            "UPDATE edit_lock SET expires_at = now() - interval '1 hour' WHERE objectid = %s",
        ):
            assert world.changed("general_maintainer", statement, (MINE,)) == 0, statement
        # ... but sees who holds it, and the service says so (no error of the server).
        holder = world.rows("general_maintainer", "SELECT username FROM edit_lock")
        assert holder == [(world.users["assistant"],)]
        with pytest.raises(CustomerLocked) as refused:
            acquire_lock(general, MINE, Actor(world.users["general_maintainer"]))
        said = refused.value.problems[0].message.zh
        assert said == f"客户 {MINE} 正在被用户 {world.users['assistant']} 处理"
        # No lock in another's name, nor on a customer one may not see.
        insert = (
            "INSERT INTO edit_lock (objectclas, objectid, token, username, pid, acquired_at, "
            "renewed_at, expires_at) VALUES ('DEBI', %s, %s, %s, 0, now(), now(), "
            "now() + interval '1 hour')"
        )
        world.refused("general_maintainer", insert, (OPEN, uuid.uuid4(), "somebody_else"))
        world.refused(
            "general_maintainer", insert, (OTHERS, uuid.uuid4(), world.users["general_maintainer"])
        )
        # Once the lease has run out, the next one takes it over through the service.
        with world.owner.begin() as conn:
            conn.execute(text("UPDATE edit_lock SET expires_at = now() - interval '1 second'"))
        taken = acquire_lock(general, MINE, Actor(world.users["general_maintainer"]))
        assert taken.user == world.users["general_maintainer"]
        # The former holder can no longer free it; the new one can.
        assert world.changed("assistant", "DELETE FROM edit_lock WHERE objectid = %s", (MINE,)) == 0
        assert not release_lock(assistant, lock)
        assert release_lock(general, taken)
        # The administrator frees anyone's lock (a user who went home with XD02 open).
        acquire_lock(assistant, MINE, Actor(world.users["assistant"]), lease=60)
        freed = world.changed("administrator", "DELETE FROM edit_lock WHERE objectid = %s", (MINE,))
        assert freed == 1
    finally:
        assistant.engine.dispose()
        general.engine.dispose()


# --- the services, run as the user's own role -----------------------------------------------


def _factory(world: World, role: str) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(make_engine(world.url(world.users[role])))


def test_the_services_work_within_the_role_and_the_server_refuses_beyond(world: World) -> None:
    general = _factory(world, "general_maintainer")
    actor = Actor(world.users["general_maintainer"])
    try:
        lock, stored = open_for_change(general, MINE, actor)
        edited = stored.model_copy(deep=True)
        edited.general.street = "长宁路 300 号"
        result = change_customer(
            general, MINE, edited, actor, expected_version=1, lock=lock, release=True
        )
        assert result.changed and read_customer(general, MINE).general.street == "长宁路 300 号"
        lock, stored = open_for_change(general, MINE, actor)
        edited = stored.model_copy(deep=True)
        edited.company_codes[0].payment_terms = "Z030"
        with pytest.raises(Exception, match="permission denied"):
            change_customer(general, MINE, edited, actor, expected_version=2, lock=lock)
        assert read_customer(general, MINE).company_codes[0].payment_terms == "0001"
    finally:
        general.engine.dispose()

    finance = _factory(world, "finance")
    try:
        report = change_status(
            finance,
            [OPEN],
            [StatusEdit(Level.CENTRAL, order="01", posting=True)],
            Actor(world.users["finance"]),
            "逾期欠款",
        )
        assert len(report.changed) == 1
    finally:
        finance.engine.dispose()

    assistant = _factory(world, "assistant")
    try:
        doc: dict[str, Any] = example_document()
        doc["KNA1"].update(
            {"KUNNR": "2110380004", "BEGRU": "1038", "NAME1": "新客户有限公司", "STCD5": ""}
        )
        for p in doc["KNVV"][0]["KNVP"]:
            p["KUNN2"] = "2110380004"
        created = create_customer(assistant, from_document(doc), Actor(world.users["assistant"]))
        assert read_customer(assistant, created.number).general.name == "新客户有限公司"
    finally:
        assistant.engine.dispose()


def test_the_general_maintainer_changes_the_bank_reference_details(world: World) -> None:
    """KNBK-BKREF came after 0008's column grants: migration 0013 grants it the same way."""
    general = _factory(world, "general_maintainer")
    actor = Actor(world.users["general_maintainer"])
    try:
        lock, stored = open_for_change(general, MINE, actor)
        edited = stored.model_copy(deep=True)
        edited.bank_details[0].reference_details = "90"
        change_customer(general, MINE, edited, actor, expected_version=1, lock=lock, release=True)
        assert read_customer(general, MINE).bank_details[0].reference_details == "90"
    finally:
        general.engine.dispose()
    world.refused("assistant", "UPDATE knbk SET bkref = '1' WHERE kunnr = %s", (MINE,))


def test_the_general_maintainer_changes_the_previous_account_number(world: World) -> None:
    """KNA1-ALTKN came after 0008's column grants: migration 0016 grants it the same way."""
    general = _factory(world, "general_maintainer")
    actor = Actor(world.users["general_maintainer"])
    try:
        lock, stored = open_for_change(general, MINE, actor)
        edited = stored.model_copy(deep=True)
        edited.general.previous_number = "OLD-4711"
        change_customer(
            general, MINE, edited, actor, expected_version=stored.version, lock=lock, release=True
        )
        assert read_customer(general, MINE).general.previous_number == "OLD-4711"
    finally:
        general.engine.dispose()
    world.refused("assistant", "UPDATE kna1 SET altkn = '1' WHERE kunnr = %s", (MINE,))


def test_a_credit_code_held_by_a_hidden_customer_is_refused_without_naming_it(
    world: World,
) -> None:
    """Row-level security hides the 1039 customer from the 1038 assistant, also in the
    duplicate-check index; custmd_uscc_holders (migration 0011) still counts it."""
    code = "91310000631696382C"
    with world.owner.begin() as conn:
        conn.execute(
            text("INSERT INTO kna1_search (id, kunnr, kind, token) VALUES (:id, :n, 'u', :c)"),
            {"id": uuid.uuid4(), "n": OTHERS, "c": code},
        )
    hidden = "SELECT count(*) FROM kna1_search WHERE kind = 'u' AND token = %s"
    assert world.rows("assistant", hidden, (code,)) == [(0,)]
    assert world.rows("assistant", "SELECT custmd_uscc_holders(%s, '')", (code,)) == [(1,)]
    assert world.rows("assistant", "SELECT custmd_uscc_holders(%s, %s)", (code, OTHERS)) == [(0,)]
    assistant = _factory(world, "assistant")
    try:
        doc: dict[str, Any] = example_document()
        doc["KNA1"].update(
            {"KUNNR": "2110380004", "BEGRU": "1038", "NAME1": "新客户有限公司", "STCD5": code}
        )
        for p in doc["KNVV"][0]["KNVP"]:
            p["KUNN2"] = "2110380004"
        with pytest.raises(DomainError) as err:
            create_customer(assistant, from_document(doc), Actor(world.users["assistant"]))
        message = err.value.problems[0].message.zh
        assert "其他责任中心的客户使用（您无权查看）" in message and OTHERS not in message
    finally:
        assistant.engine.dispose()
    with world.owner.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM kna1 WHERE kunnr = '2110380004'")).scalar() == 0
        )


def test_on_the_shared_server_the_actor_is_the_signed_in_role() -> None:
    assert Actor.signed_in("postgresql+psycopg://zhang_san@db:5432/custmd") == Actor(
        "zhang_san", origin="server"
    )
    assert Actor.signed_in("postgresql://li_si:secret@db/custmd").user == "li_si"
    assert Actor.signed_in("sqlite:///tmp/custmd.sqlite") == Actor.current()


def test_an_administrator_creates_and_removes_users(world: World) -> None:
    """What the admin screens do in the shared mode, signed in as an administrator."""
    admin = make_engine(world.url(world.users["administrator"]))
    user = f"{world.prefix}_new"
    try:
        with admin.begin() as conn:
            if inspect(conn).has_table("app_user"):
                conn.execute(
                    text("INSERT INTO app_user (username, created_at) VALUES (:u, now())"),
                    {"u": user},
                )
            db_roles.create_login(conn, user, PASSWORD, ["finance"], auth_groups=["1039"])
        world.users["new"] = user  # dropped at teardown should a check below fail
        assert [r[0] for r in world.rows("new", "SELECT kunnr FROM kna1 ORDER BY 1")] == [
            OPEN,
            OTHERS,
        ]
        with admin.begin() as conn:
            db_roles.set_roles(conn, user, ["auditor"])
            db_roles.set_password(conn, user, "Anders-2025!")
            db_roles.drop_login(conn, user)
        del world.users["new"]
        with admin.connect() as conn:
            assert not db_roles.role_exists(conn, user)
    finally:
        admin.dispose()
