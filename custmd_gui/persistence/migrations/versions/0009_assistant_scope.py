"""the responsibility-center assistant's sales areas and company codes, enforced by PostgreSQL

Revision ID: 0009
Revises: 0008

Migration 0008 lets the server hide customers of other authorization groups and hold the
company-code maintainer to their company codes. An assistant may write sales-area data (KNVV,
tax classifications KNVI, partners KNVP) and create company-code data (KNB1) only in the sales
areas and company codes of their scope (user_sales_area, user_company_code; "*": all); the
services check the same. Restrictive policies for writing only: they still see the other
segments of a customer they may see. A user who is also administrator is not held.

SQLite: nothing (a local file has no database roles).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ASSISTANT = "pg_has_role(current_user, 'custmd_assistant', 'USAGE')"
_ADMIN = "pg_has_role(current_user, 'custmd_administrator', 'USAGE')"


def _area_scope(table: str) -> str:
    return (
        f"(NOT {_ASSISTANT} OR {_ADMIN} OR EXISTS (SELECT 1 FROM user_sales_area s "
        f"WHERE s.username = current_user::text AND s.vkorg IN ({table}.vkorg, '*') "
        f"AND s.vtweg IN ({table}.vtweg, '*') AND s.spart IN ({table}.spart, '*')))"
    )


_CODE_SCOPE = (
    f"(NOT {_ASSISTANT} OR {_ADMIN} OR EXISTS (SELECT 1 FROM user_company_code c "
    "WHERE c.username = current_user::text AND c.bukrs IN (knb1.bukrs, '*')))"
)

SCOPES = {"knvv": _area_scope("knvv"), "knvi": _area_scope("knvi"), "knvp": _area_scope("knvp")}
SCOPES["knb1"] = _CODE_SCOPE


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, scope in SCOPES.items():
        for command, clauses in (
            ("UPDATE", f"USING ({scope}) WITH CHECK ({scope})"),
            ("INSERT", f"WITH CHECK ({scope})"),
            ("DELETE", f"USING ({scope})"),
        ):
            op.execute(
                f"CREATE POLICY custmd_assistant_scope_{command.lower()} ON {table} "
                f"AS RESTRICTIVE FOR {command} {clauses}"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in SCOPES:
        for command in ("update", "insert", "delete"):
            op.execute(f"DROP POLICY IF EXISTS custmd_assistant_scope_{command} ON {table}")
