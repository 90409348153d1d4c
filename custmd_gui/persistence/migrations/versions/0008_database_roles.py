"""database roles, grants and row-level security for the shared mode (issue 6)

Revision ID: 0008
Revises: 0007

PostgreSQL only (on SQLite nothing happens: a local file has one user). In the shared mode
every person signs in to the server as their own LOGIN role, a member of one or more of the
group roles below; what the app's screens forbid, the server refuses as well, also to psql:

- group roles (NOLOGIN, cluster-wide, created only when missing, never dropped here: other
  databases on the same server may use them): custmd_assistant, custmd_general_maintainer,
  custmd_cc_maintainer, custmd_finance, custmd_administrator, custmd_auditor;
- grants per table and, where a role may change only some fields, per column (see _GRANTS);
- change documents (cdhdr, cdpos) can be inserted, never updated or deleted but by the owner;
  a change document written by a user names the signed-in role (trigger), whatever the
  client says;
- row-level security by authorization group (BEGRU) on kna1, knb1, knvv, and through the
  customer on knbk, knvi, knvp, the search indexes, the usage register and the change
  documents: a row is visible and changeable when its group is empty or the user holds it in
  user_auth_group ("*" holds all); administrators and auditors see every customer;
- company-code scope: a member of custmd_cc_maintainer changes, adds or removes knb1 rows
  only of the company codes in user_company_code ("*": all);
- the user tables: each user reads only their own rows; administrators (and auditors, who
  audit authorizations) read all, only administrators write.

The owner of the tables (the role that runs `custmd db upgrade`) is not subject to row-level
security (no FORCE), so migrations, seeding and maintenance work as before. A later migration
that adds a table grants on it itself: no default privileges are set, so that a new table is
never readable by everyone by accident.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASSISTANT = "custmd_assistant"
GENERAL = "custmd_general_maintainer"
CC = "custmd_cc_maintainer"
FINANCE = "custmd_finance"
ADMIN = "custmd_administrator"
AUDITOR = "custmd_auditor"
GROUPS = (ASSISTANT, GENERAL, CC, FINANCE, ADMIN, AUDITOR)
WRITERS = (ASSISTANT, GENERAL, CC, FINANCE, ADMIN)

SEGMENTS = ("kna1", "knbk", "knb1", "knvv", "knvi", "knvp")
CHANGE_DOCUMENTS = ("cdhdr", "cdpos")
# Tables holding one user's data, with a username column: each user reads only their own.
USER_TABLES = (
    "app_user",
    "user_role",
    "user_auth_group",
    "user_company_code",
    "user_sales_area",
    "login_attempt",
)

# Fields only finance changes (blocks and deletion flags), per segment.
BLOCKS = {
    "kna1": ("aufsd", "lifsd", "faksd", "sperr", "loevm"),
    "knb1": ("sperr", "loevm"),
    "knvv": ("aufsd", "lifsd", "faksd", "loevm"),
}
# Columns that identify a row or record its creation: nobody but the administrator updates them.
KEYS = {
    "kna1": ("id", "kunnr", "ktokd", "version", "changed_at", "created_by", "created_at"),
    "knbk": ("id", "kunnr"),
    "knb1": ("id", "kunnr", "bukrs"),
    "knvv": ("id", "kunnr", "vkorg", "vtweg", "spart"),
    "knvi": ("id", "kunnr", "vkorg", "vtweg", "spart"),
    "knvp": ("id", "kunnr", "vkorg", "vtweg", "spart"),
}


def _is(group: str) -> str:
    return f"pg_has_role(current_user, '{group}', 'USAGE')"


SEES_ALL = f"({_is(ADMIN)} OR {_is(AUDITOR)})"


def _holds(column: str) -> str:
    """The current user may see rows of the authorization group in `column`. The subquery
    reads user_auth_group as the user, whose own policy shows only their own rows."""
    return (
        f"({column} = '' OR EXISTS (SELECT 1 FROM user_auth_group g "
        f"WHERE g.username = current_user::text AND g.begru IN ({column}, '*')) "
        f"OR {SEES_ALL})"
    )


def _customer_visible(column: str) -> str:
    # kna1's own policy applies inside: the customer must be one the user may see.
    return f"EXISTS (SELECT 1 FROM kna1 k WHERE k.kunnr = {column})"


def _area_visible(table: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM knvv v WHERE v.kunnr = {table}.kunnr AND v.vkorg = "
        f"{table}.vkorg AND v.vtweg = {table}.vtweg AND v.spart = {table}.spart)"
    )


CC_SCOPE = (
    f"(NOT {_is(CC)} OR {_is(ADMIN)} OR EXISTS (SELECT 1 FROM user_company_code c "
    "WHERE c.username = current_user::text AND c.bukrs IN (knb1.bukrs, '*')))"
)

# table -> the condition under which a row is visible and changeable (FOR ALL policy).
ROW_POLICIES = {
    "kna1": _holds("kna1.begru"),
    "knb1": f"{_holds('knb1.begru')} AND {_customer_visible('knb1.kunnr')}",
    "knvv": f"{_holds('knvv.begru')} AND {_customer_visible('knvv.kunnr')}",
    "knbk": _customer_visible("knbk.kunnr"),
    "knvi": _area_visible("knvi"),
    "knvp": _area_visible("knvp"),
    "kna1_search": _customer_visible("kna1_search.kunnr"),
    "kna1_find": _customer_visible("kna1_find.kunnr"),
    "usage_register": _customer_visible("usage_register.kunnr"),
}


def _columns(bind: sa.Connection, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(bind).get_columns(table)]


def _grants(bind: sa.Connection, tables: set[str]) -> list[str]:
    """GRANT statements: (privileges, table, groups)."""
    out: list[str] = []

    def grant(privileges: str, table: str, *groups: str) -> None:
        if table in tables:
            out.append(f"GRANT {privileges} ON {table} TO {', '.join(groups)}")

    def update(table: str, columns: Sequence[str], *groups: str) -> None:
        grant(f"UPDATE ({', '.join(columns)})", table, *groups)

    def editable(table: str) -> list[str]:
        """Every column but keys and blocks: the ordinary fields of a segment."""
        skip = set(KEYS.get(table, ())) | set(BLOCKS.get(table, ()))
        return [c for c in _columns(bind, table) if c not in skip]

    # Everyone reads everything (rows filtered by row-level security where it is enabled).
    for table in sorted(tables):
        grant("SELECT", table, *GROUPS)
    # The administrator changes everything but the change documents and the schema version.
    for table in sorted(tables - {*CHANGE_DOCUMENTS, "alembic_version"}):
        grant("INSERT, UPDATE, DELETE", table, ADMIN)
    # What every writer needs: a change of any segment raises kna1's version and timestamp,
    # writes a change document, renews the search indexes and holds the edit lock.
    update("kna1", ("version", "changed_at"), *WRITERS)
    for table in CHANGE_DOCUMENTS:
        grant("INSERT", table, *WRITERS)
    for table in ("kna1_search", "kna1_find"):
        grant("INSERT, DELETE", table, *WRITERS)
    grant("INSERT, UPDATE, DELETE", "edit_lock", *WRITERS)
    # Sales assistant (业务助理): creates customers (draws numbers), maintains sales areas,
    # their tax classifications and partners.
    for table in SEGMENTS:
        grant("INSERT", table, ASSISTANT)
    update("nriv", ("nrlevel",), ASSISTANT)
    for table in ("knvv", "knvi", "knvp"):
        update(table, editable(table), ASSISTANT)
    for table in ("knvi", "knvp"):
        grant("DELETE", table, ASSISTANT)
    # General-data maintainer: name, address, communication, control data, bank details.
    update("kna1", editable("kna1"), GENERAL)
    grant("INSERT, DELETE", "knbk", GENERAL)
    update("knbk", editable("knbk"), GENERAL)
    # Company-code maintainer: account management and payment data, extension by a code.
    grant("INSERT", "knb1", CC)
    update("knb1", editable("knb1"), CC)
    # Finance: blocks and deletion flags only.
    for table, columns in BLOCKS.items():
        update(table, columns, FINANCE)
    # Users leave a trace of their sign-ins.
    grant("INSERT", "login_attempt", *GROUPS)
    return out


def _create_groups() -> None:
    for group in GROUPS:
        # Roles belong to the server, not to the database: a second custmd database on the
        # same server (or a concurrent migration) finds them already there.
        op.execute(
            f"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN
                    CREATE ROLE {group} NOLOGIN;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$
            """
        )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _create_groups()
    tables = set(sa.inspect(bind).get_table_names())
    for table in sorted(tables):
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
    for statement in _grants(bind, tables):
        op.execute(statement)
    # Belt and braces: change documents are never updated or deleted but by their owner.
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON cdhdr, cdpos FROM {', '.join(GROUPS)}")

    for table, condition in ROW_POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY custmd_visible ON {table} USING ({condition}) WITH CHECK ({condition})"
        )
    # Company-code scope of the company-code maintainer: restrictive, i.e. on top of the above,
    # and for writing only (they see every company code of a customer they may see).
    for command, clauses in (
        ("UPDATE", f"USING ({CC_SCOPE}) WITH CHECK ({CC_SCOPE})"),
        ("INSERT", f"WITH CHECK ({CC_SCOPE})"),
        ("DELETE", f"USING ({CC_SCOPE})"),
    ):
        op.execute(
            f"CREATE POLICY custmd_cc_scope_{command.lower()} ON knb1 AS RESTRICTIVE "
            f"FOR {command} {clauses}"
        )

    # Change documents: read where the customer may be seen (administrators and auditors also
    # read those of deleted customers), inserted by any writer, never updated nor deleted.
    op.execute("ALTER TABLE cdhdr ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY custmd_read ON cdhdr FOR SELECT "
        f"USING ({SEES_ALL} OR {_customer_visible('cdhdr.objectid')})"
    )
    op.execute("CREATE POLICY custmd_write ON cdhdr FOR INSERT WITH CHECK (true)")
    op.execute("ALTER TABLE cdpos ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY custmd_read ON cdpos FOR SELECT "
        "USING (EXISTS (SELECT 1 FROM cdhdr h WHERE h.id = cdpos.header_id))"
    )
    op.execute("CREATE POLICY custmd_write ON cdpos FOR INSERT WITH CHECK (true)")
    # A change document names who signed in, not whatever name the client sends; the owner's
    # own connections (migrations, imports run by the administrator of the server) keep theirs.
    op.execute(
        """
        CREATE FUNCTION custmd_cdhdr_signed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT pg_has_role(session_user,
                               (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                               'MEMBER') THEN
                NEW.username := session_user;
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER custmd_cdhdr_signed BEFORE INSERT ON cdhdr "
        "FOR EACH ROW EXECUTE FUNCTION custmd_cdhdr_signed()"
    )

    # The user tables: one's own rows; administrators and auditors all; administrators write.
    for table in USER_TABLES:
        if table not in tables:
            continue
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY custmd_own ON {table} FOR SELECT "
            f"USING (username = current_user::text OR {SEES_ALL})"
        )
        op.execute(
            f"CREATE POLICY custmd_admin ON {table} USING ({_is(ADMIN)}) WITH CHECK ({_is(ADMIN)})"
        )
    if "login_attempt" in tables:
        op.execute(
            "CREATE POLICY custmd_sign_in ON login_attempt FOR INSERT "
            "WITH CHECK (username = current_user::text)"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    tables = set(sa.inspect(bind).get_table_names())
    op.execute("DROP TRIGGER IF EXISTS custmd_cdhdr_signed ON cdhdr")
    op.execute("DROP FUNCTION IF EXISTS custmd_cdhdr_signed()")
    rows = bind.execute(
        sa.text(
            "SELECT tablename, policyname FROM pg_policies "
            "WHERE schemaname = current_schema() AND policyname LIKE 'custmd%'"
        )
    ).all()
    for table, policy in rows:
        op.execute(f'DROP POLICY "{policy}" ON {table}')
    for table in sorted(tables):
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        # The group roles stay: other databases on this server may still use them.
        op.execute(f"REVOKE ALL ON {table} FROM {', '.join(GROUPS)}")
