"""The exports as use cases: the full export in the template's format, the customer list, and
DEBMAS IDocs; each of only the customers the acting user sees (services.search with the
actor's rights), matching the list's search and filters, streamed a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from custmd_gui.services.context import Actor
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.search import CustomerQuery
from custmd_gui.services.transfer import export_source
from custmd_gui.services.transfer.debmas import Partners, write_debmas
from custmd_gui.services.transfer.debmas_definition import CHANGE, ORIGINAL
from custmd_gui.services.transfer.export_full import Written, export_template_form
from custmd_gui.services.transfer.export_list import Translate, texts, write_list
from custmd_gui.services.transfer.template import FileForm

Progress = Callable[[int], None]

__all__ = ["FileForm", "Partners", "Written", "export_customers", "export_debmas", "export_list"]


def _since(changed_since: date | None) -> datetime | None:
    return None if changed_since is None else export_source.day_start(changed_since)


def export_customers(
    uow_factory: UowFactory,
    actor: Actor,
    target: Path,
    *,
    form: FileForm = FileForm.XLSX,
    lang: str = "zh",
    query: CustomerQuery | None = None,
    changed_since: date | None = None,
    progress: Progress | None = None,
) -> Written:
    """Every customer `actor` sees (and `query` finds) in the template's format."""
    customers = export_source.customers(
        uow_factory, actor, query, changed_since=_since(changed_since)
    )
    cust = read_customizing(uow_factory)
    return export_template_form(customers, cust, target, form=form, lang=lang, progress=progress)


def export_list(
    uow_factory: UowFactory,
    actor: Actor,
    target: Path,
    *,
    query: CustomerQuery | None = None,
    tr: Translate | None = None,
    lang: str = "zh",
    progress: Progress | None = None,
) -> int:
    """The customer list of `query` as XLSX or CSV (by the file name); returns the rows."""
    pages = export_source.list_pages(uow_factory, actor, query or CustomerQuery())
    return write_list(pages, target, tr or texts(lang), progress=progress)


def export_debmas(
    uow_factory: UowFactory,
    actor: Actor,
    target: Path,
    *,
    query: CustomerQuery | None = None,
    changed_since: date | None = None,
    partners: Partners | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """DEBMAS07 IDocs: of every customer (MSGFN 009), or with `changed_since` of those with
    a change document from that day on (MSGFN 004); returns how many IDocs."""
    customers = export_source.customers(
        uow_factory, actor, query, changed_since=_since(changed_since)
    )
    return write_debmas(
        customers,
        target,
        msgfn=ORIGINAL if changed_since is None else CHANGE,
        now=now or datetime.now(UTC),
        partners=partners,
        progress=progress,
    )
