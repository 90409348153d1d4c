"""The layering holds: domain imports neither Qt nor SQLAlchemy, services never import Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import custmd_gui.domain
import custmd_gui.services


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
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]  # type: ignore[attr-defined]


def test_domain_is_pure() -> None:
    top = _imported_by(_modules(custmd_gui.domain))
    assert not top & {"PySide6", "shiboken6", "sqlalchemy", "alembic", "psycopg"}


def test_services_do_not_import_qt() -> None:
    top = _imported_by(_modules(custmd_gui.services))
    assert not top & {"PySide6", "shiboken6", "qtawesome"}


def test_wizard_session_does_not_import_qt() -> None:
    import custmd_gui.wizard

    top = _imported_by(_modules(custmd_gui.wizard))
    assert not top & {"PySide6", "shiboken6", "qtawesome"}
