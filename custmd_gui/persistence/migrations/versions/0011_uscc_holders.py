"""how many customers hold a unified social credit code, whoever may see them (PostgreSQL)

Revision ID: 0011
Revises: 0010

A credit code belongs to one customer (services.duplicates). Row-level security (migration
0008) hides the customers of other authorization groups from a user, so a search of the
duplicate-check index as that user cannot tell that another responsibility center already
has the company. custmd_uscc_holders(code, own) counts the holders of the code other than
`own` as the table owner does, and says nothing else about them: the number, name and center
of a customer the user may not see stay hidden. Only the credit code is counted this way, a
rule of uniqueness; names and telephones, which only hint at duplicates, are not.

SQLite: nothing (a local file has no row-level security).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = (
    "custmd_assistant",
    "custmd_general_maintainer",
    "custmd_cc_maintainer",
    "custmd_finance",
    "custmd_administrator",
    "custmd_auditor",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # SECURITY DEFINER runs as the owner (no row-level security); the search_path is fixed
    # to the migration's, so that no user can slip in a table of their own.
    op.execute(
        """
        CREATE FUNCTION custmd_uscc_holders(code text, own text) RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
            SELECT count(DISTINCT kunnr)::integer FROM kna1_search
            WHERE kind = 'u' AND token = code AND kunnr <> own
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_uscc_holders(text, text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION custmd_uscc_holders(text, text) TO {', '.join(GROUPS)}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS custmd_uscc_holders(text, text)")
