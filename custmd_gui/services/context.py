"""Who is acting and from where: what every service call carries besides its values."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from custmd_gui.domain.authorization import Authorizations

# The default of `Actor.rights`: replaced by `Authorizations.unrestricted(actor.user)`.
_UNRESTRICTED = Authorizations.unrestricted("")


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user, where from, and what the user may do.

    `rights` defaults to unrestricted. That default is for code acting as the system
    (migrations, tests of other rules, a local database in single-user mode): the UI and
    the CLI never rely on it for a real user, they build the Actor from a login
    (`services.auth.login` / `actor_for`), which gives the rights the user holds. Services
    check `actor.rights` and nothing else; they never look a user up by name.
    """

    user: str
    # "local" for the desktop on its own file, a device id for an offline laptop.
    origin: str = "local"
    rights: Authorizations = field(default=_UNRESTRICTED, compare=False)

    def __post_init__(self) -> None:
        if self.rights is _UNRESTRICTED:
            object.__setattr__(self, "rights", Authorizations.unrestricted(self.user))
        elif self.rights.user != self.user:
            raise ValueError(
                f"the rights of user {self.rights.user!r} do not belong to actor {self.user!r}"
            )

    @classmethod
    def current(cls, origin: str = "local") -> Actor:
        """The operating-system user, unrestricted: single-user mode only."""
        return cls(user=os_user(), origin=origin)

    @classmethod
    def logged_in(cls, rights: Authorizations, origin: str = "local") -> Actor:
        return cls(user=rights.user, origin=origin, rights=rights)

    @classmethod
    def signed_in(cls, url: str) -> Actor:
        """Who acts on the database at `url`, unrestricted (rights come from
        services.auth.server_actor): on a shared PostgreSQL server the role the URL signs in
        as (what the server knows as current_user and writes into change documents), working
        on the server; on a local file the operating system's user."""
        from urllib.parse import unquote, urlsplit

        if url.startswith(("postgresql", "postgres:")):
            user = urlsplit(url).username
            if user:
                return cls(user=unquote(user), origin="server")
        return cls.current()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"
