"""maintenance requests: requests, their steps and attachments; change documents name the request

Revision ID: 0017
Revises: 0016

Issue 18 (客户主数据维护申请): a request carries the proposed customer, its history and
attachments; activation writes the customer with change documents whose header names the
request (cdhdr.request_number; the reason is the header's comment).

Existing databases: the shipped roles that exist get the new permissions (request, review_*,
skip_review) as domain.authorization.DEFAULT_ROLES has them; a new database gets them when
the roles are seeded after the migrations.

PostgreSQL:
- every writer reads, files and updates requests, writes steps and attachments; the auditor
  reads. Steps are never updated or deleted but by the owner;
- row-level security as for customers (0008): a request, its steps and attachments are seen
  and changed only by its requester and by users holding the authorization group of its
  proposed general data (requests.begru; empty: everyone's), administrators and auditors;
- the server fills in who acts: a new request's requester and last editor are the signed-in
  role (a child request may keep its parent's), a step's actor is the signed-in role, and the
  last editor becomes the signed-in role whenever the document or reason changes;
- four eyes: a request is approved or activated only by a role that neither filed it nor last
  edited it (SQLSTATE CM004), whatever the client sends;
- the general-data maintainer activates new customers: INSERT on kna1 and knbk and internal
  numbers through custmd_draw_number (0012), the
  check of a number held out of sight through custmd_highest_number (0014).
The owner of the tables (migrations, the tests' set-up) is exempt, as from the other checks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITERS = (
    "custmd_assistant",
    "custmd_general_maintainer",
    "custmd_cc_maintainer",
    "custmd_finance",
    "custmd_administrator",
)
AUDITOR = "custmd_auditor"
FOUR_EYES = "CM004"
FOUR_EYES_MESSAGE = (
    "四眼原则：用户 %s 不能批准或生效自己提交或最后修改的申请 %s"
    " / four eyes: user %s may not approve or activate request %s, filed or last edited by them"
)
# The permissions the shipped roles gained with requests (domain.authorization.DEFAULT_ROLES).
NEW_PERMISSIONS = {
    "assistant": ("request", "review_sales_area", "skip_review"),
    "general_maintainer": ("request", "review_general", "skip_review"),
    "cc_maintainer": ("request", "review_company_code", "skip_review"),
    "finance": ("request", "skip_review"),
    "administrator": (
        "request",
        "review_general",
        "review_company_code",
        "review_sales_area",
        "skip_review",
    ),
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    with op.batch_alter_table("cdhdr") as batch:
        batch.add_column(
            sa.Column("request_number", sa.String(length=10), server_default="", nullable=False)
        )
    op.create_table(
        "requests",
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.String(length=10), nullable=True),
        sa.Column("kunnr", sa.String(length=10), server_default="", nullable=False),
        sa.Column("bukrs", sa.String(length=4), server_default="", nullable=False),
        sa.Column("sales_area", sa.String(length=14), server_default="", nullable=False),
        sa.Column("begru", sa.String(length=4), server_default="", nullable=False),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("org_unit", sa.String(length=20), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_editor", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"], ["requests.number"], name=op.f("fk_requests_parent_requests")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_requests")),
    )
    op.create_index(op.f("ix_requests_parent"), "requests", ["parent"])
    op.create_index(op.f("ix_requests_status"), "requests", ["status"])
    op.create_table(
        "request_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_number", sa.String(length=10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), server_default="", nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["request_number"],
            ["requests.number"],
            name=op.f("fk_request_steps_request_number_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_steps")),
        sa.UniqueConstraint(
            "request_number", "seq", name=op.f("uq_request_steps_request_number_seq")
        ),
    )
    op.create_index(op.f("ix_request_steps_request_number"), "request_steps", ["request_number"])
    op.create_table(
        "request_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_number", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "size > 0 AND size <= 5242880", name=op.f("ck_request_attachments_size_limit")
        ),
        sa.ForeignKeyConstraint(
            ["request_number"],
            ["requests.number"],
            name=op.f("fk_request_attachments_request_number_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_attachments")),
    )
    op.create_index(
        op.f("ix_request_attachments_request_number"), "request_attachments", ["request_number"]
    )
    bind = op.get_bind()
    roles = {r[0] for r in bind.execute(sa.text("SELECT code FROM app_role"))}
    for role, permissions in NEW_PERMISSIONS.items():
        if role not in roles:
            continue
        have = {
            r[0]
            for r in bind.execute(
                sa.text("SELECT permission FROM app_role_permission WHERE role = :r"), {"r": role}
            )
        }
        for permission in permissions:
            if permission not in have:
                bind.execute(
                    sa.text("INSERT INTO app_role_permission (role, permission) VALUES (:r, :p)"),
                    {"r": role, "p": permission},
                )
    if bind.dialect.name == "postgresql":
        _server()


def _server() -> None:
    writers = ", ".join(WRITERS)
    for table in ("requests", "request_steps", "request_attachments"):
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON {table} TO {writers}, {AUDITOR}")
    op.execute(f"GRANT INSERT, UPDATE ON requests TO {writers}")
    op.execute(f"GRANT INSERT ON request_steps TO {writers}")
    op.execute(f"GRANT INSERT, DELETE ON request_attachments TO {writers}")
    holds = (
        "(requests.requester = current_user::text OR requests.begru = '' OR EXISTS ("
        "SELECT 1 FROM user_auth_group g WHERE g.username = current_user::text "
        "AND g.begru IN (requests.begru, '*')) OR pg_has_role(current_user, "
        "'custmd_administrator', 'USAGE') OR pg_has_role(current_user, 'custmd_auditor', 'USAGE'))"
    )
    op.execute("ALTER TABLE requests ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY custmd_visible ON requests USING ({holds}) WITH CHECK ({holds})")
    for table in ("request_steps", "request_attachments"):
        # requests' own policy applies inside: the request must be one the user may see.
        visible = f"EXISTS (SELECT 1 FROM requests r WHERE r.number = {table}.request_number)"
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY custmd_visible ON {table} USING ({visible}) WITH CHECK ({visible})"
        )
    # The next request number counts every request, also those the user may not see; two
    # clients filing at once queue on the lock until COMMIT instead of taking the same number.
    op.execute(
        """
        CREATE FUNCTION custmd_next_request_number() RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            next_number bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('custmd_requests'));
            SELECT coalesce(max(number::bigint), 0) + 1 INTO next_number FROM requests;
            RETURN lpad(next_number::text, 10, '0');
        END $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_next_request_number() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION custmd_next_request_number() TO {writers}")
    # The head office activates new customers' general data.
    op.execute("GRANT INSERT ON kna1, knbk TO custmd_general_maintainer")
    for function in ("custmd_draw_number(text)", "custmd_highest_number(text)"):
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO custmd_general_maintainer")

    op.execute(
        f"""
        CREATE FUNCTION custmd_request_signed() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            parent_row requests%ROWTYPE;
        BEGIN
            IF custmd_is_owner() THEN
                RETURN NEW;
            END IF;
            IF TG_OP = 'INSERT' THEN
                -- A child request (activation of its parent) keeps the parent's requester
                -- and last editor; any other request is filed by who is signed in.
                SELECT * INTO parent_row FROM requests WHERE number = NEW.parent;
                IF NOT FOUND OR NEW.requester IS DISTINCT FROM parent_row.requester
                   OR NEW.last_editor IS DISTINCT FROM parent_row.last_editor THEN
                    NEW.requester := session_user;
                    NEW.last_editor := session_user;
                END IF;
                IF NEW.status IN ('approved', 'activated') THEN
                    RAISE EXCEPTION USING ERRCODE = '{FOUR_EYES}',
                        MESSAGE = format({_literal(FOUR_EYES_MESSAGE)},
                                         session_user, NEW.number, session_user, NEW.number);
                END IF;
                RETURN NEW;
            END IF;
            NEW.requester := OLD.requester;
            IF NEW.document IS DISTINCT FROM OLD.document
               OR NEW.reason IS DISTINCT FROM OLD.reason THEN
                NEW.last_editor := session_user;
            ELSE
                NEW.last_editor := OLD.last_editor;
            END IF;
            IF NEW.status IN ('approved', 'activated') AND NEW.status IS DISTINCT FROM OLD.status
               AND session_user::text IN (NEW.requester, NEW.last_editor) THEN
                RAISE EXCEPTION USING ERRCODE = '{FOUR_EYES}',
                    MESSAGE = format({_literal(FOUR_EYES_MESSAGE)},
                                     session_user, NEW.number, session_user, NEW.number);
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER custmd_request_signed BEFORE INSERT OR UPDATE ON requests "
        "FOR EACH ROW EXECUTE FUNCTION custmd_request_signed()"
    )
    op.execute(
        """
        CREATE FUNCTION custmd_request_step_signed() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            IF NOT custmd_is_owner() THEN
                NEW.actor := session_user;
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER custmd_request_step_signed BEFORE INSERT ON request_steps "
        "FOR EACH ROW EXECUTE FUNCTION custmd_request_step_signed()"
    )
    op.execute(
        """
        CREATE FUNCTION custmd_request_attachment_signed() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            IF NOT custmd_is_owner() THEN
                NEW.added_by := session_user;
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER custmd_request_attachment_signed BEFORE INSERT ON request_attachments "
        "FOR EACH ROW EXECUTE FUNCTION custmd_request_attachment_signed()"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("REVOKE INSERT ON kna1, knbk FROM custmd_general_maintainer")
        for function in ("custmd_draw_number(text)", "custmd_highest_number(text)"):
            op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM custmd_general_maintainer")
    op.drop_table("request_attachments")
    op.drop_table("request_steps")
    op.drop_table("requests")
    if bind.dialect.name == "postgresql":
        for function in (
            "custmd_next_request_number",
            "custmd_request_signed",
            "custmd_request_step_signed",
            "custmd_request_attachment_signed",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for role, permissions in NEW_PERMISSIONS.items():
        for permission in permissions:
            bind.execute(
                sa.text("DELETE FROM app_role_permission WHERE role = :r AND permission = :p"),
                {"r": role, "p": permission},
            )
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE cdhdr DROP COLUMN request_number")
        return
    op.drop_column("cdhdr", "request_number")
