"""Per-user locations, the saved settings and the database password in the OS keyring.

Kept free of heavy imports for start-up: only the standard library and platformdirs are
imported here; `keyring` (and SQLAlchemy, where needed) are imported inside the functions
that use them.

Precedence of the language and the database: the command line (cli.py) > the environment
variables CUSTMD_LANG / CUSTMD_DB > the saved settings > the built-in default. The demo
always uses its own SQLite file.

The settings file never holds a password. A PostgreSQL password lives in the OS keyring
(service "custmd", user name "postgresql://user@host:port/database") and is put into the
connection URL in memory only, when connecting (`with_keyring_password`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from platformdirs import user_config_dir, user_data_dir, user_log_dir

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

APP = "custmd"
KEYRING_SERVICE = APP
SETTINGS_FILE = "settings.json"
# Tests (and portable installs) may point the settings somewhere else.
CONFIG_DIR_ENV = "CUSTMD_CONFIG_DIR"
# A password file in plain text (keyrings.alt) is no OS keyring: refused unless allowed here.
ALLOW_PLAINTEXT_KEYRING_ENV = "CUSTMD_ALLOW_PLAINTEXT_KEYRING"

log = logging.getLogger(__name__)

Language = Literal["zh", "en"]
Database = Literal["local", "postgresql"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DATABASES: tuple[Database, ...] = ("local", "postgresql")


def data_dir() -> Path:
    return Path(user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    return Path(user_log_dir(APP, appauthor=False))


LOG_NAME = "custmd.log"  # in log_dir(): the app's and the commands' log (custmd_gui.logs)


def log_file() -> Path:
    return log_dir() / LOG_NAME


def config_dir() -> Path:
    """Windows: %APPDATA%\\custmd (the roaming profile: the settings follow the user to another
    machine), while data_dir() and log_dir() stay in %LOCALAPPDATA%\\custmd: a database file
    and its backups do not belong in a profile copied at every logon. Linux: ~/.config/custmd."""
    env = os.environ.get(CONFIG_DIR_ENV)
    return Path(env) if env else Path(user_config_dir(APP, appauthor=False, roaming=True))


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def default_sqlite_path(demo: bool = False) -> Path:
    return data_dir() / ("demo.sqlite" if demo else "custmd.sqlite")


def default_archive_dir() -> Path:
    """Where a physical deletion writes its archive files unless told otherwise (the CLI's
    --archive, the folder field of 系统 → 删除客户)."""
    return data_dir() / "archive"


def automatic_backup_dir() -> Path:
    """Where the rolling automatic backups of local database files go (services.backup keeps
    a folder per file in it)."""
    return data_dir() / "backups"


# -- the settings file ----------------------------------------------------------------------


@dataclass(frozen=True)
class AppSettings:
    """What the settings dialog edits. `sqlite_path` "" means the default file in data_dir()."""

    language: Language = "zh"
    database: Database = "local"
    sqlite_path: str = ""
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_database: str = "custmd"
    pg_user: str = ""

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}: {self.language!r}")
        if self.database not in DATABASES:
            raise ValueError(f"database must be one of {DATABASES}: {self.database!r}")
        if isinstance(self.pg_port, bool) or not isinstance(self.pg_port, int):
            raise ValueError(f"pg_port must be an integer: {self.pg_port!r}")
        if not 1 <= self.pg_port <= 65535:
            raise ValueError(f"pg_port must be within 1..65535: {self.pg_port}")
        for name in ("sqlite_path", "pg_host", "pg_database", "pg_user"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string: {getattr(self, name)!r}")


def _from_mapping(data: dict[str, Any], source: Path) -> AppSettings:
    """The known keys of `data`; a value that does not fit keeps its default (with a warning)."""
    settings = AppSettings()
    for f in fields(AppSettings):
        if f.name not in data:
            continue
        try:
            settings = replace(settings, **{f.name: data[f.name]})
        except (ValueError, TypeError) as exc:
            log.warning("%s: ignoring the setting %s: %s", source, f.name, exc)
    return settings


def load_settings(path: Path | None = None) -> AppSettings:
    """The saved settings; the defaults when there are none or the file cannot be read.

    A file that cannot be read is left as it is (and reported in the log), not replaced."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AppSettings()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s: cannot read the settings, using the defaults: %s", path, exc)
        return AppSettings()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning("%s: the settings are not valid JSON, using the defaults: %s", path, exc)
        return AppSettings()
    if not isinstance(data, dict):
        log.warning("%s: the settings are not a JSON object, using the defaults", path)
        return AppSettings()
    return _from_mapping(data, path)


