"""What the offline tests share: a PostgreSQL database with LOGIN roles for two laptops, the
office and a user of one authorization group, customers to seed, edits as XD02 makes them,
and the strict replay of a customer's change documents.

Roles are cluster-global: each run names its roles with a random prefix and drops them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from custmd_gui.catalog import catalog
from custmd_gui.domain.change_document import replay
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import ChangeHeader, ChangeItem
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import store_new
from tests.conftest import PostgresServer, example_document

PASSWORD = "Geheim-2024!"
# Free-text fields of general data, bank details and the sales area: 60 customers hold the
# 480 (customer, field) slots the two laptops and the server edit.
FIELDS = (
    "KNA1-NAME2",
    "KNA1-NAME3",
    "KNA1-NAME4",
    "KNA1-STRAS",
    "KNA1-ORT01",
    "KNBK-KOINH",
    "KNBK-BKREF",
    "KNVV-INCO2",
)
# Characters for names no duplicate check finds alike.
CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰山川河海风云雷电松竹梅兰菊"


@dataclass
class Server:
    server: PostgresServer
    database: str
    owner: Engine
    prefix: str
    users: dict[str, str] = field(default_factory=dict)
    engines: list[Engine] = field(default_factory=list)

    def url(self, person: str) -> str:
        return (
            make_url(self.server.url(self.database))
            .set(username=self.users[person], password=PASSWORD)
            .render_as_string(hide_password=False)
        )

    def factory(self, person: str) -> UnitOfWorkFactory:
        engine = make_engine(self.url(person))
        self.engines.append(engine)
        return UnitOfWorkFactory(engine)


@pytest.fixture
def pg(postgres: PostgresServer) -> Iterator[Server]:
    name = postgres.create(template=postgres.template)
    owner = make_engine(postgres.url(name))
    s = Server(postgres, name, owner, f"otest_{uuid.uuid4().hex[:8]}")
    people = {"laptop1": ["*"], "laptop2": ["*"], "office": ["*"], "narrow": ["1038"]}
    try:
        with owner.begin() as conn:
            for person, groups in people.items():
                user = f"{s.prefix}_{person}"
                conn.execute(
                    text("INSERT INTO app_user (username, created_at) VALUES (:u, :t)"),
                    {"u": user, "t": datetime.now(UTC)},
                )
                db_roles.create_login(
                    conn,
                    user,
                    PASSWORD,
                    ["assistant" if person == "narrow" else "administrator"],
                    auth_groups=groups,
                    company_codes=["*"],
                )
                conn.execute(
                    text(
                        "INSERT INTO user_sales_area (username, vkorg, vtweg, spart) "
                        "VALUES (:u, '*', '*', '*')"
                    ),
                    {"u": user},
                )
                conn.execute(
                    text("INSERT INTO user_role (username, role) VALUES (:u, :r)"),
                    {"u": user, "r": "assistant" if person == "narrow" else "administrator"},
                )
                s.users[person] = user
        yield s
    finally:
        for engine in s.engines:
            engine.dispose()
        for user in s.users.values():
            with owner.begin() as conn:
                db_roles.drop_login(conn, user)
        owner.dispose()
        postgres.drop(name)


def random_name(rng: random.Random) -> str:
    return "".join(rng.sample(CHARS, 8))


def new_customer(rng: random.Random, number: str = "", group: str = "1110") -> Customer:
    doc = example_document()
    doc["KNA1"].update(
        KUNNR=number,
        KTOKD=group,
        NAME1=random_name(rng),
        NAME2="",
        NAME3=random_name(rng),
        SORTL=random_name(rng)[:4],
        BEGRU="4002",
    )
    for area in doc["KNVV"]:
        for partner in area["KNVP"]:
            partner["KUNN2"] = number
    return from_document(doc)


def seed(pg: Server, numbers: Sequence[str], rng: random.Random) -> Customizing:
    """new_customer's customers `numbers` stored by the database's owner in one transaction
    (the seed is not what is tested); the customizing."""
    setup = UnitOfWorkFactory(pg.owner)
    with setup() as uow:
        cust = uow.customizing.load()
    with setup(write=True) as uow:
        validator = Validator(cust)
        for number in numbers:
            store_new(uow, new_customer(rng, number), Actor("setup"), cust, validator)
        uow.commit()
    return cust


def _segment(customer: Customer, key: str) -> object:
    if key.startswith("KNA1"):
        return customer.general
    return customer.bank_details[0] if key.startswith("KNBK") else customer.sales_areas[0]


def set_field(customer: Customer, key: str, value: str) -> Customer:
    out = customer.model_copy(deep=True)
    fd = catalog().field(key)
    target = _segment(out, key)
    setattr(target, fd.name, value)
    return out


def get_field(customer: Customer, key: str) -> str:
    fd = catalog().field(key)
    target = _segment(customer, key)
    return str(getattr(target, fd.name))


def edit(
    factory: UnitOfWorkFactory, actor: Actor, number: str, values: dict[str, str], cust: Customizing
) -> None:
    """An edit as XD02 makes it: lock, read, change, save, release."""
    lock, customer = open_for_change(factory, number, actor)
    for key, value in values.items():
        customer = set_field(customer, key, value)
    change_customer(
        factory,
        number,
        customer,
        actor,
        expected_version=customer.version,
        lock=lock,
        release=True,
        customizing=cust,  # as the windows' cache hands it
    )


def history_replays(owner: Engine, number: str) -> Customer | None:
    """The customer the server's change documents build, strictly (an update whose old value
    was not the value then, i.e. a lost update, fails)."""
    with owner.connect() as conn:
        rows = conn.execute(
            select(
                ChangeItem.tabname,
                ChangeItem.tabkey,
                ChangeItem.fname,
                ChangeItem.chngind,
                ChangeItem.value_old,
                ChangeItem.value_new,
            )
            .join(ChangeHeader, ChangeHeader.id == ChangeItem.header_id)
            .where(ChangeHeader.objectid == number)
            .order_by(ChangeHeader.udate, ChangeHeader.id)
        ).all()
    return replay(number, [tuple(r) for r in rows], strict=True)
