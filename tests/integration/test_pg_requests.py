"""Requests on the shared PostgreSQL server, each user signed in as his own LOGIN role
(migration 0017): the documents' flow runs through the services within each role's grants,
and four eyes is the server's too: connected directly with psycopg, a role cannot approve or
activate a request it filed or last edited, nor pass itself off as someone else.

PostgreSQL only. Roles belong to the whole server: each run names its roles with a random
prefix and drops them at teardown.
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
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import Action, RequestStatus, RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from tests.conftest import PostgresServer, example_document

PASSWORD = "Geheim-2024!"
ROLES = {r.code: r for r in DEFAULT_ROLES}
# who -> (app role, company codes, sales areas)
PEOPLE = {
    "assistant": ("assistant", ["F011"], ("F011", "*", "*")),
    "assistant2": ("assistant", ["F011"], ("F011", "*", "*")),
    "head": ("general_maintainer", ["*"], ("*", "*", "*")),
    "head2": ("general_maintainer", ["*"], ("*", "*", "*")),
    "cc_f011": ("cc_maintainer", ["F011"], ("*", "*", "*")),
    "outsider": ("assistant", ["F011"], ("F011", "*", "*")),  # holds group 1039 only
}


@dataclass
class Server:
    server: PostgresServer
    database: str
    owner: Engine
    prefix: str
    users: dict[str, str] = field(default_factory=dict)  # person -> login role
    engines: list[Engine] = field(default_factory=list)

    def libpq(self, person: str) -> str:
        url = make_url(self.server.url(self.database)).set(
            drivername="postgresql", username=self.users[person], password=PASSWORD
        )
        return url.render_as_string(hide_password=False)

    def factory(self, person: str) -> UnitOfWorkFactory:
        url = make_url(self.server.url(self.database)).set(
            username=self.users[person], password=PASSWORD
        )
        engine = make_engine(url.render_as_string(hide_password=False))
        self.engines.append(engine)
        return UnitOfWorkFactory(engine)

    def actor(self, person: str) -> Actor:
        role, codes, area = PEOPLE[person]
        rights = Authorizations.of_roles(
            self.users[person],
            [ROLES[role]],
            auth_groups=["1039"] if person == "outsider" else ["*"],
            company_codes=codes,
            sales_areas=["/".join(area)],
        )
        return Actor.logged_in(rights, origin="server")

    def connect(self, person: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.libpq(person), autocommit=True)


@pytest.fixture
def pg(postgres: PostgresServer) -> Iterator[Server]:
    name = postgres.create(template=postgres.template)
    owner = make_engine(postgres.url(name))
    s = Server(postgres, name, owner, f"rtest_{uuid.uuid4().hex[:8]}")
    try:
        with owner.begin() as conn:
            for person, (role, codes, area) in PEOPLE.items():
                user = f"{s.prefix}_{person}"
                conn.execute(
                    text("INSERT INTO app_user (username, created_at) VALUES (:u, :t)"),
                    {"u": user, "t": datetime.now(UTC)},
                )
                groups = ["1039"] if person == "outsider" else ["*"]
                db_roles.create_login(
                    conn, user, PASSWORD, [role], auth_groups=groups, company_codes=codes
                )
                s.users[person] = user
                conn.execute(
                    text(
                        "INSERT INTO user_sales_area (username, vkorg, vtweg, spart) "
                        "VALUES (:u, :o, :c, :d)"
                    ),
                    {"u": user, "o": area[0], "c": area[1], "d": area[2]},
                )
        yield s
    finally:
        for engine in s.engines:
            engine.dispose()
        leftovers = []
        for user in s.users.values():
            try:
                with owner.begin() as conn:
                    db_roles.drop_login(conn, user)
            except Exception as exc:  # reported below, after every role was tried
                leftovers.append(f"{user}: {exc}")
        owner.dispose()
        postgres.drop(name)
        assert not leftovers, leftovers


def _file(pg: Server, person: str) -> str:
    request = rq.create_request(
        pg.factory(person),
        pg.actor(person),
        RequestType.CREATE,
        from_document(example_document()),
        reason="新客户",
        submit=True,
    )
    return request.number


def test_the_documents_flow_within_each_roles_grants(pg: Server) -> None:
    number = _file(pg, "assistant")
    head, head_actor = pg.factory("head"), pg.actor("head")
    rq.start_review(head, head_actor, number)
    rq.return_request(head, head_actor, number, "请补充电话")
    corrected = from_document(example_document())
    corrected.general.telephone = "021-62345678"
    assistant, assistant_actor = pg.factory("assistant"), pg.actor("assistant")
    rq.edit_request(assistant, assistant_actor, number, document=corrected)
    rq.resubmit(assistant, assistant_actor, number)
    rq.approve(head, head_actor, number)
    done = rq.activate(head, head_actor, number)
    assert done.status is RequestStatus.ACTIVATED
    assert {s.actor for s in done.steps} == {pg.users["assistant"], pg.users["head"]}
    children = rq.list_requests(head, head_actor, parent=number)
    assert [c.requester for c in children] == [pg.users["assistant"]] * 2
    cc_child, sa_child = children
    cc, cc_actor = pg.factory("cc_f011"), pg.actor("cc_f011")
    rq.approve(cc, cc_actor, cc_child.number)
    rq.activate(cc, cc_actor, cc_child.number)
    other, other_actor = pg.factory("assistant2"), pg.actor("assistant2")
    rq.approve(other, other_actor, sa_child.number)
    rq.activate(other, other_actor, sa_child.number)
    customer = read_customer(head, "2110380001", head_actor)
    assert customer.general.telephone == "021-62345678"
    assert [c.company_code for c in customer.company_codes] == ["F011"]
    assert [a.segment_key for a in customer.sales_areas] == ["F011/10/01"]
    rows = change_documents(head, "2110380001", actor=head_actor)
    assert {(r.user, r.request) for r in rows} == {
        (pg.users["head"], number),
        (pg.users["cc_f011"], cc_child.number),
        (pg.users["assistant2"], sa_child.number),
    }


def test_four_eyes_is_the_servers(pg: Server) -> None:
    # the head office's own request, approved by himself with psql: refused by the server
    own = _file(pg, "head")
    with pg.connect("head") as conn:
        conn.execute("UPDATE requests SET status = 'in_review' WHERE number = %s", (own,))
        for status in ("approved", "activated"):
            with pytest.raises(psycopg.DatabaseError) as refused:
                conn.execute("UPDATE requests SET status = %s WHERE number = %s", (status, own))
            assert refused.value.sqlstate == "CM004"
            assert "四眼原则" in str(refused.value)
        # naming someone else as the requester does not help: the server keeps the requester
        with pytest.raises(psycopg.DatabaseError):
            conn.execute(
                "UPDATE requests SET requester = 'someone', last_editor = 'someone', "
                "status = 'approved' WHERE number = %s",
                (own,),
            )
        # nor filing one in another's name
        conn.execute(
            "INSERT INTO requests (number, type, status, requester, document, created_at, "
            "changed_at, last_editor) VALUES ('0000009999', 'create', 'draft', 'someone', "
            "'{}', now(), now(), 'someone')"
        )
        row = conn.execute(
            "SELECT requester, last_editor FROM requests WHERE number = '0000009999'"
        ).fetchone()
        assert row == (pg.users["head"], pg.users["head"])
    # a reviewer who edited it may not approve it either
    theirs = _file(pg, "assistant")
    with pg.connect("head") as conn:
        conn.execute(
            "UPDATE requests SET status = 'in_review', reason = reason || '（已核对）' "
            "WHERE number = %s",
            (theirs,),
        )
        with pytest.raises(psycopg.DatabaseError):
            conn.execute("UPDATE requests SET status = 'approved' WHERE number = %s", (theirs,))
    # another head-office maintainer may
    with pg.connect("head2") as conn:
        conn.execute("UPDATE requests SET status = 'approved' WHERE number = %s", (theirs,))
    # the services say so first, as the role itself
    with pytest.raises(DomainError, match="Four eyes"):
        rq.approve(pg.factory("head"), pg.actor("head"), own)


def test_steps_name_the_signed_in_role_and_stay(pg: Server) -> None:
    number = _file(pg, "assistant")
    with pg.connect("assistant") as conn:
        conn.execute(
            "INSERT INTO request_steps (id, request_number, seq, at, actor, action, to_status) "
            "VALUES (%s, %s, 99, now(), 'someone', 'approve', 'approved')",
            (uuid.uuid4(), number),
        )
        actor = conn.execute(
            "SELECT actor FROM request_steps WHERE request_number = %s AND seq = 99", (number,)
        ).fetchone()
        assert actor == (pg.users["assistant"],)
        for statement in (
            "UPDATE request_steps SET comment = 'x' WHERE request_number = %s",
            "DELETE FROM request_steps WHERE request_number = %s",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement.encode(), (number,))  # type: ignore[arg-type]


def test_the_kpi_times_are_the_steps_not_the_clients(pg: Server) -> None:
    """Migration 0021: a role writes no request's KPI times itself; its steps keep them."""
    number = _file(pg, "assistant")
    with pg.connect("assistant") as conn:
        for statement in (
            "UPDATE requests SET kpi_approved = 0 WHERE number = %s",
            "UPDATE requests SET kpi_returns = 0 WHERE number = %s",
            "INSERT INTO requests (number, type, status, requester, document, created_at, "
            "changed_at, last_editor, kpi_activated) "
            "VALUES ('9' || right(%s, 9), 'create', 'draft', 'x', '{}', now(), now(), 'x', 0)",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement.encode(), (number,))
        conn.execute(
            "INSERT INTO request_steps (id, request_number, seq, at, actor, action, to_status) "
            "VALUES (%s, %s, 99, now(), 'x', 'return', 'returned')",
            (uuid.uuid4(), number),
        )
        kept = conn.execute(
            "SELECT kpi_submitted IS NOT NULL, kpi_returns FROM requests WHERE number = %s",
            (number,),
        ).fetchone()
    assert kept == (True, 1)