def save_settings(settings: AppSettings, path: Path | None = None) -> Path:
    """Write the settings atomically (a temporary file, then os.replace); returns the path."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# -- URLs and defaults ----------------------------------------------------------------------


def _host_in_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def settings_url(settings: AppSettings, password: str | None = None, demo: bool = False) -> str:
    """The SQLAlchemy URL of the chosen database; the password (if given) only in memory."""
    if demo:
        return f"sqlite:///{default_sqlite_path(demo=True)}"
    if settings.database == "local":
        path = (
            Path(settings.sqlite_path).expanduser().absolute()
            if settings.sqlite_path
            else default_sqlite_path()
        )
        return f"sqlite:///{path}"
    user = quote(settings.pg_user, safe="")
    secret = f":{quote(password, safe='')}" if password else ""
    login = f"{user}{secret}@" if user or secret else ""
    host = _host_in_url(settings.pg_host.strip())
    database = quote(settings.pg_database, safe="")
    return f"postgresql+psycopg://{login}{host}:{settings.pg_port}/{database}"


def same_database(a: AppSettings, b: AppSettings) -> bool:
    """Whether two settings choose the same database (the language aside): a dialog that
    changed only the language must not move the session to another database."""
    return replace(a, language=b.language) == b


def default_db_url(demo: bool = False) -> str:
    """CUSTMD_DB, else the saved settings, else a SQLite file in the per-user data folder; the
    demo always gets a separate file, so demo customers never mix with real ones. A PostgreSQL
    URL from the settings carries no password: see `with_keyring_password`."""
    if demo:
        return settings_url(AppSettings(), demo=True)
    env = os.environ.get("CUSTMD_DB")
    if env:
        return env
    return settings_url(load_settings())


def default_lang() -> str:
    """CUSTMD_LANG, else the saved language, else Chinese."""
    env = os.environ.get("CUSTMD_LANG")
    if env:
        return "en" if env.lower().startswith("en") else "zh"
    return load_settings().language


# -- the password in the OS keyring ---------------------------------------------------------


class SecretStoreUnavailable(Exception):
    """There is no usable OS keyring; the password can be neither saved nor read."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            "系统密钥环不可用，无法保存或读取数据库密码 / "
            f"the system keyring is not available; the database password cannot be "
            f"saved or read: {detail}"
        )


def keyring_username(
    user: str, host: str, port: int | None = None, database: str | None = None
) -> str:
    """The keyring entry's user name: postgresql://user@host:port/database."""
    return f"postgresql://{user}@{_host_in_url(host)}:{port or 5432}/{database or ''}"


def _settings_username(settings: AppSettings) -> str:
    return keyring_username(
        settings.pg_user, settings.pg_host.strip(), settings.pg_port, settings.pg_database
    )


def _is_plaintext(backend: KeyringBackend) -> bool:
    return any(cls.__module__.startswith("keyrings.alt.file") for cls in type(backend).__mro__)


def _keyring() -> KeyringBackend:
    """The OS keyring; a password file in plain text only where explicitly allowed (tests)."""
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend
        from keyring.backends.fail import Keyring as FailKeyring
    except ImportError as exc:  # pragma: no cover - keyring is a dependency
        raise SecretStoreUnavailable(f"keyring: {exc}") from exc
    backend = keyring.get_keyring()
    if os.environ.get(ALLOW_PLAINTEXT_KEYRING_ENV) == "1":
        return backend
    if isinstance(backend, ChainerBackend):
        chained = [b for b in backend.backends if not _is_plaintext(b)]
        if not chained:
            raise SecretStoreUnavailable("no OS keyring found")
        if len(chained) < len(backend.backends):
            backend = chained[0]
    if isinstance(backend, FailKeyring):
        raise SecretStoreUnavailable("no OS keyring found")
    if _is_plaintext(backend):
        raise SecretStoreUnavailable(f"{type(backend).__name__} is a plain-text file")
    return backend


