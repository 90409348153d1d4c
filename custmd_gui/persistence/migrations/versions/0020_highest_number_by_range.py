"""the highest external number with a prefix, read by a range of the primary key

Revision ID: 0020
Revises: 0019

custmd_highest_number (0014) looked for `kunnr LIKE prefix || '%'`: under the database's
collation PostgreSQL cannot use the primary key's index for that, so every XD01 with an
external number and every offline sync that checks one read all of kna1 (about 180 ms at
100,000 customers). Ten-digit numbers with a prefix of digits are exactly the ten-digit
numbers between the prefix padded with 0s and the prefix padded with 9s; strings of digits of
one length sort the same under every collation, so the range is the same set and max() is
one step backwards through the index.

SQLite: nothing (the repository reads the same range itself).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = """
    CREATE OR REPLACE FUNCTION custmd_highest_number(prefix text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT max(kunnr) FROM kna1
        WHERE prefix ~ '^[0-9]{1,10}$'
          AND %s AND kunnr ~ '^[0-9]{10}$'
    $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # CREATE OR REPLACE keeps the function's owner and grants (0014).
    op.execute(_FUNCTION % "kunnr BETWEEN rpad(prefix, 10, '0') AND rpad(prefix, 10, '9')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION % "kunnr LIKE prefix || '%%'")
