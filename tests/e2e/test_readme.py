"""README.md stays true: CI runs exactly the test command the README gives."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _ci_test_command() -> str:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = lines.index("# README test command")
    return lines[marker + 1].strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = _ci_test_command()
    assert "pytest" in command
    assert command in (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_documents_the_shared_mode() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--db postgresql://" in readme
