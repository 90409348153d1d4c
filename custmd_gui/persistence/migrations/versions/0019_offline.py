"""offline laptops: the server's change feed and applied operations, a replica's own tables

Revision ID: 0019
Revises: 0018

Issue 19. On both databases (one schema everywhere):

- change_feed (server): per customer the last transaction that inserted, updated or deleted
  its general-data row (every change of a customer raises kna1.version, so that row moves
  with every segment's change). On PostgreSQL an AFTER trigger of kna1 upserts the row with
  pg_current_xact_id() (xid8, kept as bigint); the function is SECURITY DEFINER, so every
  role's change feeds it and no role writes it directly. A role reads the rows of the
  customers it sees (row-level security through kna1's own policies); a customer deleted
  or hidden from it since is found by comparing the numbers it sees (services.offline_sync);
- offline_op (server): the offline operations applied, by operation id, written in the
  transaction of the change (a role inserts and reads its own; nobody updates or deletes);
- replica_meta, replica_block, outbox, offline_conflict: used in a replica only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
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
    op.create_table(
        "change_feed",
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("kunnr", name=op.f("pk_change_feed")),
    )
    op.create_table(
        "offline_op",
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_offline_op")),
    )
    op.create_table(
        "replica_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_replica_meta")),
    )
    op.create_table(
        "replica_block",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nrrangenr", sa.String(length=2), nullable=False),
        sa.Column("first_number", sa.BigInteger(), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replica_block")),
    )
    op.create_index(
        op.f("ix_replica_block_nrrangenr"), "replica_block", ["nrrangenr"], unique=False
    )
    op.create_table(
        "outbox",
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("activity", sa.String(length=10), nullable=False),
        sa.Column("tcode", sa.String(length=20), nullable=False),
        sa.Column("segments", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("seq", name=op.f("uq_outbox_seq")),
    )
    op.create_index(op.f("ix_outbox_kunnr"), "outbox", ["kunnr"], unique=False)
    op.create_table(
        "offline_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("tabname", sa.String(length=10), server_default="", nullable=False),
        sa.Column("tabkey", sa.String(length=70), server_default="", nullable=False),
        sa.Column("fname", sa.String(length=10), server_default="", nullable=False),
        sa.Column("base", sa.Text(), nullable=True),
        sa.Column("mine", sa.Text(), nullable=True),
        sa.Column("theirs", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_conflict")),
    )
    op.create_index(op.f("ix_offline_conflict_kunnr"), "offline_conflict", ["kunnr"], unique=False)
    op.create_index(op.f("ix_offline_conflict_op_id"), "offline_conflict", ["op_id"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION custmd_feed_change() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            number text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                number := OLD.kunnr;
            ELSE
                number := NEW.kunnr;
            END IF;
            INSERT INTO change_feed (kunnr, xid, deleted)
            VALUES (number, pg_current_xact_id()::text::bigint, TG_OP = 'DELETE')
            ON CONFLICT (kunnr) DO UPDATE
                SET xid = EXCLUDED.xid, deleted = EXCLUDED.deleted;
            RETURN NULL;
        END $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_feed_change() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER custmd_feed AFTER INSERT OR UPDATE OR DELETE ON kna1 "
        "FOR EACH ROW EXECUTE FUNCTION custmd_feed_change()"
    )
    # Customers from before: in the feed once, so a replica checked out later is complete.
    op.execute(
        "INSERT INTO change_feed (kunnr, xid, deleted) "
        "SELECT kunnr, pg_current_xact_id()::text::bigint, false FROM kna1"
    )
    op.execute(f"GRANT SELECT ON change_feed TO {', '.join(GROUPS)}")
    op.execute(f"GRANT SELECT, INSERT ON offline_op TO {', '.join(GROUPS)}")
    # A role sees the feed rows of the customers it sees (kna1's own policies decide, in
    # the subquery), and only its own applied operations.
    op.execute("ALTER TABLE change_feed ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY custmd_feed_visible ON change_feed FOR SELECT "
        "USING (EXISTS (SELECT 1 FROM kna1 k WHERE k.kunnr = change_feed.kunnr))"
    )
    op.execute("ALTER TABLE offline_op ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY custmd_own_operations ON offline_op "
        "USING (username = current_user::text) WITH CHECK (username = current_user::text)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS custmd_feed ON kna1")
        op.execute("DROP FUNCTION IF EXISTS custmd_feed_change()")
    for table in ("offline_conflict", "outbox", "replica_block", "replica_meta"):
        op.drop_table(table)
    op.drop_table("offline_op")
    op.drop_table("change_feed")
