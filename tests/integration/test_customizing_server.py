"""The shared server keeps the customizing to administrators and records every change of it
(migration 0018), whatever the client: tested as the users' own LOGIN roles with psycopg."""

from __future__ import annotations

import pytest

from tests.integration.test_pg_authorization import MINE
from tests.integration.test_server_trust import DENIED, Server, server  # noqa: F401

pytestmark = pytest.mark.usefixtures("server")

NEW_TERM = (
    "INSERT INTO cust_value (id, list_id, parent, code, text_zh, text_en, attrs, source, sort) "
    "VALUES (gen_random_uuid(), 'payment_terms', '', 'Z077', '七十七天', '77 days', '{}', "
    "'custom', 99)",
    (),
)
RETEXT = ("UPDATE cust_value SET text_zh = '改了' WHERE list_id = 'payment_terms'", ())
STATUS = (
    "UPDATE cust_field_status SET status = 'suppressed' WHERE ktokd = '1110'",
    (),
)
WIDEN = ("UPDATE nriv SET tonumber = '1099999998' WHERE nrrangenr = '02'", ())


@pytest.mark.parametrize(
    "role", ["assistant", "general_maintainer", "cc_maintainer", "finance", "auditor"]
)
def test_only_the_administrator_writes_the_customizing(server: Server, role: str) -> None:  # noqa: F811
    for statement in (NEW_TERM, RETEXT, STATUS, WIDEN):
        server.refused(DENIED, role, statement)
    # Nor can anyone forge or erase its change documents or hold the version back.
    server.refused(DENIED, role, ("DELETE FROM cust_change", ()))
    server.refused(DENIED, role, ("UPDATE cust_version SET version = 0", ()))
    # Everyone reads the version (to notice changes), and the customizing itself.
    assert server.run(role, ("SELECT version FROM cust_version", ()))[0][0] >= 1


def test_the_administrators_psql_changes_leave_change_documents(server: Server) -> None:  # noqa: F811
    before = server.scalar("SELECT version FROM cust_version")
    admin = server.users["administrator"]
    # The client claims to be someone else: the server records the signed-in role.
    server.run(
        "administrator",
        ("SELECT set_config('custmd.user', 'somebody_else', true)", ()),
        NEW_TERM,
        ("UPDATE cust_value SET text_en = '77 days net' WHERE code = 'Z077'", ()),
    )
    rows = server.run(
        "administrator",
        (
            "SELECT username, tabname, tabkey, fname, chngind, value_old, value_new "
            "FROM cust_change WHERE tabkey = 'payment_terms:Z077' ORDER BY changed_at, fname",
            (),
        ),
    )
    assert ("text_en", "U", "77 days", "77 days net") in {r[3:] for r in rows}
    assert ("text_zh", "I", None, "七十七天") in {r[3:] for r in rows}
    assert {r[0] for r in rows} == {admin}
    assert {r[1] for r in rows} == {"cust_value"}
    assert server.scalar("SELECT version FROM cust_version") > before
    # The administrator neither writes nor deletes change documents by hand.
    server.refused(DENIED, "administrator", ("DELETE FROM cust_change", ()))
    server.refused(DENIED, "administrator", ("UPDATE cust_version SET version = 0", ()))


def test_drawing_numbers_is_no_customizing_change(server: Server) -> None:  # noqa: F811
    before = server.scalar("SELECT version FROM cust_version")
    documents = server.scalar("SELECT count(*) FROM cust_change")
    server.run("assistant", ("SELECT custmd_draw_number('02')", ()))
    assert server.scalar("SELECT version FROM cust_version") == before
    assert server.scalar("SELECT count(*) FROM cust_change") == documents


def test_the_server_refuses_a_deactivated_code_where_it_is_typed(server: Server) -> None:  # noqa: F811
    server.run(
        "administrator",
        (
            "UPDATE cust_value SET active = false WHERE list_id = 'payment_terms' "
            "AND code IN ('Z030', '0001')",
            (),
        ),
    )
    refusal = server.refused(
        "CM002",
        "cc_maintainer",
        ("UPDATE knb1 SET zterm = 'Z030' WHERE kunnr = %s", (MINE,)),
    )
    assert "Z030" in refusal
    # The customers holding 0001 keep it: a change of another field is no typed code.
    assert server.scalar("SELECT count(*) FROM knb1 WHERE zterm = '0001'") > 0


def test_the_server_refuses_to_delete_a_code_customers_hold(server: Server) -> None:  # noqa: F811
    refusal = server.refused(
        "CM004",
        "administrator",
        ("DELETE FROM cust_value WHERE list_id = 'payment_terms' AND code = '0001'", ()),
    )
    assert "payment_terms" in refusal and "0001" in refusal and "3 个客户" in refusal
    server.refused(
        "CM004",
        "administrator",
        ("UPDATE cust_value SET code = 'Z001' WHERE list_id = 'regions' AND code = '020'", ()),
    )
    # Codes nobody holds go (the shipped seed has unused payment terms).
    deleted = server.run(
        "administrator",
        ("DELETE FROM cust_value WHERE list_id = 'payment_terms' AND code = 'Z090'", ()),
    )
    assert deleted == [1]
