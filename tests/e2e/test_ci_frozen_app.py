"""CI builds the frozen bundle and runs its smoke test, after the suite, and fails with them."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ci_builds_the_bundle_and_runs_its_smoke_test() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script  # a failed build or smoke test fails the run
    lines = [line.strip() for line in script.splitlines()]
    suite = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    build = lines.index(".venv/bin/python packaging/build.py")
    smoke = [i for i, line in enumerate(lines) if '"$bundle" --smoke-test' in line]
    assert suite < build < smoke[0], "the bundle is built after the suite, then checked"
    assert len(smoke) == 2  # as is, and on a system without fonts
    assert 'bundle="$PWD/dist/custmd/custmd"' in lines
