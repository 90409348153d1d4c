"""the highest external number with a prefix, for the number XD01 proposes

Revision ID: 0014
Revises: 0013

XD01 proposes the next free external number of document SD02 (2 + branch + responsibility
center + serial): one more than the highest stored number with the same six-digit prefix. On
PostgreSQL row-level security (0008) hides the customers of other authorization groups from
an assistant, so the highest number the assistant can see may not be the highest there is,
and the proposal would be taken already. custmd_highest_number reads past the policies
(SECURITY DEFINER, fixed search_path) and gives only the highest number with a prefix of
digits: no name, no authorization group, nothing a unique-key violation would not tell too.
Given a whole number it says whether that number is taken, so that a save refused for a
number held by a hidden customer says so instead of failing on the unique key.

SQLite: nothing (a local file has no row-level security).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CALLERS = ("custmd_assistant", "custmd_cc_maintainer", "custmd_administrator")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION custmd_highest_number(prefix text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
            SELECT max(kunnr) FROM kna1
            WHERE prefix ~ '^[0-9]{1,10}$'
              AND kunnr LIKE prefix || '%' AND kunnr ~ '^[0-9]{10}$'
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_highest_number(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION custmd_highest_number(text) TO {', '.join(CALLERS)}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS custmd_highest_number(text)")
