"""Local login: argon2id password hashes, lockout after repeated failures, every attempt recorded.

Rules:

- A password is hashed with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)
  and stored as its PHC string (``$argon2id$v=19$m=...``); the password itself is never
  stored, logged or put into an error.
- MAX_FAILURES failed logins in a row lock the user for LOCKOUT; the count returns to 0 only
  with a successful login or a password reset, so after the lock runs out each further
  failure locks again.
- Every attempt is recorded in login_attempt (who was typed, when by the database's clock,
  the host, success, the reason), never with the password.
- An unknown user, a user without a local password (a shared-mode user who signs in to
  PostgreSQL) and a wrong password all get the same answer, 用户名或密码错误, after the same
  work (a hash is verified either way), so that the answer does not tell which users exist.
  A disabled user learns so only with the right password.

Single-user mode: a local database without any user in app_user is a clerk's private file;
there the operating-system user acts unrestricted (`session_actor`). The moment the first
user exists, every command needs a login.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Authorizations
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.context import Actor, os_user
from custmd_gui.services.ports import UowFactory

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, RFC 9106 low-memory parameters


@functools.cache
def _dummy_hash() -> str:
    """Verified against for unknown users: the same work as for a real one."""
    return _hasher().hash("custmd: no such user")


def hash_password(password: str) -> str:
    """The argon2id PHC string of a password (what app_user.password_hash holds)."""
    return _hasher().hash(password)


def password_problems(password: str) -> list[Problem]:
    """What a new password lacks (never quoting it)."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        return [
            Problem(
                "USER-PASSWORD",
                "",
                Text(
                    zh=f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符",
                    en=f"A password needs at least {MIN_PASSWORD_LENGTH} characters",
                ),
            )
        ]
    return []


class LoginFailed(DomainError):
    """The login was refused; `reason` is what login_attempt records."""

    def __init__(self, reason: str, message: Text) -> None:
        self.reason = reason
        super().__init__([Problem("USER-USERNAME", "", message)])


WRONG = Text(zh="用户名或密码错误", en="Wrong user name or password")
DISABLED = Text(zh="用户已停用", en="The user is disabled")


def _locked(until: datetime) -> Text:
    local = until.astimezone()
    return Text(
        zh=f"用户已被锁定，请于 {local:%H:%M} 后再试",
        en=f"The user is locked; try again after {local:%H:%M}",
    )


def _verify(stored: str | None, password: str) -> tuple[bool, bool]:
    """(password right, hash needs renewing); a missing or broken hash is never right."""
    hasher = _hasher()
    try:
        hasher.verify(stored or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    if stored is None:
        return False, False
    return True, hasher.check_needs_rehash(stored)


def authorizations_of(uow: UnitOfWork, username: str) -> Authorizations:
    """The rights a user holds: the union of the permissions of the user's roles, limited to
    the stored scopes (no row: nothing of that scope; "*": all)."""
    roles = uow.users.roles()
    scopes = uow.users.scopes(username)
    return Authorizations.of_roles(
        username,
        [roles[r] for r in scopes.roles if r in roles],
        auth_groups=scopes.auth_groups,
        company_codes=scopes.company_codes,
        sales_areas=scopes.sales_areas,
    )


def login(uow_factory: UowFactory, username: str, password: str, host: str) -> Authorizations:
    """Check a local user's password; the user's rights, or LoginFailed with the reason."""
    username = username.strip().lower()
    with uow_factory(write=True) as uow:
        now = uow.now()
        user = uow.users.get(username, for_update=True) if username else None
        refusal: LoginFailed | None = None
        if user is not None and user.locked_until is not None and user.locked_until > now:
            refusal = LoginFailed("locked", _locked(user.locked_until))
        else:
            right, rehash = _verify(user.password_hash if user else None, password)
            if user is None:
                refusal = LoginFailed("unknown_user", WRONG)
            elif not right:
                failures = user.failed_logins + 1
                until = now + LOCKOUT if failures >= MAX_FAILURES else None
                uow.users.set_failures(username, failures, until)
                refusal = LoginFailed("wrong_password", WRONG)
            elif user.disabled:
                refusal = LoginFailed("disabled", DISABLED)
            else:
                uow.users.set_failures(username, 0, None)
                if rehash:
                    uow.users.set_password_hash(username, hash_password(password), now)
        uow.users.record_attempt(
            username,
            now,
            success=refusal is None,
            host=host,
            reason=refusal.reason if refusal else "ok",
        )
        rights = authorizations_of(uow, username) if refusal is None else None
        uow.commit()
    if refusal is not None:
        log.info("login of %r from %s refused: %s", username, host, refusal.reason)
        raise refusal
    assert rights is not None
    log.info("user %s logged in from %s", username, host)
    return rights


def single_user_mode(uow_factory: UowFactory) -> bool:
    """True while the database has no users (see the module)."""
    with uow_factory() as uow:
        return uow.users.count() == 0


def session_actor(
    uow_factory: UowFactory,
    username: str | None,
    password: Callable[[], str],
    host: str,
    origin: str = "local",
) -> Actor:
    """The Actor of a session: in single-user mode the operating-system user (or `username`)
    unrestricted, without asking for a password; otherwise `username` logged in with the
    password `password()` returns (asked only then). LoginFailed when refused, or when no
    user name is given although users exist."""
    if single_user_mode(uow_factory):
        return Actor(username or os_user(), origin)
    if not username:
        raise LoginFailed(
            "no_user",
            Text(
                zh="此数据库需要登录：请用 --user 或 CUSTMD_USER 指定用户",
                en="This database needs a login: name the user with --user or CUSTMD_USER",
            ),
        )
    return Actor.logged_in(login(uow_factory, username, password(), host), origin)


def server_actor(uow_factory: UowFactory, url: str) -> Actor | None:
    """Shared mode: the PostgreSQL server has authenticated the URL's role, so that role acts,
    with the rights its custmd user holds (no second password). None when the URL is no
    server URL or its role is no custmd user (the database owner running maintenance): then a
    login by name is needed, unless the database has no users yet."""
    signed = Actor.signed_in(url)
    if signed.origin != "server":
        return None
    with uow_factory() as uow:
        if uow.users.count() == 0:
            return signed  # single-user mode: whoever signs in acts unrestricted
        record = uow.users.get(signed.user)
        if record is None:
            return None
        if record.disabled:
            raise LoginFailed("disabled", Text(zh="用户已停用", en="The user is disabled"))
        return Actor.logged_in(authorizations_of(uow, signed.user), "server")
