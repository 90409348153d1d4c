"""Seeding the demo: the example customers of resources/demo/*.json, each created once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.sap_document import from_document
from custmd_gui.resources import resource_dir
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.listing import list_page
from custmd_gui.services.ports import UowFactory


@dataclass(frozen=True)
class DemoFailure:
    """A demo document that could not be created: the rules' problems, or the reason the
    file could not be read (`error`)."""

    file: str
    problems: tuple[Problem, ...] = ()
    error: str = ""

    def text(self, lang: str) -> str:
        """What went wrong, in `lang` (the field named for each problem)."""
        if self.problems:
            return "; ".join(p.line(lang) for p in self.problems)
        return self.error


def demo_folder() -> Path:
    return resource_dir() / "demo"


def create_demo_customers(
    uow_factory: UowFactory, actor: Actor | None = None, folder: Path | None = None
) -> list[DemoFailure]:
    """Create the customers of the demo documents that are not there yet, as `actor` (the
    operating-system user when None); returns what could not be created.

    A document with a number is created once; one without (internal numbering) only into a
    database without customers, so that restarting the demo does not add copies."""
    with uow_factory() as uow:
        empty = not list_page(uow, "", 1)
    actor = actor or Actor.current()
    failures: list[DemoFailure] = []
    for file in sorted((folder or demo_folder()).glob("*.json")):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
            general = document.get("KNA1") if isinstance(document, dict) else None
            number = str(general.get("KUNNR") or "") if isinstance(general, dict) else ""
            if number:
                with uow_factory() as uow:
                    if uow.customers.exists(number):
                        continue
            elif not empty:
                continue
            create_customer(uow_factory, from_document(document), actor)
        except DomainError as exc:
            failures.append(DemoFailure(file.name, problems=tuple(exc.problems)))
        except (OSError, ValueError) as exc:
            failures.append(DemoFailure(file.name, error=str(exc)))
    return failures
