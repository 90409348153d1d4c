"""the change feed by transaction: a pull reads the changes since its snapshot by index

Revision ID: 0023
Revises: 0022

A pull (services.offline_sync) asks the feed for every customer whose last change its
snapshot did not see. Every transaction id below the snapshot's xmin was over when the
snapshot was taken, and a feed row is written in the transaction of its change, so only rows
from xmin up can be unseen: with an index on xid the pull reads those instead of the whole
feed, each of its rows past the row-level policy (a customer lookup each), some 0.3 s at
100,000 customers for a handful of changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_change_feed_xid", "change_feed", ["xid"])


def downgrade() -> None:
    op.drop_index("ix_change_feed_xid", table_name="change_feed")
