"""customizing maintenance: deactivated codes, customizing change documents, a version counter

Revision ID: 0018
Revises: 0016

The administrator maintains the customizing in the app (系统 → 定制) instead of shipping YAML
files and rerunning `custmd db upgrade` on every database (issue 21):

- cust_value.active: a deactivated code is offered nowhere any more; customers holding it keep
  it (a code in use cannot be deleted);
- cust_change: who changed which field of which customizing row, when, from what to what. On
  PostgreSQL a trigger of every customizing table writes it, whatever the client: a psql
  session of the administrator leaves the same trace as the app. Its user is the signed-in
  role; the owner of the tables (who runs migrations and the seed of `db upgrade`, and could
  drop the trigger anyway) is recorded only when a service names the app user in the
  transaction setting custmd.user, so the shipped seed leaves no thousand documents. On SQLite
  (one user, one file) the maintenance service writes the same rows;
- a code that customers hold cannot be deleted (nor its key changed) on PostgreSQL, whoever
  tries (SQLSTATE CM004, naming how many customers and the first); the app refuses first,
  with the same facts;
- the server's code checks of 0012 accept only active codes where a code is typed (INSERT, or
  a changed code); a customer keeps a code deactivated later;
- cust_version: one row whose counter every change of the customizing raises (triggers on both
  databases, also for the owner's changes), so that each client sees within its polling
  interval that its copy of the customizing is stale. Drawing a number (nriv.nrlevel) is not a
  customizing change and raises nothing.

Grants (PostgreSQL): the customizing tables stay writable by the administrator alone (0008);
cust_change is read by administrators and auditors and written only through the trigger's
SECURITY DEFINER function; cust_version is read by everyone and written only by the triggers.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Customizing table -> the columns that identify a row (its key in a change document).
KEYS: dict[str, tuple[str, ...]] = {
    "cust_list": ("list_id",),
    "cust_value": ("list_id", "parent", "code"),
    "cust_ktokd": ("ktokd",),
    "cust_field_status": ("ktokd", "field_group", "activity"),
    "nriv": ("nrrangenr",),
}
# nriv's columns a change of the interval touches; its level moves with every number drawn.
NRIV_DEFINITION = ("kind", "fromnumber", "tonumber", "rule", "text_zh", "text_en")
GROUPS = (
    "custmd_assistant",
    "custmd_general_maintainer",
    "custmd_cc_maintainer",
    "custmd_finance",
    "custmd_administrator",
    "custmd_auditor",
)


IN_USE = "CM004"  # SQLSTATE of the refusal to delete a code customers hold (class CM: 0012)
IN_USE_MESSAGE = (
    "代码表 %s 的代码 %s 正在被 %s 个客户使用（%s …），不能删除或改名；可以停用"
    " / code %s of list %s is used by %s customers (%s …) and cannot be deleted or renamed"
)


def _trust() -> Any:
    """Migration 0012, loaded from its file beside this one as Alembic loads migrations: its
    list of coded fields is the one the server's checks are made from."""
    spec = importlib.util.spec_from_file_location(
        "custmd_migration_0012", Path(__file__).with_name("0012_server_trust.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_use_function() -> str:
    """A trigger function refusing to delete (or re-key) a code that a customer holds."""
    trust = _trust()
    branches = []
    for list_id in sorted({entry[4] for entry in trust.CODED}):
        selects = []
        for table, column, _key, _label, lst, parent in trust.CODED:
            if lst == list_id:
                where = f"{column} = OLD.code" + (f" AND {parent} = OLD.parent" if parent else "")
                selects.append(f"SELECT kunnr FROM {table} WHERE {where}")
        branches.append(
            f"WHEN {trust._literal(list_id)} THEN\n"
            f"            SELECT count(*), min(kunnr) INTO n, first FROM "
            f"({' UNION '.join(selects)}) AS holders;"
        )
    cases = "\n        ".join(branches)
    return f"""
CREATE FUNCTION custmd_code_in_use() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    n bigint := 0;
    first text;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.list_id, NEW.parent, NEW.code)
                            IS NOT DISTINCT FROM (OLD.list_id, OLD.parent, OLD.code) THEN
        RETURN NEW;
    END IF;
    CASE OLD.list_id
        {cases}
        ELSE NULL;
    END CASE;
    IF n > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '{IN_USE}',
            MESSAGE = format({trust._literal(IN_USE_MESSAGE)}, OLD.list_id, OLD.code, n, first,
                             OLD.code, OLD.list_id, n, first);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$"""


def _code_checks(active_only: bool) -> list[str]:
    """0012's code-check functions (one per segment, from its list of coded fields), as
    CREATE OR REPLACE, asking for an active code or, to go back, for any code."""
    trust = _trust()
    out = []
    for table in trust.SEGMENTS:
        body = trust._code_check_function(table).replace(
            "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
        )
        if active_only:
            for _tab, column, *_rest in trust.CODED:
                body = body.replace(
                    f"AND v.code = NEW.{column})", f"AND v.code = NEW.{column} AND v.active)"
                )
        out.append(body)
    return out


def _events(table: str) -> list[str]:
    update = f"UPDATE OF {', '.join(NRIV_DEFINITION)}" if table == "nriv" else "UPDATE"
    return ["INSERT", update, "DELETE"]


def upgrade() -> None:
    with op.batch_alter_table("cust_value") as batch:
        batch.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "cust_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("tabname", sa.String(length=30), nullable=False),
        sa.Column("tabkey", sa.String(length=120), nullable=False),
        sa.Column("fname", sa.String(length=30), nullable=False),
        sa.Column("chngind", sa.String(length=1), nullable=False),
        sa.Column("value_old", sa.Text(), nullable=True),
        sa.Column("value_new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cust_change")),
    )
    op.create_index(op.f("ix_cust_change_changed_at"), "cust_change", ["changed_at"])
    op.create_index("ix_cust_change_tabname_tabkey", "cust_change", ["tabname", "tabkey"])
    op.create_table(
        "cust_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cust_version")),
    )
    op.execute("INSERT INTO cust_version (id, version) VALUES (1, 1)")

    if op.get_bind().dialect.name != "postgresql":
        for table in KEYS:
            for event in _events(table):
                name = f"cust_version_{table}_{event.split()[0].lower()}"
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                    "UPDATE cust_version SET version = version + 1 WHERE id = 1; END"
                )
        return

    op.execute("REVOKE ALL ON cust_change, cust_version FROM PUBLIC")
    op.execute("GRANT SELECT ON cust_change TO custmd_administrator, custmd_auditor")
    op.execute(f"GRANT SELECT ON cust_version TO {', '.join(GROUPS)}")
    op.execute(
        """
        CREATE FUNCTION custmd_customizing_changed() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            old_row jsonb;
            new_row jsonb;
            key_row jsonb;
            tabkey text;
            who text;
            col text;
        BEGIN
            UPDATE cust_version SET version = version + 1 WHERE id = 1;
            who := nullif(current_setting('custmd.user', true), '');
            IF custmd_is_owner() THEN
                IF who IS NULL THEN
                    RETURN NULL;  -- migrations and the shipped seed
                END IF;
            ELSE
                who := session_user;  -- whatever the client claims
            END IF;
            IF TG_OP <> 'INSERT' THEN
                old_row := to_jsonb(OLD);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                new_row := to_jsonb(NEW);
            END IF;
            key_row := coalesce(new_row, old_row);
            -- The key's non-empty parts joined by ':' (persistence.customizing_store.tabkey).
            SELECT coalesce(string_agg(key_row ->> k, ':' ORDER BY n), '') INTO tabkey
            FROM unnest(TG_ARGV) WITH ORDINALITY AS u(k, n) WHERE key_row ->> k <> '';
            FOR col IN SELECT jsonb_object_keys(key_row) LOOP
                CONTINUE WHEN col = ANY (TG_ARGV) OR col IN ('id', 'sort', 'nrlevel');
                IF (old_row -> col) IS DISTINCT FROM (new_row -> col) THEN
                    INSERT INTO cust_change (id, changed_at, username, tabname, tabkey, fname,
                                             chngind, value_old, value_new)
                    VALUES (gen_random_uuid(), clock_timestamp(), left(who, 64), TG_TABLE_NAME,
                            left(tabkey, 120), col, left(TG_OP, 1), old_row ->> col,
                            new_row ->> col);
                END IF;
            END LOOP;
            RETURN NULL;
        END $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_customizing_changed() FROM PUBLIC")
    for statement in _code_checks(active_only=True):
        op.execute(statement)
    op.execute(_in_use_function())
    op.execute("REVOKE ALL ON FUNCTION custmd_code_in_use() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER custmd_code_in_use BEFORE DELETE OR UPDATE OF list_id, parent, code "
        "ON cust_value FOR EACH ROW EXECUTE FUNCTION custmd_code_in_use()"
    )
    for table, key in KEYS.items():
        args = ", ".join(f"'{column}'" for column in key)
        op.execute(
            f"CREATE TRIGGER custmd_customizing_changed AFTER {' OR '.join(_events(table))} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION custmd_customizing_changed({args})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in KEYS:
            op.execute(f"DROP TRIGGER IF EXISTS custmd_customizing_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS custmd_customizing_changed()")
        op.execute("DROP TRIGGER IF EXISTS custmd_code_in_use ON cust_value")
        op.execute("DROP FUNCTION IF EXISTS custmd_code_in_use()")
        for statement in _code_checks(active_only=False):
            op.execute(statement)
    else:
        for table in KEYS:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS cust_version_{table}_{event}")
    op.drop_table("cust_version")
    op.drop_index("ix_cust_change_tabname_tabkey", table_name="cust_change")
    op.drop_index(op.f("ix_cust_change_changed_at"), table_name="cust_change")
    op.drop_table("cust_change")
    with op.batch_alter_table("cust_value") as batch:
        batch.drop_column("active")
