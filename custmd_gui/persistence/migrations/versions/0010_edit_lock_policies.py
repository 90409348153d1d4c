"""edit locks held, renewed and released only by their holder, enforced by PostgreSQL

Revision ID: 0010
Revises: 0009

Migration 0008 lets every writer insert, update and delete edit_lock rows, because taking,
renewing and freeing an XD02 lock needs all three. Without row-level security a user
connected with psql could delete or take over another user's lock and so defeat the
"客户 X 正在被用户 Y 处理" rule. Here the server holds writers to the rules of
services.locks:

- everyone who may read customers sees every lock (the message names the holder);
- a lock is taken only in one's own name, and only on a customer one may see;
- a lock is renewed or taken over only when it is one's own or its lease has run out, by
  the same clock the app compares leases with (clock_timestamp(), see persistence.dbtime):
  with now(), the start of the transaction, a lease that the app found lapsed could still
  look alive to the policy, and taking it over would fail with an error instead of winning;
- a lock is released only by its holder;
- the administrator may do all of this for anyone (to free the lock of a user who left).

SQLite: nothing (a local file has one user).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADMIN = "pg_has_role(current_user, 'custmd_administrator', 'USAGE')"
_MINE = "edit_lock.username = current_user::text"
_LAPSED = "edit_lock.expires_at <= clock_timestamp()"
# kna1's own policy applies inside the subquery: the customer must be one the user may see.
_VISIBLE = "EXISTS (SELECT 1 FROM kna1 k WHERE k.kunnr = edit_lock.objectid)"

POLICIES = {
    "custmd_lock_read": "FOR SELECT USING (true)",
    "custmd_lock_take": f"FOR INSERT WITH CHECK ({_ADMIN} OR ({_MINE} AND {_VISIBLE}))",
    "custmd_lock_renew": (
        f"FOR UPDATE USING ({_ADMIN} OR {_MINE} OR {_LAPSED}) "
        f"WITH CHECK ({_ADMIN} OR ({_MINE} AND {_VISIBLE}))"
    ),
    "custmd_lock_release": f"FOR DELETE USING ({_ADMIN} OR {_MINE})",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE edit_lock ENABLE ROW LEVEL SECURITY")
    for name, clauses in POLICIES.items():
        op.execute(f"CREATE POLICY {name} ON edit_lock {clauses}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS {name} ON edit_lock")
    op.execute("ALTER TABLE edit_lock DISABLE ROW LEVEL SECURITY")
