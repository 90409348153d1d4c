"""Where the Windows build keeps a user's files: platformdirs' Windows rules, with the known
folders of a made-up user (the Windows API is not there on Linux)."""

from __future__ import annotations

from pathlib import PureWindowsPath
from typing import Any

import platformdirs.windows
import pytest

from custmd_gui import settings as st

FOLDERS = {
    "CSIDL_APPDATA": r"C:\Users\wang\AppData\Roaming",
    "CSIDL_LOCAL_APPDATA": r"C:\Users\wang\AppData\Local",
}


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(st.CONFIG_DIR_ENV, raising=False)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", FOLDERS.__getitem__)

    def folder(kind: str) -> Any:
        return lambda *args, **kwargs: getattr(platformdirs.windows.Windows(*args, **kwargs), kind)

    for kind in ("user_config_dir", "user_data_dir", "user_log_dir"):
        monkeypatch.setattr(st, kind, folder(kind))


def test_settings_roam_and_the_database_stays_on_the_machine(on_windows: None) -> None:
    assert PureWindowsPath(st.settings_path()) == PureWindowsPath(
        r"C:\Users\wang\AppData\Roaming\custmd\settings.json"
    )
    assert PureWindowsPath(st.default_sqlite_path()) == PureWindowsPath(
        r"C:\Users\wang\AppData\Local\custmd\custmd.sqlite"
    )
    assert PureWindowsPath(st.log_file()).parent == PureWindowsPath(
        r"C:\Users\wang\AppData\Local\custmd\Logs"
    )
