"""The layering at run time. The import contracts in pyproject.toml (`lint-imports`, run by CI)
check every import statement, those inside functions too; what they cannot see is an import
made by a third-party package or through importlib. So here every module of the layers below
the windows is imported in a fresh interpreter, and Qt (the domain: also the database) must
not have been loaded."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import custmd_gui.catalog
import custmd_gui.domain
import custmd_gui.persistence
import custmd_gui.services
import custmd_gui.wizard

QT = {"PySide6", "shiboken6"}
DATABASE = {"sqlalchemy", "alembic", "psycopg"}


def _imported_by(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(out.stdout.split())


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    name = package.__name__  # type: ignore[attr-defined]
    found = [name, *(m.name for m in pkgutil.walk_packages(path, name + "."))]
    # Alembic's scripts run only inside a migration (env.py reads alembic's context).
    return [m for m in found if ".migrations" not in m]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (custmd_gui.catalog, QT | DATABASE),
        (custmd_gui.domain, QT | DATABASE),
        (custmd_gui.persistence, QT),
        (custmd_gui.services, QT),
        (custmd_gui.wizard, QT),
    ],
    ids=["catalog", "domain", "persistence", "services", "wizard"],
)
def test_no_qt_below_the_windows(package: object, forbidden: set[str]) -> None:
    assert not _imported_by(_modules(package)) & forbidden
