"""Copying between the shared server and a replica: customers as the user's own connection
shows them (row-level security decides), the customizing, the user's rights, and the
server's change feed read against a snapshot (the sync position)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    any_,
    bindparam,
    delete,
    insert,
    select,
    text,
    true,
    tuple_,
    update,
)

from custmd_gui.persistence.tables import (
    AccountGroupRow,
    AppRole,
    AppRolePermission,
    AppUser,
    Base,
    CodeListRow,
    CodeValueRow,
    CustomizingVersion,
    Department,
    FieldStatusRow,
    Kna1,
    Knvv,
    NumberRangeRow,
    Organization,
    UserAuthGroup,
    UserCompanyCode,
    UserRole,
    UserSalesArea,
)

_CHUNK = 500

# Parents first: inserts in this order, deletes in the reverse one.
CUSTOMER_TABLES = ("kna1", "knbk", "knb1", "knvv", "knvi", "knvp", "kna1_search", "kna1_find")
CUSTOMIZING: tuple[type[Base], ...] = (
    NumberRangeRow,
    CodeListRow,
    CodeValueRow,
    AccountGroupRow,
    FieldStatusRow,
)
ARCHIVE: tuple[type[Base], ...] = (Organization, Department)
USER_ROWS: tuple[type[Base], ...] = (UserRole, UserAuthGroup, UserCompanyCode, UserSalesArea)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _t(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _insert(dst: Connection, table: Table, rows: Sequence[dict[str, object]]) -> int:
    for i in range(0, len(rows), _CHUNK):
        dst.execute(insert(table), list(rows[i : i + _CHUNK]))
    return len(rows)


def _parents_first(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The archive's rows ordered so that a parent comes before its children (the foreign
    key of parent_code holds at every insert)."""
    out: list[dict[str, object]] = []
    done: set[object] = set()
    left = rows
    while left:
        ready = [r for r in left if r["parent_code"] is None or r["parent_code"] in done]
        if not ready:  # a parent the server does not show: keep the rows, drop the link
            ready = [{**r, "parent_code": None} for r in left]
        out += ready
        done |= {r["code"] for r in ready}
        left = [r for r in left if r["code"] not in done]
    return out


def snapshot(src: Connection) -> str:
    """The server's current snapshot (xmin:xmax:xip…) as text: what the reads of this
    transaction see, and the position the replica is at once it has stored them."""
    return str(src.scalar(text("SELECT pg_current_snapshot()::text")))


def customer_select(name: str, *, some: bool = False) -> Select[Any]:
    """A customer table's rows that the signed-in role sees: children only of general data
    it sees, partners and taxes only of sales areas it sees, so that the replica's foreign
    keys hold whatever the server's policies hide. The conditions are filters of each row
    against a hashed list, as PostgreSQL applies the policies (IS TRUE keeps it from turning
    them into joins), so that a whole table can come in the order of one of its indexes
    instead of being sorted. `some`: only the customers of the array parameter `numbers`,
    in the lists too (a pull's few thousand, not every customer the role sees)."""
    kna1, knvv = _t(Kna1), _t(Knvv)
    table = _table(name)
    numbers = bindparam("numbers", type_=ARRAY(String))

    def of(source: Table) -> list[ColumnElement[bool]]:
        return [source.c.kunnr == any_(numbers)] if some else []

    conditions: list[ColumnElement[bool]] = []
    if name != "kna1":
        visible = select(kna1.c.kunnr).where(*of(kna1))
        conditions.append(table.c.kunnr.in_(visible.scalar_subquery()))
    if name in ("knvi", "knvp"):
        areas = select(knvv.c.kunnr, knvv.c.vkorg, knvv.c.vtweg, knvv.c.spart).where(*of(knvv))
        conditions.append(
            tuple_(table.c.kunnr, table.c.vkorg, table.c.vtweg, table.c.spart).in_(areas)
        )
    return select(table).where(*of(table), *(c.is_(true()) for c in conditions))


