"""An administrator on the shared server: creating, re-roling, resetting and disabling a user
keeps the user's own PostgreSQL LOGIN role in step, in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.users import create_user, grant, reset_password, set_disabled
from tests.conftest import PostgresServer

ON_SERVER = Actor("dba", "server")  # signed in by the server, unrestricted: no users yet


@pytest.fixture
def server_db(postgres: PostgresServer) -> Iterator[tuple[Engine, str]]:
    name = postgres.create(template=postgres.template)
    engine = make_engine(postgres.url(name))
    user = f"ctest_{uuid.uuid4().hex[:8]}"
    try:
        yield engine, user
    finally:
        with engine.begin() as conn:
            for role in (user, f"{user}_c"):
                if db_roles.role_exists(conn, role):
                    db_roles.drop_login(conn, role)
        engine.dispose()
        postgres.drop(name)


def test_the_login_role_follows_the_user(server_db: tuple[Engine, str]) -> None:
    engine, user = server_db
    factory = UnitOfWorkFactory(engine)
    create_user(factory, ON_SERVER, user, password="Anfang-2026!", roles=["administrator"])
    with engine.connect() as conn:
        assert db_roles.role_exists(conn, user) and db_roles.can_log_in(conn, user)
        assert db_roles.role_groups(conn, user) == ["administrator"]
    with factory() as uow:
        record = uow.users.get(user)
    assert record is not None and record.password_hash is None  # the server checks it
    grant(factory, ON_SERVER, user, roles=["administrator", "finance"])
    with engine.connect() as conn:
        assert sorted(db_roles.role_groups(conn, user)) == ["administrator", "finance"]
    reset_password(factory, ON_SERVER, user, "Neues-Passwort-1!")
    clerk = f"{user}_c"
    create_user(factory, ON_SERVER, clerk, password="Anfang-2026!", roles=["assistant"])
    set_disabled(factory, ON_SERVER, clerk, True)
    with engine.connect() as conn:
        assert db_roles.can_log_in(conn, user) and not db_roles.can_log_in(conn, clerk)
    set_disabled(factory, ON_SERVER, clerk, False)
    with engine.connect() as conn:
        assert db_roles.can_log_in(conn, clerk)


def test_a_refused_role_leaves_no_user(server_db: tuple[Engine, str]) -> None:
    engine, user = server_db
    factory = UnitOfWorkFactory(engine)
    with pytest.raises(DomainError):
        create_user(factory, ON_SERVER, user, password=None, roles=["administrator"])
    with factory() as uow:
        assert uow.users.get(user) is None
    with engine.connect() as conn:
        assert not db_roles.role_exists(conn, user)
