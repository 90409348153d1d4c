"""Checkout of an offline replica (issue 19): a SQLite file holding the customers the user may
see on the shared server, its customizing, his rights and blocks of internal numbers.

The server is read through the user's own connection (his LOGIN role), so the server's
row-level security decides which customers come along, and in one REPEATABLE READ
transaction whose snapshot becomes the replica's sync position (services.offline_sync)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import URL, make_url

from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import migrate, replica_copy, replica_load
from custmd_gui.persistence.engine import make_engine, normalize_url
from custmd_gui.persistence.replica import (
    ReplicaNumbers,
    ReplicaUnitOfWorkFactory,
    replica_device,
)
from custmd_gui.persistence.tables import (
    AccountGroupRow,
    NumberBlock,
    NumberRangeRow,
    ReplicaMeta,
    ReplicaNumberBlock,
)
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import authorizations_of, server_actor
from custmd_gui.services.context import Actor

DEFAULT_BLOCK_SIZE = 100

# A checkout's steps for a window's bar: (step, done, total); the callback may raise (a
# cancel), and the half-made replica file is removed.
CheckoutProgress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    path: Path
    device: str
    user: str
    customers: int
    blocks: dict[str, tuple[int, int]]  # number range -> (first, last) reserved now


def _refused(zh: str, en: str) -> DomainError:
    return DomainError.single("OFFLINE-SERVER", zh, en)


def public_url(url: str) -> str:
    """The server URL without its password: what the replica file may keep."""
    parsed = make_url(normalize_url(url))
    # Built anew: URL.set(password=None) keeps the password ("None" means "unchanged"), and
    # the replica file would hold it in plain text.
    plain = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False)


def server_engine(url: str) -> Engine:
    if not url.startswith(("postgresql", "postgres:")):
        raise _refused(
            "离线副本只能从共享的 PostgreSQL 服务器签出（--db postgresql://用户@主机/数据库）",
            "A replica is checked out from the shared PostgreSQL server only",
        )
    return make_engine(url)


def server_user(server: UnitOfWorkFactory, url: str, device: str) -> Actor:
    """The URL's role as the custmd user it is, acting from `device`."""
    actor = server_actor(server, url)
    if actor is None or actor.origin != "server":
        raise _refused(
            "服务器登录的角色不是 custmd 用户，不能离线工作",
            "The role signed in to the server is no custmd user; it cannot work offline",
        )
    return replace(actor, origin=device)


def open_replica(path: Path) -> ReplicaUnitOfWorkFactory:
    """The unit-of-work factory of the replica file at `path` (DomainError if it is none)."""
    if not path.is_file():
        raise _refused(f"离线副本 {path} 不存在", f"The replica {path} does not exist")
    engine = make_engine(f"sqlite:///{path}")
    device = replica_device(engine)
    if device is None:
        engine.dispose()
        raise _refused(f"{path} 不是离线副本", f"{path} is no offline replica")
    return ReplicaUnitOfWorkFactory(engine, device)


def replica_actor(replica: ReplicaUnitOfWorkFactory) -> Actor:
    """Who works on the replica: its user with the rights copied at the last sync, acting
    from the replica's device (the origin of its change documents, here and on the server)."""
    with replica() as uow:
        user = uow.meta.get("user")
        return Actor.logged_in(authorizations_of(uow, user), origin=replica.device)


