"""customer search for the list and the search help (issue: find, display, change)

Revision ID: 0003
Revises: 0002

Reserved so that the search and the edit locks can be built side by side; filled by the
customer-search work.
"""

from collections.abc import Sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
