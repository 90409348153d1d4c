"""The settings file, the precedence of language and database, and the password in a keyring.

Nothing here touches the real user configuration: CUSTMD_CONFIG_DIR and the XDG folders point
into tmp_path, and the keyring is a password file under tmp_path (keyrings.alt).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring import errors as keyring_errors
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy.engine import make_url

from custmd_gui import settings as st
from custmd_gui.settings import AppSettings, SecretStoreUnavailable


@pytest.fixture
def installed() -> Iterator[None]:
    """Restores the process's keyring after a test installs another one."""
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


PG = AppSettings(database="postgresql", pg_host="db.example.cn", pg_port=5433, pg_user="王 wang@x")


# -- the file -------------------------------------------------------------------------------


def test_missing_file_gives_the_defaults(own_folders: Path) -> None:
    assert st.settings_path() == own_folders / "settings.json"
    assert st.load_settings() == AppSettings()
    assert AppSettings() == AppSettings(
        language="zh",
        database="local",
        sqlite_path="",
        pg_host="127.0.0.1",
        pg_port=5432,
        pg_database="custmd",
        pg_user="",
    )


def test_save_and_load_round_trip(own_folders: Path) -> None:
    settings = AppSettings(language="en", sqlite_path="/srv/中文/custmd.sqlite", pg_user="李")
    path = st.save_settings(settings)
    assert path == own_folders / "settings.json"
    assert st.load_settings() == settings
    assert json.loads(path.read_text(encoding="utf-8"))["pg_user"] == "李"
    # atomic write: no temporary file left behind
    assert [p.name for p in own_folders.iterdir()] == ["settings.json"]


def test_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "s.json"
    st.save_settings(AppSettings(language="en"), path)
    assert st.load_settings(path).language == "en"
    assert not st.settings_path().exists()


def test_corrupt_file_gives_defaults_and_is_left_alone(
    own_folders: Path, caplog: pytest.LogCaptureFixture
) -> None:
    own_folders.mkdir()
    path = own_folders / "settings.json"
    path.write_text('{"language": "en",', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="custmd_gui.settings"):
        assert st.load_settings() == AppSettings()
    assert "not valid JSON" in caplog.text
    assert path.read_text(encoding="utf-8") == '{"language": "en",'


@pytest.mark.parametrize("content", ["[1, 2]", "\xff\xfe"])
def test_other_unreadable_files_give_defaults(own_folders: Path, content: str) -> None:
    own_folders.mkdir()
    (own_folders / "settings.json").write_bytes(content.encode("latin-1"))
    assert st.load_settings() == AppSettings()


def test_bad_values_keep_their_defaults(
    own_folders: Path, caplog: pytest.LogCaptureFixture
) -> None:
    own_folders.mkdir()
    data = {"language": "fr", "database": "postgresql", "pg_port": "5432", "pg_user": "a", "x": 1}
    (own_folders / "settings.json").write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        loaded = st.load_settings()
    assert loaded == AppSettings(database="postgresql", pg_user="a")
    assert "language" in caplog.text and "pg_port" in caplog.text


@pytest.mark.parametrize(
    "kwargs", [{"language": "de"}, {"database": "mysql"}, {"pg_port": 0}, {"pg_port": True}]
)
def test_invalid_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AppSettings(**kwargs)  # type: ignore[arg-type]


# -- URLs and precedence --------------------------------------------------------------------


def test_urls(tmp_path: Path) -> None:
    assert st.settings_url(AppSettings()) == f"sqlite:///{tmp_path / 'data/custmd/custmd.sqlite'}"
    assert st.settings_url(AppSettings(sqlite_path="/x/y.sqlite")) == "sqlite:////x/y.sqlite"
    assert (
        st.settings_url(PG) == "postgresql+psycopg://%E7%8E%8B%20wang%40x@db.example.cn:5433/custmd"
    )
    secret = "p@ss:w/rd%?#中"
    url = make_url(st.settings_url(PG, secret))
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "王 wang@x",
        secret,
        "db.example.cn",
        5433,
        "custmd",
    )
    ipv6 = make_url(st.settings_url(AppSettings(database="postgresql", pg_host="::1")))
    assert ipv6.host == "::1"


