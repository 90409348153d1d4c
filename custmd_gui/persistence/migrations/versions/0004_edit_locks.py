"""edit locks for XD02 (issue: find, display, change)

Revision ID: 0004
Revises: 0003

Reserved so that the search and the edit locks can be built side by side; filled by the
edit-lock work.
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
