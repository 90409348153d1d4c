"""Who is acting and from where: what every service call carries besides its values."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    user: str
    # "local" for the desktop on its own file, a device id for an offline laptop.
    origin: str = "local"

    @classmethod
    def current(cls, origin: str = "local") -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry in some containers
            user = "unknown"
        return cls(user=user, origin=origin)

    @classmethod
    def signed_in(cls, url: str) -> Actor:
        """Who acts on the database at `url`: on a shared PostgreSQL server the user the URL
        signs in as (their own database role, what the server knows as current_user and
        writes into change documents), working on the server; on a local file the operating
        system's user."""
        from urllib.parse import unquote, urlsplit

        if url.startswith(("postgresql", "postgres:")):
            user = urlsplit(url).username
            if user:
                return cls(user=unquote(user), origin="server")
        return cls.current()
