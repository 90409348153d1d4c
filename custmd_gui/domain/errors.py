"""Problems found in a customer and the errors that carry them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from custmd_gui.catalog import Text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field in one segment, said in both UI languages."""

    field_key: str  # KNA1-PSTLZ
    segment: str  # "" for general data, "F011" for a company code, "F011/10/01" for a sales area
    message: Text
    severity: Severity = Severity.ERROR

    def line(self, lang: str = "zh") -> str:
        where = f" [{self.segment}]" if self.segment else ""
        return f"{self.field_key}{where}: {self.message.get(lang)}"


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The errors among `problems`: what refuses a save (warnings are for the screens)."""
    return [p for p in problems if p.severity is Severity.ERROR]


class DomainError(Exception):
    """A rule refused the request; carries every problem at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.line("en") for p in problems))

    @classmethod
    def single(cls, field_key: str, zh: str, en: str, segment: str = "") -> DomainError:
        return cls([Problem(field_key, segment, Text(zh=zh, en=en))])


class NotFound(DomainError):
    """The requested customer (or segment) does not exist."""


# The "field" of a problem that is the database's, not a field's (`DB: ...` in the CLI).
DATABASE_KEY = "DB"


class DatabaseBusy(DomainError):
    """The database could not do it now — another session holds what is needed, or the server
    ended a wait or a transaction that took too long — so nothing was written, and the same
    request may simply be made again. Made from the driver's error by
    persistence.db_errors; the windows show it as a message and keep what was typed."""


class TransactionEnded(DatabaseBusy):
    """This client's own transaction was ended by the server (idle in transaction too long:
    the client was stopped or hung in the middle of it); rolled back, nothing written."""


class ServerRefused(DomainError):
    """The shared PostgreSQL server refused a write (its grants, row-level security or
    checks; see migrations 0008-0012); rolled back, nothing written."""