def test_precedence_of_the_database(own_folders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = own_folders.parent / "data" / "custmd"
    assert st.default_db_url() == f"sqlite:///{data / 'custmd.sqlite'}"
    st.save_settings(PG)
    assert st.default_db_url() == st.settings_url(PG)
    assert st.default_db_url(demo=True) == f"sqlite:///{data / 'demo.sqlite'}"
    monkeypatch.setenv("CUSTMD_DB", "sqlite:///env.sqlite")
    assert st.default_db_url() == "sqlite:///env.sqlite"
    assert st.default_db_url(demo=True) == f"sqlite:///{data / 'demo.sqlite'}"
    monkeypatch.setenv("CUSTMD_DB", "")  # empty: as if unset
    assert st.default_db_url() == st.settings_url(PG)


def test_precedence_of_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert st.default_lang() == "zh"
    st.save_settings(AppSettings(language="en"))
    assert st.default_lang() == "en"
    monkeypatch.setenv("CUSTMD_LANG", "zh_CN.UTF-8")
    assert st.default_lang() == "zh"
    monkeypatch.setenv("CUSTMD_LANG", "en_US")
    st.save_settings(AppSettings(language="zh"))
    assert st.default_lang() == "en"


def test_command_line_beats_environment_and_settings(own_folders: Path, tmp_path: Path) -> None:
    """`custmd --lang/--db` > CUSTMD_LANG/CUSTMD_DB > saved settings (through the real CLI)."""
    st.save_settings(AppSettings(language="en", sqlite_path=str(tmp_path / "saved.sqlite")))
    env = {**os.environ, "CUSTMD_CONFIG_DIR": str(own_folders)}
    env.pop("CUSTMD_LANG", None)
    env.pop("CUSTMD_DB", None)

    def upgrade(*args: str, **extra: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "custmd_gui", "db", "upgrade", *args],
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=120,
        )
        assert result.returncode == 0, result.stderr

    upgrade()
    assert (tmp_path / "saved.sqlite").is_file()
    upgrade(CUSTMD_DB=f"sqlite:///{tmp_path / 'env.sqlite'}")
    assert (tmp_path / "env.sqlite").is_file()
    upgrade("--db", str(tmp_path / "cli.sqlite"), CUSTMD_DB=f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert (tmp_path / "cli.sqlite").is_file()
    assert not (tmp_path / "x.sqlite").exists()


def test_importing_settings_stays_light() -> None:
    code = (
        "import sys, custmd_gui.settings as s; s.default_db_url(); s.default_lang(); "
        "print(','.join(m for m in ('keyring', 'sqlalchemy', 'PySide6') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


# -- the keyring ----------------------------------------------------------------------------


def test_password_round_trip_in_the_keyring(file_keyring: PlaintextKeyring) -> None:
    assert st.load_password(PG) is None
    st.store_password(PG, "geheim 秘密")
    assert st.load_password(PG) == "geheim 秘密"
    assert keyring.get_password("custmd", "postgresql://王 wang@x@db.example.cn:5433/custmd") == (
        "geheim 秘密"
    )
    # another server, port, database or user is another entry
    assert st.load_password(AppSettings(**{**PG.__dict__, "pg_port": 5432})) is None
    st.delete_password(PG)
    assert st.load_password(PG) is None
    st.delete_password(PG)  # nothing to delete: no error


def test_password_is_not_in_the_settings_file(file_keyring: PlaintextKeyring) -> None:
    st.store_password(PG, "s3cret-value")
    path = st.save_settings(PG)
    assert "s3cret-value" not in path.read_text(encoding="utf-8")
    assert "custmd" in Path(file_keyring.file_path).read_text(encoding="utf-8")
    assert st.load_password(st.load_settings()) == "s3cret-value"


def test_with_keyring_password(file_keyring: PlaintextKeyring) -> None:
    url = st.settings_url(PG)
    assert st.with_keyring_password(url) == url
    st.store_password(PG, "p@ss:w/rd")
    with_pw = make_url(st.with_keyring_password(url))
    assert with_pw.password == "p@ss:w/rd" and with_pw.username == "王 wang@x"
    # A URL given on the command line finds the same entry; a typed password is kept.
    plain = "postgresql://%E7%8E%8B%20wang%40x@db.example.cn:5433/custmd"
    assert make_url(st.with_keyring_password(plain)).password == "p@ss:w/rd"
    typed = "postgresql://u:typed@db.example.cn:5433/custmd"
    assert st.with_keyring_password(typed) == typed
    assert st.with_keyring_password("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_no_keyring_raises_a_clear_error(installed: None) -> None:
    keyring.set_keyring(FailKeyring())
    with pytest.raises(SecretStoreUnavailable) as caught:
        st.store_password(PG, "x")
    assert "系统密钥环不可用" in str(caught.value) and "system keyring" in str(caught.value)
    with pytest.raises(SecretStoreUnavailable):
        st.load_password(PG)
    with pytest.raises(SecretStoreUnavailable):
        st.delete_password(PG)
    # connecting still works, just without a saved password
    assert st.with_keyring_password(st.settings_url(PG)) == st.settings_url(PG)


def test_plain_text_file_is_no_os_keyring(
    installed: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where keyrings.alt's password file is the only "keyring", nothing is stored in it."""
    monkeypatch.delenv(st.ALLOW_PLAINTEXT_KEYRING_ENV, raising=False)
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    with pytest.raises(SecretStoreUnavailable, match="plain-text"):
        st.store_password(PG, "x")
    assert not Path(backend.file_path).exists()


class BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring_errors.KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring_errors.PasswordSetError("refused")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring_errors.KeyringError("gone")


def test_keyring_errors_become_secret_store_unavailable(installed: None) -> None:
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(SecretStoreUnavailable, match="refused"):
        st.store_password(PG, "x")
    with pytest.raises(SecretStoreUnavailable, match="locked"):
        st.load_password(PG)
    with pytest.raises(SecretStoreUnavailable, match="gone"):
        st.delete_password(PG)