def checkout(
    server_url: str,
    to: Path,
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
    device: str = "",
    progress: CheckoutProgress | None = None,
) -> CheckoutResult:
    """Make the replica file `to` (it must not exist yet) from the server at `server_url`.
    `progress` hears of the steps "customers" (per chunk), "customizing" and "numbers"."""

    def step(name: str, done: int = 0, total: int = 1) -> None:
        if progress is not None:
            progress(name, done, total)

    if to.exists():
        raise _refused(f"文件 {to} 已存在，请换一个文件名", f"The file {to} exists already")
    if not 1 <= block_size <= 10000:
        raise DomainError.single(
            "OFFLINE-BLOCK", "编号段大小必须在 1 到 10000 之间", "The block size must be 1 to 10000"
        )
    device = device or f"dev-{uuid.uuid4().hex[:12]}"
    engine = server_engine(server_url)
    server = UnitOfWorkFactory(engine)
    # The replica is made under another name and renamed when complete: a checkout killed
    # half-way (or a machine going down) leaves no file that looks like a replica, and the
    # file may be filled without a journal (replica_load.fast_fill).
    part = partial_path(to)
    part.unlink(missing_ok=True)  # of a checkout killed earlier
    local = make_engine(f"sqlite:///{part}")
    try:
        actor = server_user(server, server_url, device)
        migrate.upgrade(local)
        local.dispose()  # the journal mode changes on a connection that is alone
        with local.connect() as dst, replica_load.fast_fill(dst), dst.begin():
            with server() as uow:
                src = uow.session.connection(
                    execution_options={"isolation_level": "REPEATABLE READ"}
                )
                position = replica_copy.snapshot(src)
                count, indexes = replica_load.load_customers(
                    src, dst, lambda done, total: step("customers", done, total)
                )
                step("customizing")
                replica_copy.copy_customizing(src, dst)
                replica_copy.copy_user(src, dst, actor.user)
                meta = {
                    "server": public_url(server_url),
                    "device": device,
                    "user": actor.user,
                    "position": position,
                    "customizing_version": str(replica_copy.customizing_version(src)),
                    "block_size": str(block_size),
                    "checked_out_at": uow.now().isoformat(),
                    "last_sync": uow.now().isoformat(),
                }
            dst.execute(insert(ReplicaMeta), [{"key": k, "value": v} for k, v in meta.items()])
            replica_load.build_indexes(dst, indexes)
        step("numbers")
        replica = ReplicaUnitOfWorkFactory(local, device)
        blocks = top_up_blocks(server, replica, actor, block_size)
        local.dispose()
        if to.exists():
            raise _refused(f"文件 {to} 已存在，请换一个文件名", f"The file {to} exists already")
        part.rename(to)
    except BaseException:
        local.dispose()
        part.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    step("numbers", 1, 1)
    return CheckoutResult(to, device, actor.user, count, blocks)


def partial_path(to: Path) -> Path:
    """Where the replica `to` is made until it is complete."""
    return to.with_name(f"{to.name}.part")


def top_up_blocks(
    server: UnitOfWorkFactory, replica: ReplicaUnitOfWorkFactory, actor: Actor, size: int
) -> dict[str, tuple[int, int]]:
    """A new block of `size` numbers for every internal range of an account group the user
    may create in whose blocks fewer than half a block is left. The server records the block
    (nr_block, custmd_reserve_numbers) before the replica does: a cut in between wastes the
    block's numbers but never hands one out twice."""
    if not actor.rights.allows(Permission.CREATE):
        return {}
    adopt_blocks(server, replica)
    with replica() as uow:
        numbers = ReplicaNumbers(uow.session)
        # The internal ranges of the account groups, read as such: loading the whole
        # customizing for them took a quarter of a second of every sync.
        ranges = sorted(
            set(
                uow.session.scalars(
                    select(AccountGroupRow.nrrangenr)
                    .join(NumberRangeRow, NumberRangeRow.nrrangenr == AccountGroupRow.nrrangenr)
                    .where(NumberRangeRow.kind == "internal")
                )
            )
        )
        wanted = [r for r in ranges if numbers.remaining(r) * 2 < size]
    reserved: dict[str, tuple[int, int]] = {}
    for range_id in wanted:
        with server(write=True) as uow:
            try:
                block = uow.numbers.reserve_block(
                    range_id, replica.device, size, uow.now(), actor.user
                )
            except LookupError:
                continue  # the range has fewer numbers left: offline creation says so
            first, last = int(block.first_number), int(block.last_number)
            uow.commit()
        with replica(write=True) as uow:
            uow.session.add(
                ReplicaNumberBlock(
                    nrrangenr=range_id, first_number=first, last_number=last, level=first - 1
                )
            )
            uow.commit()
        reserved[range_id] = (first, last)
    return reserved


