"""the user's comment on a change document (issue: block, unblock, deletion flags)

Revision ID: 0005
Revises: 0004

Blocking, unblocking and flagging for deletion require a comment (why finance blocked the
customer); it belongs to the change document that records the action, so it lives on CDHDR.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cdhdr") as batch:
        batch.add_column(sa.Column("comment", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("cdhdr") as batch:
        batch.drop_column("comment")