def test_a_request_is_seen_only_where_its_customer_would_be(pg: Server) -> None:
    number = _file(pg, "assistant")  # the example: KNA1-BEGRU 4002
    for table, column in (
        ("requests", "number"),
        ("request_steps", "request_number"),
        ("request_attachments", "request_number"),
    ):
        statement = f"SELECT count(*) FROM {table} WHERE {column} = %s"
        with pg.connect("outsider") as conn:
            assert conn.execute(statement.encode(), (number,)).fetchone() == (0,), table  # type: ignore[arg-type]
    with pg.connect("outsider") as conn:
        changed = conn.execute(
            "UPDATE requests SET reason = 'x' WHERE number = %s", (number,)
        ).rowcount
        assert changed == 0
    with pg.connect("assistant") as conn:
        assert conn.execute("SELECT count(*) FROM requests").fetchone() == (1,)
    # the outsider files his own (group 1039) with the next number, though he sees no other
    mine = from_document(example_document()).with_number("2110390001")
    mine.general.authorization_group = "1039"
    for segment in (*mine.company_codes, *mine.sales_areas):
        segment.authorization_group = "1039"
    own = rq.create_request(
        pg.factory("outsider"), pg.actor("outsider"), RequestType.CREATE, mine, reason="新客户"
    )
    assert own.number == "0000000002"
    with pytest.raises(DomainError, match="does not exist"):
        rq.read_request(pg.factory("outsider"), pg.actor("outsider"), number)


