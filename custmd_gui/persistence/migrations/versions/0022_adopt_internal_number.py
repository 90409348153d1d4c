"""an imported customer keeps its internal number: the range's level raised to it

Revision ID: 0022
Revises: 0021

A customer migrated from another system (or exported and imported into another database)
keeps its number even where its account group numbers internally; otherwise the full export
could not be imported again with the same customers. The kna1 trigger of 0012 accepts an
internal number only up to the range's level (drawn numbers), and nobody but the
administrator updates nriv. custmd_adopt_number raises the level of an internal range to a
number inside it, never lowers it (SECURITY DEFINER, the drawers' grant of 0012): a client can
waste numbers with it, as by drawing them, but not hand one out twice.

SQLite: nothing (the repository raises the level itself).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAWERS = ("custmd_assistant", "custmd_administrator")  # 0012's


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION custmd_adopt_number(range_id text, number bigint) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            -- The row lock queues drawers until COMMIT, as custmd_draw_number does.
            UPDATE nriv SET nrlevel = greatest(nrlevel, number)
            WHERE nrrangenr = range_id AND kind = 'internal'
              AND number BETWEEN fromnumber::bigint AND tonumber::bigint;
            RETURN FOUND;
        END $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_adopt_number(text, bigint) FROM PUBLIC")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION custmd_adopt_number(text, bigint) TO {', '.join(DRAWERS)}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION custmd_adopt_number(text, bigint)")
