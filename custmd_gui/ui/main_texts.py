"""The main window's texts (context MainWindow) and how it names a database; light at import.

Every visible string of the main window, its menus and its start-up messages goes through
`tr_(key)`, i.e. Qt's translation system; the settings dialog switches the language while the
app runs.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

# Source strings are English; resources/i18n/custmd_zh_CN.ts translates them.
TEXTS: dict[str, str] = {
    "window.title": QT_TRANSLATE_NOOP("MainWindow", "Customer master data - custmd"),
    "menu.file": QT_TRANSLATE_NOOP("MainWindow", "&File"),
    "menu.exit": QT_TRANSLATE_NOOP("MainWindow", "E&xit"),
    "menu.settings": QT_TRANSLATE_NOOP("MainWindow", "&Settings…"),
    "menu.offline": QT_TRANSLATE_NOOP("MainWindow", "Work &offline…"),
    "menu.sync": QT_TRANSLATE_NOOP("MainWindow", "S&ynchronize"),
    "offline.label": QT_TRANSLATE_NOOP("MainWindow", "Offline · last sync {time}"),
    "offline.title": QT_TRANSLATE_NOOP("MainWindow", "{title} (offline, last sync {time})"),
    "offline.waiting": QT_TRANSLATE_NOOP(
        "MainWindow", "{waiting} changes waiting for the sync, {conflicts} conflicts"
    ),
    "offline.not_shared": QT_TRANSLATE_NOOP(
        "MainWindow", "Only a shared PostgreSQL database can be taken offline"
    ),
    "offline.already": QT_TRANSLATE_NOOP(
        "MainWindow", "This window already works on an offline replica"
    ),
    "offline.not_offline": QT_TRANSLATE_NOOP(
        "MainWindow", "Only an offline replica is synchronized (File → Work offline…)"
    ),
    "menu.customer": QT_TRANSLATE_NOOP("MainWindow", "&Customer"),
    "menu.create": QT_TRANSLATE_NOOP("MainWindow", "&Create… (XD01)"),
    "menu.display": QT_TRANSLATE_NOOP("MainWindow", "&Display… (XD03)"),
    "menu.change": QT_TRANSLATE_NOOP("MainWindow", "C&hange… (XD02)"),
    "menu.change_documents": QT_TRANSLATE_NOOP("MainWindow", "Change d&ocuments… (XD04)"),
    "menu.block": QT_TRANSLATE_NOOP("MainWindow", "&Block/unblock… (XD05)"),
    "menu.deletion_flags": QT_TRANSLATE_NOOP("MainWindow", "Deletion f&lags… (XD06)"),
    "menu.mass_block": QT_TRANSLATE_NOOP("MainWindow", "&Mass block/unblock…"),
    "menu.export_list": QT_TRANSLATE_NOOP("MainWindow", "E&xport list…"),
    "toolbar.title": QT_TRANSLATE_NOOP("MainWindow", "Standard toolbar"),
    "command.placeholder": QT_TRANSLATE_NOOP("MainWindow", "Transaction code"),
    "command.tooltip": QT_TRANSLATE_NOOP(
        "MainWindow",
        "Command field (Ctrl+/): type a transaction code such as XD02 (or /nXD02) and press Enter",
    ),
    "command.unknown": QT_TRANSLATE_NOOP("MainWindow", "Transaction {code} does not exist"),
    "command.refused": QT_TRANSLATE_NOOP(
        "MainWindow", "You are not authorized to use transaction {code}"
    ),
    "mass.none": QT_TRANSLATE_NOOP("MainWindow", "Select the customers in the list first"),
    "menu.system": QT_TRANSLATE_NOOP("MainWindow", "S&ystem"),
    "menu.users": QT_TRANSLATE_NOOP("MainWindow", "&Users…"),
    "menu.archive": QT_TRANSLATE_NOOP("MainWindow", "&Departments and organizations…"),
    "menu.customizing": QT_TRANSLATE_NOOP("MainWindow", "Cu&stomizing…"),
    "menu.import": QT_TRANSLATE_NOOP("MainWindow", "I&mport customers…"),
    "menu.kpi": QT_TRANSLATE_NOOP("MainWindow", "Master data &KPIs…"),
    "menu.requests": QT_TRANSLATE_NOOP("MainWindow", "Maintenance &requests…"),
    "menu.usage": QT_TRANSLATE_NOOP("MainWindow", "&Import usage register…"),
    "menu.delete_customers": QT_TRANSLATE_NOOP("MainWindow", "Delete &customers…"),
    "menu.backup": QT_TRANSLATE_NOOP("MainWindow", "&Back up…"),
    "menu.restore": QT_TRANSLATE_NOOP("MainWindow", "&Restore…"),
    "user.label": QT_TRANSLATE_NOOP("MainWindow", "User: {user}"),
    "menu.help": QT_TRANSLATE_NOOP("MainWindow", "&Help"),
    "menu.user_guide": QT_TRANSLATE_NOOP("MainWindow", "&User guide"),
    "menu.shortcuts": QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"),
    "menu.about": QT_TRANSLATE_NOOP("MainWindow", "&About"),
    "keys.title": QT_TRANSLATE_NOOP("MainWindow", "Keyboard shortcuts - custmd"),
    "keys.key": QT_TRANSLATE_NOOP("MainWindow", "Key"),
    "keys.does": QT_TRANSLATE_NOOP("MainWindow", "Does"),
    "keys.main_window": QT_TRANSLATE_NOOP("MainWindow", "Main window (customer list)"),
    "keys.wizard": QT_TRANSLATE_NOOP(
        "MainWindow", "Customer window (XD01 create, XD02 change, XD03 display)"
    ),
    "keys.find": QT_TRANSLATE_NOOP("MainWindow", "To the search field, its text selected"),
    "keys.menu": QT_TRANSLATE_NOOP("MainWindow", "Open the menu {menu}"),
    "search.more": QT_TRANSLATE_NOOP("MainWindow", "{n}+ customers found"),
    "search.none": QT_TRANSLATE_NOOP("MainWindow", "No customer found"),
    "col.number": QT_TRANSLATE_NOOP("MainWindow", "Customer"),
    "col.name": QT_TRANSLATE_NOOP("MainWindow", "Name"),
    "col.search_term": QT_TRANSLATE_NOOP("MainWindow", "Search term"),
    "col.city": QT_TRANSLATE_NOOP("MainWindow", "City"),
    "col.account_group": QT_TRANSLATE_NOOP("MainWindow", "Account group"),
    "col.telephone": QT_TRANSLATE_NOOP("MainWindow", "Telephone"),
    "col.status": QT_TRANSLATE_NOOP("MainWindow", "Status"),
    "status.blocked": QT_TRANSLATE_NOOP("MainWindow", "Blocked"),
    "status.deleted": QT_TRANSLATE_NOOP("MainWindow", "Marked for deletion"),
    "status.partly_blocked": QT_TRANSLATE_NOOP("MainWindow", "Partly blocked"),
    "status.partly_deleted": QT_TRANSLATE_NOOP("MainWindow", "Partly marked for deletion"),
    "status.separator": QT_TRANSLATE_NOOP("MainWindow", ", "),
    "db.label": QT_TRANSLATE_NOOP("MainWindow", "Database: {db}"),
    "db.demo": QT_TRANSLATE_NOOP("MainWindow", " (demo)"),
    "db.opening": QT_TRANSLATE_NOOP("MainWindow", "Opening the database…"),
    "db.migrating": QT_TRANSLATE_NOOP("MainWindow", "Creating or upgrading the local database…"),
    "db.seeding": QT_TRANSLATE_NOOP("MainWindow", "Creating the demo customers…"),
    "db.loaded_more": QT_TRANSLATE_NOOP(
        "MainWindow", "{n} customers loaded; scroll down to load more"
    ),
    "db.empty": QT_TRANSLATE_NOOP("MainWindow", "There are no customers in the database yet"),
    "db.not_current": QT_TRANSLATE_NOOP(
        "MainWindow", "The database schema is not current; run custmd db upgrade"
    ),
    "db.failed": QT_TRANSLATE_NOOP("MainWindow", "Cannot open the database: {error}"),
    "db.not_ready": QT_TRANSLATE_NOOP("MainWindow", "The database is not open yet"),
    "settings.demo": QT_TRANSLATE_NOOP(
        "MainWindow", "The demo keeps its own database; the chosen one is used after a restart"
    ),
    "demo.failed": QT_TRANSLATE_NOOP(
        "MainWindow", "Demo customer {file} could not be created: {error}"
    ),
    "crash.title": QT_TRANSLATE_NOOP("MainWindow", "Unexpected error"),
    "crash.text": QT_TRANSLATE_NOOP(
        "MainWindow", "An unexpected error occurred; the details are in the log file: {path}"
    ),
    "crash.copy": QT_TRANSLATE_NOOP("MainWindow", "Copy &report"),
    "crash.copied": QT_TRANSLATE_NOOP("MainWindow", "The report was copied to the clipboard"),
}


def set_language(lang: str) -> None:
    i18n.set_language(lang)


def language() -> str:
    return i18n.language()


def tr_(key: str) -> str:
    """The visible text for `key` in the current language."""
    return QCoreApplication.translate("MainWindow", TEXTS[key])


def display_url(url: str) -> str:
    """The database URL without its password; a SQLite URL as its file path."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :] or url
    return re.sub(r"^([^:/]+://[^:/@]*):[^@]*@", r"\1:***@", url)
