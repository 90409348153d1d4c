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