def _keyring_errors() -> tuple[type[Exception], ...]:
    from keyring.errors import KeyringError

    return (KeyringError,)


def store_password(settings: AppSettings, password: str) -> None:
    backend = _keyring()
    try:
        backend.set_password(KEYRING_SERVICE, _settings_username(settings), password)
    except _keyring_errors() as exc:
        raise SecretStoreUnavailable(str(exc) or type(exc).__name__) from exc


def _lookup(username: str) -> str | None:
    backend = _keyring()
    try:
        return backend.get_password(KEYRING_SERVICE, username)
    except _keyring_errors() as exc:
        raise SecretStoreUnavailable(str(exc) or type(exc).__name__) from exc


def load_password(settings: AppSettings) -> str | None:
    return _lookup(_settings_username(settings))


def delete_password(settings: AppSettings) -> None:
    """Forget the saved password; nothing happens when there is none."""
    from keyring.errors import PasswordDeleteError

    backend = _keyring()
    try:
        backend.delete_password(KEYRING_SERVICE, _settings_username(settings))
    except PasswordDeleteError:
        return
    except _keyring_errors() as exc:
        raise SecretStoreUnavailable(str(exc) or type(exc).__name__) from exc


def with_keyring_password(url: str) -> str:
    """`url` with the password from the keyring, for a PostgreSQL URL that has a user but no
    password; otherwise (or when the keyring has none or is unavailable) `url` unchanged.

    Call it when connecting (it imports SQLAlchemy and keyring); never save what it returns."""
    if not url.startswith(("postgresql", "postgres:")):
        return url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.password is not None or not parsed.username:
        return url
    username = keyring_username(
        parsed.username, parsed.host or "localhost", parsed.port, parsed.database
    )
    try:
        password = _lookup(username)
    except SecretStoreUnavailable as exc:
        log.info("%s", exc)
        return url
    if password is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


# -- the remembered login (记住密码) ----------------------------------------------------------
# Both the user name and the password of "remember the password" live in the OS keyring only
# (service "custmd"); the settings file knows nothing of them.


def _login_entry(database: str) -> str:
    return f"custmd-login:{database}"


def _login_password_entry(database: str, username: str) -> str:
    return f"custmd-login:{database}:{username}"


def store_login(database: str, username: str, password: str) -> None:
    """Remember `username` and its password for the database `database` (its URL without a
    password); SecretStoreUnavailable when there is no OS keyring."""
    backend = _keyring()
    try:
        backend.set_password(KEYRING_SERVICE, _login_entry(database), username)
        backend.set_password(KEYRING_SERVICE, _login_password_entry(database, username), password)
    except _keyring_errors() as exc:
        raise SecretStoreUnavailable(str(exc) or type(exc).__name__) from exc


def load_login(database: str) -> tuple[str, str] | None:
    """The remembered (user name, password) for `database`, or None."""
    username = _lookup(_login_entry(database))
    if not username:
        return None
    password = _lookup(_login_password_entry(database, username))
    return None if password is None else (username, password)


def forget_login(database: str) -> None:
    """Forget the remembered login of `database`; nothing happens when there is none."""
    from keyring.errors import PasswordDeleteError

    backend = _keyring()
    username = _lookup(_login_entry(database))
    entries = [_login_entry(database)]
    if username:
        entries.append(_login_password_entry(database, username))
    for entry in reversed(entries):
        try:
            backend.delete_password(KEYRING_SERVICE, entry)
        except PasswordDeleteError:
            continue
        except _keyring_errors() as exc:
            raise SecretStoreUnavailable(str(exc) or type(exc).__name__) from exc