def drop_customers(dst: Connection, numbers: Sequence[str] | None) -> None:
    """The replica's rows of `numbers` (None: all), children first."""
    for name in reversed(CUSTOMER_TABLES):
        table = _table(name)
        if numbers is None:
            dst.execute(delete(table))
        else:
            for part in _chunks(numbers):
                dst.execute(delete(table).where(table.c.kunnr.in_(list(part))))


def visible_numbers(conn: Connection) -> set[str]:
    """The numbers of the customers `conn` shows; read through the driver: a hundred
    thousand of them would cost SQLAlchemy's result more than the server its scan."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return {number for (number,) in raw.execute("SELECT kunnr FROM kna1").fetchall()}


def changed_since(src: Connection, position: str) -> dict[str, int]:
    """Customers whose last change the snapshot `position` did not see (committed since, or
    in progress then: an older transaction that committed later is not skipped), with the
    transaction of that change. Those are at or above the snapshot's xmin, which the feed's
    index on xid finds (migration 0023)."""
    stmt = text(
        "SELECT kunnr, xid FROM change_feed "
        "WHERE xid >= pg_snapshot_xmin(CAST(:pos AS pg_snapshot))::text::bigint "
        "AND NOT pg_visible_in_snapshot(xid::text::xid8, CAST(:pos AS pg_snapshot))"
    ).bindparams(bindparam("pos"))
    return {number: int(xid) for number, xid in src.execute(stmt, {"pos": position})}


def copy_versions(src: Connection, dst: Connection, numbers: Sequence[str]) -> None:
    """The server's version and time of change of customers whose data the replica holds
    as the server does (services.offline_mirror): all a copy of them would change."""
    kna1 = _t(Kna1)
    rows = src.execute(
        select(kna1.c.kunnr, kna1.c.version, kna1.c.changed_at).where(
            kna1.c.kunnr == any_(bindparam("numbers", type_=ARRAY(String)))
        ),
        {"numbers": list(numbers)},
    ).all()
    if rows:
        dst.execute(
            update(kna1)
            .where(kna1.c.kunnr == bindparam("number"))
            .values(version=bindparam("new_version"), changed_at=bindparam("new_changed_at")),
            [{"number": n, "new_version": v, "new_changed_at": t} for n, v, t in rows],
        )


def customizing_version(conn: Connection) -> int:
    return int(
        conn.scalar(select(CustomizingVersion.version).where(CustomizingVersion.id == 1)) or 0
    )


def copy_customizing(src: Connection, dst: Connection) -> None:
    """The server's customizing and archive replace the replica's (and its version row)."""
    for model in reversed(CUSTOMIZING):
        dst.execute(delete(_t(model)))
    for model in CUSTOMIZING:
        table = _t(model)
        _insert(dst, table, [dict(r._mapping) for r in src.execute(select(table))])
    version = customizing_version(src)
    table = _t(CustomizingVersion)
    dst.execute(delete(table))
    dst.execute(insert(table).values(id=1, version=version))


def copy_user(src: Connection, dst: Connection, username: str) -> None:
    """The user's own record (no password: the replica is opened by whoever holds the file
    and the server checks the password at every sync), roles and scopes, replacing the
    replica's; the archive of organizations and departments as far as the server shows it."""
    for model in USER_ROWS:
        dst.execute(delete(_t(model)))
    dst.execute(delete(_t(AppUser)))
    dst.execute(delete(_t(AppRolePermission)))
    dst.execute(delete(_t(AppRole)))
    for model in reversed(ARCHIVE):
        dst.execute(delete(_t(model)))
    models: tuple[type[Base], ...] = (*ARCHIVE, AppRole, AppRolePermission)
    for model in models:
        table = _t(model)
        rows = [dict(r._mapping) for r in src.execute(select(table))]
        if model is Organization or model is Department:
            rows = _parents_first(rows)
        _insert(dst, table, rows)
    user = _t(AppUser)
    rows = [
        {**dict(r._mapping), "password_hash": None, "failed_logins": 0, "locked_until": None}
        for r in src.execute(select(user).where(user.c.username == username))
    ]
    _insert(dst, user, rows)
    for model in USER_ROWS:
        table = _t(model)
        _insert(
            dst,
            table,
            [
                dict(r._mapping)
                for r in src.execute(select(table).where(table.c.username == username))
            ],
        )
