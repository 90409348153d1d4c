"""each request's step times the KPIs read, kept on the request by triggers of its steps

Revision ID: 0021
Revises: 0020

The KPIs (services.kpi) aggregated every step of every request of the period (some 558,000
steps at 100,000 requests: most of a second). They need, per request, only its first
`submit`, first `review`, last `approve`, last `activate` and last `edit` (as seconds since
the epoch, UTC, the same float expression the KPI reader used: persistence.kpi.epoch) and
its number of `return` steps. These columns of `requests` hold them:

    kpi_submitted, kpi_reviewed, kpi_approved, kpi_activated, kpi_edited, kpi_returns

kept by triggers of request_steps on both databases (no code of the app writes them, so a
step written by any path counts, and the figures are those the steps give):
- SQLite: a row trigger after each step's insert folds it in (min/max and a count do not
  depend on the order of the steps); after a step's update or delete (only the owner may)
  the request's columns are read again from its steps;
- PostgreSQL: statement triggers with transition tables read the columns of the requests
  whose steps changed again from all their steps (one statement for a COPY of many steps).
  The function is SECURITY DEFINER: the columns are the steps', no role writes them itself;
  the roles' INSERT and UPDATE on `requests` become column grants without them (0017 had
  granted the whole table), so a client signed in with its own LOGIN role cannot write a
  summary the steps do not give.
Existing requests are filled in from their steps. Indexed by the activation and approval
times (the KPIs' period); the first submission as well.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITERS = (
    "custmd_assistant",
    "custmd_general_maintainer",
    "custmd_cc_maintainer",
    "custmd_finance",
    "custmd_administrator",
)
# (column, action, aggregate): the step times kept per request.
TIMES = (
    ("kpi_submitted", "submit", "min"),
    ("kpi_reviewed", "review", "min"),
    ("kpi_approved", "approve", "max"),
    ("kpi_activated", "activate", "max"),
    ("kpi_edited", "edit", "max"),
)
INDEXED = ("kpi_submitted", "kpi_approved", "kpi_activated")
# requests' columns as 0017 made them: what the roles may insert and update.
CLIENT_COLUMNS = (
    "number",
    "type",
    "status",
    "parent",
    "kunnr",
    "bukrs",
    "sales_area",
    "begru",
    "requester",
    "org_unit",
    "reason",
    "document",
    "base_version",
    "created_at",
    "changed_at",
    "last_editor",
    "version",
)


def _epoch(column: str, dialect: str) -> str:
    # persistence.kpi.epoch, written out: the same floats as the KPIs computed from the steps.
    if dialect == "sqlite":
        return f"((julianday({column}) - 2440587.5) * 86400.0)"
    return f"extract(epoch FROM {column})::float8"


def _aggregates(dialect: str) -> str:
    """The summary columns of each request_number of request_steps (alias st)."""
    parts = [
        f"{agg}(CASE WHEN st.action = '{action}' THEN {_epoch('st.at', dialect)} END) AS {col}"
        for col, action, agg in TIMES
    ]
    parts.append("sum(CASE WHEN st.action = 'return' THEN 1 ELSE 0 END) AS kpi_returns")
    return ", ".join(parts)


def _set_from(source: str) -> str:
    return ", ".join(f"{c} = {source}.{c}" for c, _, _ in (*TIMES, ("kpi_returns", "", "")))


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    with op.batch_alter_table("requests") as batch:
        for column, _, _ in TIMES:
            batch.add_column(sa.Column(column, sa.Double(), nullable=True))
        batch.add_column(sa.Column("kpi_returns", sa.Integer(), server_default="0", nullable=False))
    for column in INDEXED:
        op.create_index(op.f(f"ix_requests_{column}"), "requests", [column])
    # Existing requests: one aggregate over all steps.
    op.execute(
        f"UPDATE requests SET {_set_from('agg')} FROM (SELECT st.request_number, "
        f"{_aggregates(dialect)} FROM request_steps st GROUP BY st.request_number) AS agg "
        "WHERE requests.number = agg.request_number"
    )
    if dialect == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _sqlite() -> None:
    new_at = _epoch("NEW.at", "sqlite")
    folds = [
        f"{col} = CASE WHEN NEW.action = '{action}' "
        f"THEN {agg}(coalesce({col}, {new_at}), {new_at}) ELSE {col} END"
        for col, action, agg in TIMES
    ]
    folds.append("kpi_returns = kpi_returns + (NEW.action = 'return')")
    actions = ", ".join(f"'{a}'" for _, a, _ in TIMES)
    op.execute(
        "CREATE TRIGGER custmd_request_kpi_insert AFTER INSERT ON request_steps "
        f"WHEN NEW.action IN ({actions}, 'return') BEGIN "
        f"UPDATE requests SET {', '.join(folds)} WHERE number = NEW.request_number; END"
    )
    recompute = (
        "UPDATE requests SET {sets} FROM (SELECT st.request_number, {aggs} FROM request_steps st "
        "WHERE st.request_number = {row}.request_number GROUP BY st.request_number) AS agg "
        "WHERE requests.number = agg.request_number; "
        # a request left without steps
        "UPDATE requests SET {nulls}, kpi_returns = 0 WHERE number = {row}.request_number "
        "AND NOT EXISTS (SELECT 1 FROM request_steps s WHERE s.request_number = requests.number);"
    )
    nulls = ", ".join(f"{c} = NULL" for c, _, _ in TIMES)
    for event, rows in (("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        body = " ".join(
            recompute.format(sets=_set_from("agg"), aggs=_aggregates("sqlite"), row=r, nulls=nulls)
            for r in rows
        )
        op.execute(
            f"CREATE TRIGGER custmd_request_kpi_{event.lower()} AFTER {event} ON request_steps "
            f"BEGIN {body} END"
        )


def _postgresql() -> None:
    writers = ", ".join(WRITERS)
    columns = ", ".join(CLIENT_COLUMNS)
    op.execute(f"REVOKE INSERT, UPDATE ON requests FROM {writers}")
    op.execute(f"GRANT INSERT ({columns}), UPDATE ({columns}) ON requests TO {writers}")
    nulls = ", ".join(f"{c} = NULL" for c, _, _ in TIMES)
    op.execute(
        f"""
        CREATE FUNCTION custmd_request_kpi() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            touched text[];
        BEGIN
            IF TG_OP = 'INSERT' THEN
                SELECT array_agg(DISTINCT request_number) INTO touched FROM new_steps;
            ELSIF TG_OP = 'DELETE' THEN
                SELECT array_agg(DISTINCT request_number) INTO touched FROM old_steps;
            ELSE
                SELECT array_agg(DISTINCT request_number) INTO touched FROM (
                    SELECT request_number FROM new_steps
                    UNION SELECT request_number FROM old_steps) AS t;
            END IF;
            -- Steps of one request written at once by two transactions: the second waits
            -- here for the first to commit, and the statements below (each with a snapshot
            -- of its own) then see both steps.
            PERFORM 1 FROM requests WHERE number = ANY (touched) ORDER BY number FOR UPDATE;
            UPDATE requests SET {nulls}, kpi_returns = 0
            WHERE number = ANY (touched) AND NOT EXISTS (
                SELECT 1 FROM request_steps s WHERE s.request_number = requests.number);
            UPDATE requests SET {_set_from("agg")}
            FROM (SELECT st.request_number, {_aggregates("postgresql")}
                  FROM request_steps st WHERE st.request_number = ANY (touched)
                  GROUP BY st.request_number) AS agg
            WHERE requests.number = agg.request_number;
            RETURN NULL;
        END $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION custmd_request_kpi() FROM PUBLIC")
    for event, tables in (
        ("INSERT", "NEW TABLE AS new_steps"),
        ("UPDATE", "OLD TABLE AS old_steps NEW TABLE AS new_steps"),
        ("DELETE", "OLD TABLE AS old_steps"),
    ):
        op.execute(
            f"CREATE TRIGGER custmd_request_kpi_{event.lower()} AFTER {event} ON request_steps "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION custmd_request_kpi()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    for event in ("insert", "update", "delete"):
        op.execute(
            f"DROP TRIGGER IF EXISTS custmd_request_kpi_{event}"
            + (" ON request_steps" if bind.dialect.name == "postgresql" else "")
        )
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS custmd_request_kpi()")
        writers = ", ".join(WRITERS)
        # a table-wide REVOKE takes the column grants along
        op.execute(f"REVOKE INSERT, UPDATE ON requests FROM {writers}")
        op.execute(f"GRANT INSERT, UPDATE ON requests TO {writers}")
    for column in INDEXED:
        op.drop_index(op.f(f"ix_requests_{column}"), table_name="requests")
    if bind.dialect.name == "sqlite":
        for column in (*(c for c, _, _ in TIMES), "kpi_returns"):
            op.execute(f"ALTER TABLE requests DROP COLUMN {column}")
        return
    for column in (*(c for c, _, _ in TIMES), "kpi_returns"):
        op.drop_column("requests", column)