def test_correct_and_resubmit_and_remove_an_attachment_within_the_grants(pg: Server) -> None:
    """The screens' calls as LOGIN roles: the assistant corrects his returned request and
    resubmits it in one transaction, attaches a file and removes it again (the history
    keeps its name); a refused resubmission stores nothing of the correction."""
    number = _file(pg, "assistant")
    head, head_actor = pg.factory("head"), pg.actor("head")
    rq.return_request(head, head_actor, number, "请补充电话")
    assistant, actor = pg.factory("assistant"), pg.actor("assistant")
    key = rq.attach(assistant, actor, number, "营业执照.png", b"\x89PNG scan").id
    assert rq.remove_attachment(assistant, actor, number, key) == "营业执照.png"
    broken = from_document(example_document())
    broken.general.name = ""  # XD01's checks refuse it at the resubmission
    with pytest.raises(DomainError):
        rq.edit_request(assistant, actor, number, document=broken, submit=True)
    unchanged = rq.read_request(assistant, actor, number)
    assert unchanged.status is RequestStatus.RETURNED and unchanged.document.general.name
    corrected = from_document(example_document())
    corrected.general.telephone = "021-62345678"
    done = rq.edit_request(assistant, actor, number, document=corrected, submit=True)
    assert done.status is RequestStatus.RESUBMITTED and done.attachments == ()
    assert done.document.general.telephone == "021-62345678"
    steps = [(s.action, s.actor, s.comment) for s in done.steps]
    assert steps[-4:] == [
        (Action.ATTACH, pg.users["assistant"], "营业执照.png"),
        (Action.DETACH, pg.users["assistant"], "营业执照.png"),
        (Action.EDIT, pg.users["assistant"], ""),
        (Action.RESUBMIT, pg.users["assistant"], ""),
    ]