def adopt_blocks(server: UnitOfWorkFactory, replica: ReplicaUnitOfWorkFactory) -> int:
    """Blocks the server issued to this device that the replica does not hold (the answer of
    a reservation was lost): recorded now, unused. How many."""
    with server() as uow:
        issued = [
            (b.nrrangenr, int(b.first_number), int(b.last_number))
            for b in uow.session.scalars(
                select(NumberBlock).where(NumberBlock.device == replica.device)
            )
        ]
    if not issued:
        return 0
    with replica(write=True) as uow:
        held = set(uow.session.scalars(select(ReplicaNumberBlock.first_number)))
        missing = [b for b in issued if b[1] not in held]
        for range_id, first, last in missing:
            uow.session.add(
                ReplicaNumberBlock(
                    nrrangenr=range_id, first_number=first, last_number=last, level=first - 1
                )
            )
        uow.commit()
    return len(missing)


@dataclass(frozen=True, slots=True)
class ReplicaStatus:
    """What a window shows of a replica: 离线, its server, the last sync, what waits."""

    device: str
    user: str
    server: str
    last_sync: str  # ISO time of the server's clock
    waiting: int  # operations in the outbox
    conflicts: int
    numbers_left: dict[str, int]  # number range -> internal numbers left in the blocks


def replica_status(replica: ReplicaUnitOfWorkFactory) -> ReplicaStatus:
    from sqlalchemy import func

    from custmd_gui.persistence.tables import OfflineConflict, OutboxRow

    with replica() as uow:
        meta = uow.meta.all()
        numbers = ReplicaNumbers(uow.session)
        ranges = sorted(set(uow.session.scalars(select(ReplicaNumberBlock.nrrangenr))))
        return ReplicaStatus(
            device=replica.device,
            user=meta.get("user", ""),
            server=meta.get("server", ""),
            last_sync=meta.get("last_sync", ""),
            waiting=int(uow.session.scalar(select(func.count()).select_from(OutboxRow)) or 0),
            conflicts=int(
                uow.session.scalar(select(func.count()).select_from(OfflineConflict)) or 0
            ),
            numbers_left={r: numbers.remaining(r) for r in ranges},
        )


def replica_session(engine: Engine) -> tuple[ReplicaUnitOfWorkFactory, Actor] | None:
    """The replica's unit-of-work factory and its user, if the database at `engine` is an
    offline replica (a window opening a file uses it instead of the plain factory)."""
    from custmd_gui.persistence.engine import is_sqlite

    device = replica_device(engine) if is_sqlite(engine) else None
    if device is None:
        return None
    factory = ReplicaUnitOfWorkFactory(engine, device)
    return factory, replica_actor(factory)


def offline_limits() -> dict[str, DomainError]:
    """What a replica refuses, as the refusals it gives, for a window to disable the
    actions beforehand with the same reason: "users" (users, roles, departments),
    "delete" (physical deletion), "customizing" (the server's, pulled at every sync),
    "requests" (maintenance requests, reviewed on the server)."""
    from custmd_gui.persistence.replica import no_physical_deletion, no_requests, offline_refused

    return {
        "users": offline_refused("维护用户和角色", "Maintaining users and roles"),
        "delete": no_physical_deletion(),
        "customizing": offline_refused("维护定制", "Maintaining the customizing"),
        "requests": no_requests(),
    }


def connection_refusal(exc: BaseException) -> DomainError | None:
    """The refusal to show for `exc` if it is a connection to the server that failed or was
    cut (a laptop's usual state): every step is restartable, so the message says to try
    again. None for anything else (a bug stays a crash)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return DomainError.single(
        "OFFLINE-SERVER",
        f"无法连接服务器或连接中断：{reason}。已完成的步骤都已保存，联网后请再试一次",
        f"The server cannot be reached or the connection broke: {reason}. What was done "
        "is kept; try again when online",
    )
