"""Per-user locations and defaults (platformdirs), kept free of heavy imports for start-up."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP = "custmd"


def data_dir() -> Path:
    return Path(user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    return Path(user_log_dir(APP, appauthor=False))


def default_db_url(demo: bool = False) -> str:
    """CUSTMD_DB wins; otherwise a SQLite file in the per-user data folder (a separate one
    for the demo, so demo customers never mix with real ones)."""
    env = os.environ.get("CUSTMD_DB")
    if env and not demo:
        return env
    name = "demo.sqlite" if demo else "custmd.sqlite"
    return f"sqlite:///{data_dir() / name}"


def default_lang() -> str:
    lang = os.environ.get("CUSTMD_LANG", "zh")
    return "en" if lang.lower().startswith("en") else "zh"
