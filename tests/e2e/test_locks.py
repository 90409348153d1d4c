"""The per-platform locks (requirements/*.txt) hold every dependency of pyproject.toml, each
with hashes, at the version constraints.txt pins: a dependency changed in one place and not
in the others fails here, not on a newcomer's machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOCKS = ("linux", "windows")


def _name(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def _lock(platform: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a lock."""
    text = (REPO / "requirements" / f"{platform}.txt").read_text(encoding="utf-8")
    pins: dict[str, tuple[str, list[str]]] = {}
    for entry in re.split(r"\n(?=\S)", text):
        head = entry.split("\\", 1)[0].strip()
        if not head or head.startswith("#"):
            continue
        name, version = head.split("==")
        pins[_name(name)] = (version.strip(), re.findall(r"--hash=sha256:([0-9a-f]{64})", entry))
    return pins


def _constraints() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return {
        _name(line): line.split("==")[1].strip()
        for line in lines
        if line.strip() and not line.startswith("#")
    }


@pytest.mark.parametrize("platform", LOCKS)
def test_the_lock_holds_every_dependency_with_hashes(platform: str) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():  # dev, and any other extra
        wanted += extra
    lock = _lock(platform)
    missing = {_name(r) for r in wanted} - set(lock)
    assert not missing, f"requirements/{platform}.txt lacks {sorted(missing)}"
    # The build backend and what its editable build needs (pip --no-build-isolation).
    for name in ("hatchling", "editables", "pyside6-essentials"):
        assert name in lock
    unhashed = [name for name, (_version, hashes) in lock.items() if not hashes]
    assert not unhashed


@pytest.mark.parametrize("platform", LOCKS)
def test_the_lock_pins_what_constraints_pin(platform: str) -> None:
    lock = _lock(platform)
    differ = {
        name: (version, lock[name][0])
        for name, version in _constraints().items()
        if name in lock and lock[name][0] != version
    }
    assert not differ, f"constraints.txt vs requirements/{platform}.txt: {differ}"
